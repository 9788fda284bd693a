package io.proxima.core.compose;

import java.util.Set;
import io.proxima.core.outcome.Signal;

/** Decides how many rollouts each selected task gets. */
public interface RolloutAllocator extends Stateful {
    /** Writes {@code rollouts[i]} (≥ 1) for {@code tasks[0 .. count)}. */
    void allocate(int[] tasks, int count, int[] rollouts);

    /**
     * The numbers this allocator gave {@code task} its {@code rollouts} by (the pass rate it read,
     * its weight or value…), by name, into {@code out}; called right after {@link #allocate}, before
     * anything changes the state. Reads state only. A uniform allocator has none.
     */
    default void explain(int task, int rollouts, java.util.Map<String, Double> out) {}

    /** The signals this piece learns from; outcomes without them are rejected. */
    default Set<Signal> consumes() {
        return Set.of();
    }
}
