package io.proxima.sim.teach;

/**
 * A teacher over a continuous box of task parameters (the ALP-GMM family of a later issue plugs
 * in here): proposes a parameter vector, then hears the episode's reward.
 */
public interface BoxTeacher {
    /** The next task: one value per parameter, inside its range. */
    double[] next();

    /** The reward of the episode played at {@code task}. */
    void report(double[] task, double reward);
}
