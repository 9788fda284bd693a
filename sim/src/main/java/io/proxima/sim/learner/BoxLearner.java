package io.proxima.sim.learner;

/**
 * A simulated learner over a box of task parameters, on a grid of competence cells: what the
 * continuous lab ({@code ContinuousRun}) needs to play episodes and to say where each one went.
 * {@link ContinuousLearner} (smooth competence, unlearnable boxes, reward noise) and
 * {@link CubeLearner} (the teachDeepRL toy environment) implement it.
 */
public interface BoxLearner extends Learner {
    /** The grid cell holding x. */
    int cell(double[] x);

    /** Whether the cell can never be learned. */
    boolean unlearnableCell(int cell);

    /** Whether the cell counts as mastered. */
    boolean mastered(int cell);

    /** Whether an episode in this cell can raise competence now. */
    boolean learnable(int cell);

    /** One episode at x and the training it brings: the reward the teacher hears, in [0, 1]. */
    double play(double[] x);

    /** Share of the test set that is not unlearnable: the most a teacher can master. */
    double learnableTestShare();
}
