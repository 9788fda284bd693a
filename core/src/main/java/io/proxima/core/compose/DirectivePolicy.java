package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;

import java.util.Map;
import java.util.Set;

/**
 * Adds per-task directives to a selection — a token budget, a hint level, a scaffold strength —
 * and may learn from reports, which say under which directives the rollouts were generated.
 */
public interface DirectivePolicy extends Stateful {
    /** Writes this policy's directives for {@code task} into {@code out}; {@code step} is the learner's step. */
    void directives(int task, long step, Map<String, Double> out);

    default void observe(ObservedBatch batch) {}

    default Set<Signal> consumes() {
        return Set.of();
    }
}
