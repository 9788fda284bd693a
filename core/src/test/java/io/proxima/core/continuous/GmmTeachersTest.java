package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The rows the GMM teachers fit, checked by hand through one-component fits (k = 1: the sample moments). */
class GmmTeachersTest {
    static GaussianMixture.Params oneComponent() {
        return new GaussianMixture.Params(1, 1, GaussianMixture.Criterion.AIC, 1, 100, 1e-3, 1e-6, 10);
    }

    /**
     * Covar-GMM, fitRate 10: rows [p, t, r] with t = 0, 0.1, …, 0.9. With r = t the time–reward
     * covariance is Var(t) = (1/10) Σ (t − 0.45)² = 0.0825; with r = 1 − t it is −0.0825, floored
     * at 0 (or 0.0825 with absoluteLp).
     */
    @Test
    void covarGmmTimeRewardCovarianceByHand() {
        ParameterSpace box = ParameterSpace.cube(1, 0, 1);
        for (boolean rising : new boolean[] {true, false}) {
            for (boolean absolute : new boolean[] {false, true}) {
                CovarGmm t = new CovarGmm(new CovarGmm.Params(10, 10, 0.2, absolute, oneComponent()), box, new Rng(1));
                for (int i = 0; i < 10; i++) {
                    double time = i / 10.0;
                    t.observe(new double[] {0.3}, rising ? time : 1 - time);
                }
                GaussianMixture g = t.mixture();
                assertThat(g.components()).isEqualTo(1);
                assertThat(g.mean(0, 1)).isCloseTo(0.45, within(1e-12));          // mean time
                assertThat(g.covariance(0, 1, 2)).isCloseTo(rising ? 0.0825 : -0.0825, within(1e-12));
                double expected = rising || absolute ? 0.0825 : 0.0;
                assertThat(t.progress(0)).isCloseTo(expected, within(1e-12));
            }
        }
    }

    /**
     * ALP-GMM, fitRate 9 on the worked example of spec §1.2: the ALP column is
     * (0, 0, 0, 0, 0, 0, 0.25, 0.10, 0.05), so a one-component fit has mean ALP 0.4 / 9.
     */
    @Test
    void alpGmmFitsTheAlpColumnOfTheWorkedExample() {
        AlpGmm t = new AlpGmm(new AlpGmm.Params(9, 9, 0.2, 1000, oneComponent()), ParameterSpace.cube(2, 0, 1), new Rng(1));
        double[][] p = {{0.10, 0.10}, {0.80, 0.20}, {0.50, 0.50}, {0.20, 0.90}, {0.90, 0.90}, {0.15, 0.05},
                {0.12, 0.08}, {0.52, 0.47}, {0.13, 0.09}};
        double[] r = {0.20, 0.00, 0.40, 0.10, 0.00, 0.30, 0.45, 0.30, 0.50};
        for (int i = 0; i < 8; i++) t.observe(p[i], r[i]);
        assertThat(t.mixture()).isNull(); // no fit before update number fitRate
        t.observe(p[8], r[8]);
        GaussianMixture g = t.mixture();
        assertThat(g.mean(0, 2)).isCloseTo(0.40 / 9, within(1e-12));
        double meanX = 0;
        for (double[] q : p) meanX += q[0] / 9;
        assertThat(g.mean(0, 0)).isCloseTo(meanX, within(1e-12));
        assertThat(t.view()).containsEntry("fits", 1.0);
        assertThat(t.view().get("lastAlp")).isCloseTo(0.05, within(1e-12));
    }

    /** During the bootstrap (and before any fit) both GMM teachers draw uniformly, one draw per dimension. */
    @Test
    void bootstrapIsUniform() {
        ParameterSpace box = ParameterSpace.cube(3, -2, 5);
        Rng a = new Rng(4);
        Rng b = new Rng(4);
        AlpGmm alp = new AlpGmm(AlpGmm.Params.DEFAULTS, box, a);
        double[] x = new double[3];
        double[] y = new double[3];
        for (int i = 0; i < 100; i++) {
            alp.propose(x);
            box.uniform(b, y);
            assertThat(x).containsExactly(y);
        }
    }
}
