package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * Decides how a batch is spread over groups (data sources, categories, difficulty levels): the
 * probability that one slot of the next batch comes from each group. Slots are drawn i.i.d. from
 * these probabilities, never more tasks from a group than it holds.
 */
public interface GroupPolicy extends Stateful {
    /** Writes the probability of each group into {@code out[0 .. groups)}; empty groups get 0; sums to 1. */
    void probabilities(double[] out);

    /** Learns from a report. */
    default void observe(ObservedBatch batch) {}

    /** The policy's score per group for display (Q-value, UCB score…); NaN where it has none. */
    default void scores(double[] out) {
        java.util.Arrays.fill(out, Double.NaN);
    }

    /** The signals this piece learns from; outcomes without them are rejected. */
    default Set<Signal> consumes() {
        return Set.of();
    }
}
