package io.proxima.core.compose;

/** Decides how many rollouts each selected task gets. */
public interface RolloutAllocator extends Stateful {
    /** Writes {@code rollouts[i]} (≥ 1) for {@code tasks[0 .. count)}. */
    void allocate(int[] tasks, int count, int[] rollouts);
}
