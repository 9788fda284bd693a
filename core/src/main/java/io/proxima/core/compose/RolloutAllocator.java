package io.proxima.core.compose;

import java.util.Set;
import io.proxima.core.outcome.Signal;

/** Decides how many rollouts each selected task gets. */
public interface RolloutAllocator extends Stateful {
    /** Writes {@code rollouts[i]} (≥ 1) for {@code tasks[0 .. count)}. */
    void allocate(int[] tasks, int count, int[] rollouts);

    /** The signals this piece learns from; outcomes without them are rejected. */
    default Set<Signal> consumes() {
        return Set.of();
    }
}
