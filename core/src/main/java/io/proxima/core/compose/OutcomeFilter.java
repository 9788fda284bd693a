package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * Decides, after the rollouts, which reported groups are worth training on (DAPO dynamic
 * sampling, ODF's band). The trainer drops the others and asks for replacements.
 */
public interface OutcomeFilter extends Stateful {
    /**
     * Sets {@code keep[i]} for every outcome of the batch and returns true when a cold-start guard
     * let everything through.
     */
    boolean judge(ObservedBatch batch, boolean[] keep);

    /** A few numbers for stats (keep share, guard state). */
    default java.util.Map<String, Double> view() {
        return java.util.Map.of();
    }

    /** The signals this piece learns from; outcomes without them are rejected. */
    default Set<Signal> consumes() {
        return Set.of();
    }
}
