package io.proxima.sim.teach;

import java.util.List;

/**
 * A teacher over a continuous box of task parameters: proposes a batch of parameter vectors, then
 * hears the episodes' rewards (same order).
 */
public interface BoxTeacher {
    /** The next {@code n} tasks: one value per parameter, inside its range. */
    List<double[]> next(int n);

    /** The rewards of the episodes played at the tasks of the last {@link #next}, in order. */
    void report(List<double[]> tasks, double[] rewards);
}
