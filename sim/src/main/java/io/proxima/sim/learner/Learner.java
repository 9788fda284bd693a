package io.proxima.sim.learner;

/**
 * A simulated learner whose true state is known. Nothing here assumes discrete prompts: a
 * {@link PromptLearner} is trained on prompts of a pool, a {@link ContinuousLearner} on points of
 * a box of task parameters.
 */
public interface Learner {
    /** The learner's true score on its fixed test set (held-out accuracy, or mastery of a test grid), in [0, 1]. */
    double testScore();

    /** Ends a training step (forgetting of what was not practised applies here). */
    void endStep();

    /** Training steps ended so far. */
    long steps();
}
