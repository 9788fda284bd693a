package io.proxima.sim.teach;

/**
 * One task a lab teacher chose.
 *
 * @param task dense index of the prompt in the learner's pool
 * @param rollouts rollouts to generate (the GRPO group size)
 */
public record Pick(int task, int rollouts) {}
