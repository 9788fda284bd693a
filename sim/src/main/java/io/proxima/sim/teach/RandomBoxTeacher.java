package io.proxima.sim.teach;

import io.proxima.core.sample.Rng;
import io.proxima.sim.learner.ContinuousLearnerSpec;

import java.util.List;

/** The baseline for continuous learners: every task drawn uniformly from the box. */
public final class RandomBoxTeacher implements BoxTeacher {
    private final List<ContinuousLearnerSpec.Parameter> params;
    private final Rng rng;

    public RandomBoxTeacher(List<ContinuousLearnerSpec.Parameter> params, long seed) {
        this.params = params;
        this.rng = new Rng(seed * 0x2545F4914F6CDD1DL + 0xB0C5);
    }

    @Override
    public double[] next() {
        double[] x = new double[params.size()];
        for (int k = 0; k < x.length; k++) {
            ContinuousLearnerSpec.Parameter p = params.get(k);
            x[k] = p.min() + rng.nextDouble() * (p.max() - p.min());
        }
        return x;
    }

    @Override
    public void report(double[] task, double reward) {
        // Uniform draws ignore the outcome.
    }
}
