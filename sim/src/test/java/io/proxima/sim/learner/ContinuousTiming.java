package io.proxima.sim.learner;

import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.GaussianMixture;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.core.sample.Rng;

import java.util.List;

/**
 * A JMH-free micro timing of the continuous teachers, run by hand (it is not a test and asserts
 * nothing; JMH benchmarks belong to the {@code bench} module):
 *
 * <pre>
 *   ./mvnw -q -B test-compile -pl sim -am
 *   java -cp core/target/classes:sim/target/classes:sim/target/test-classes:$(hipparchus, jackson jars) \
 *       io.proxima.sim.learner.ContinuousTiming
 * </pre>
 * Prints the cost of one GMM refit (k = 2..10 on a window of 250 rows) by row width, and the
 * amortised cost per episode of each teacher on the toy environment ({@link CubeLearner}).
 */
public final class ContinuousTiming {
    private ContinuousTiming() {}

    public static void main(String[] args) {
        for (int width : new int[] {3, 6, 11, 12}) {
            Rng data = new Rng(1);
            double[] x = new double[250 * width];
            for (int i = 0; i < 250; i++) {
                for (int a = 0; a < width - 1; a++) x[i * width + a] = data.nextDouble();
                x[i * width + width - 1] = data.nextDouble() < 0.5 ? 0 : 0.1 * data.nextDouble();
            }
            Rng rng = new Rng(2);
            for (int w = 0; w < 5; w++) GaussianMixture.select(x, 250, width, GaussianMixture.Params.DEFAULTS, rng);
            int reps = 20;
            long t0 = System.nanoTime();
            for (int w = 0; w < reps; w++) GaussianMixture.select(x, 250, width, GaussianMixture.Params.DEFAULTS, rng);
            System.out.printf("refit k=2..10, 250 rows of width %2d: %7.1f ms%n", width, (System.nanoTime() - t0) / 1e6 / reps);
        }
        for (String teacher : ContinuousConfig.TEACHERS) {
            ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 0, 1)
                    .teacher(teacher).seed(1).build());
            CubeLearner env = CubeLearnerSpec.reference(0).learner(0);
            int episodes = 20_000;
            long t0 = System.nanoTime();
            for (int e = 0; e < episodes; e++) {
                ParamTask t = c.next(1).get(0);
                c.report(List.of(ParamOutcome.of(t.id(), env.play(t.params()))));
            }
            System.out.printf("%-9s toy env: %6.1f µs per episode (next + report), %.0f %% mastered after %d episodes%n",
                    teacher, (System.nanoTime() - t0) / 1e3 / episodes, 100 * env.testScore(), episodes);
        }
    }
}
