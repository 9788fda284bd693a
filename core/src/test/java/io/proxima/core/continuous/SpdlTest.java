package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.proxima.core.continuous.ContinuousConfigTest.SPACE;
import static io.proxima.core.continuous.ContinuousConfigTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** SPDL: an update by hand, the Gaussian's gradients against finite differences, sampling, configuration. */
class SpdlTest {
    static Spdl oneDim(double maxKl) {
        Spdl.Params p = new Spdl.Params(2, 0, 0, 0.05, maxKl, 1000, 10, 1e-2, 1e-10, 10,
                new double[] {1}, new double[] {1}, null, null);
        return new Spdl(p, ParameterSpace.cube(1, -2, 2), new Rng(1));
    }

    /**
     * Box [−2, 2]: target N(0, 1) (centre, σ = range/4); start N(1, 1). Two episodes: c = 2 with V = 0,
     * c = 0 with V = 1.
     * <pre>
     *   KL(p ‖ target) = ½[σ² + μ² − 1 − ln σ²] = ½[1 + 1 − 1 − 0] = 0.5;  mean V = 0.5
     *   α = ζ·mean V / KL = 0.05 · 0.5 / 0.5 = 0.05
     *   ∂J/∂μ  = mean_i V_i (c_i − μ)/σ² − α(μ − 0)/1 = ½(0·1 + 1·(−1)) − 0.05 = −0.55
     *   ∂J/∂lnσ = mean_i V_i((c_i − μ)²/σ² − 1) − α(σ² − 1) = ½(0 + 1·(1 − 1)) − 0 = 0
     *   F + δI = diag(1/σ² + 0.01, 2 + 0.01) = diag(1.01, 2.01): CG solves it in one step, s = (−0.55/1.01, 0)
     *   ½ sᵀ(F + δI)s = ½ · 0.55²/1.01;  full step Δμ = s_μ / √(½ sᵀ(F+δI)s / maxKl) = −√(2·maxKl/1.01)
     *   maxKl 0.8: Δμ = −√(1.6/1.01) = −1.258631…;  KL(p_old ‖ p_new) = ½Δμ² = 0.8/1.01 = 0.792079 ≤ 1.5·0.8: accepted
     *   μ' = 1 − 1.258631 = −0.258631;  KL(p' ‖ target) = ½ μ'² = 0.033445;  σ' = 1
     * </pre>
     */
    @Test
    void oneUpdateByHand() {
        Spdl s = oneDim(0.8);
        assertThat(s.klToTarget()).isCloseTo(0.5, within(1e-12));
        s.observe(new double[] {2}, 0.0);
        assertThat(s.updates()).isZero();
        s.observe(new double[] {0}, 1.0);
        assertThat(s.updates()).isEqualTo(1);
        double dmu = -Math.sqrt(1.6 / 1.01);
        assertThat(s.view().get("alpha")).isCloseTo(0.05, within(1e-12));
        assertThat(s.mean(0)).isCloseTo(1 + dmu, within(1e-9));
        assertThat(s.std(0)).isCloseTo(1.0, within(1e-12));
        assertThat(s.klToTarget()).isCloseTo(0.5 * (1 + dmu) * (1 + dmu), within(1e-9));
        assertThat(0.5 * dmu * dmu).isCloseTo(0.8 / 1.01, within(1e-12));
        // the class default trust region 0.1: Δμ = −√(0.2/1.01) = −0.445002
        Spdl small = oneDim(0.1);
        small.observe(new double[] {2}, 0.0);
        small.observe(new double[] {0}, 1.0);
        assertThat(small.mean(0)).isCloseTo(1 - Math.sqrt(0.2 / 1.01), within(1e-9));
    }

    /** No value anywhere: the gradient is α's only, and α = 0 (mean V = 0), so nothing moves. */
    @Test
    void zeroValuesLeaveTheDistribution() {
        Spdl s = oneDim(0.8);
        s.observe(new double[] {2}, 0.0);
        s.observe(new double[] {0}, 0.0);
        assertThat(s.updates()).isEqualTo(1);
        assertThat(s.mean(0)).isEqualTo(1.0);
        assertThat(s.std(0)).isEqualTo(1.0);
    }

    static CholeskyGaussian randomGaussian(Rng g, int d) {
        double[] t = new double[CholeskyGaussian.size(d)];
        for (int i = 0; i < t.length; i++) t[i] = i < d ? 4 * g.nextDouble() - 2 : 0.6 * g.nextDouble() - 0.3;
        return new CholeskyGaussian(d, t);
    }

    /** KL(p ‖ p) = 0; KL of two diagonal Gaussians by the closed form per dimension. */
    @Test
    void klByHand() {
        CholeskyGaussian p = CholeskyGaussian.diagonal(new double[] {1, 0}, new double[] {2, 1});
        CholeskyGaussian q = CholeskyGaussian.diagonal(new double[] {0, 0}, new double[] {1, 0.5});
        // Σ ½[σp²/σq² + (μp − μq)²/σq² − 1 + ln(σq²/σp²)]: ½[4 + 1 − 1 + ln ¼] + ½[4 + 0 − 1 + ln ¼]
        double want = 0.5 * (4 + 1 - 1 + Math.log(0.25)) + 0.5 * (4 - 1 + Math.log(0.25));
        assertThat(p.kl(q)).isCloseTo(want, within(1e-12));
        assertThat(p.kl(p)).isCloseTo(0.0, within(1e-12));
        // log-density of N(1, 4) ⊗ N(0, 1) at (3, 1): −½(1 + 1) − ln 2 − ln 2π
        assertThat(p.logPdf(new double[] {3, 1}, 0)).isCloseTo(-1 - Math.log(2) - Math.log(2 * Math.PI), within(1e-12));
    }

    /** Analytic gradients of log p and KL, and the Fisher product, against central finite differences. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void gradientsMatchFiniteDifferences(int d) {
        Rng g = new Rng(17 + d);
        for (int rep = 0; rep < 5; rep++) {
            CholeskyGaussian p = randomGaussian(g, d);
            CholeskyGaussian q = randomGaussian(g, d);
            double[] c = new double[d];
            for (int i = 0; i < d; i++) c[i] = 3 * g.nextDouble() - 1.5;
            int n = p.theta.length;
            double[] gl = new double[n], gk = new double[n];
            p.addLogPdfGradient(c, 0, 1.0, gl);
            p.addKlGradient(q, 1.0, gk);
            double h = 1e-6;
            for (int j = 0; j < n; j++) {
                double[] up = p.theta.clone(), dn = p.theta.clone();
                up[j] += h;
                dn[j] -= h;
                CholeskyGaussian pu = new CholeskyGaussian(d, up), pd = new CholeskyGaussian(d, dn);
                assertThat(gl[j]).as("d=%d ∂log p/∂θ_%d", d, j).isCloseTo((pu.logPdf(c, 0) - pd.logPdf(c, 0)) / (2 * h), within(1e-5));
                assertThat(gk[j]).as("d=%d ∂KL/∂θ_%d", d, j).isCloseTo((pu.kl(q) - pd.kl(q)) / (2 * h), within(1e-5));
            }
            // F·v = ∇_θ' [∇_θ' KL(p ‖ p_θ')·v] at θ' = θ: finite differences of the KL's gradient along v
            double[] v = new double[n];
            for (int j = 0; j < n; j++) v[j] = g.nextDouble() - 0.5;
            double[] fv = p.fisherTimes(v);
            double[] up = p.theta.clone(), dn = p.theta.clone();
            for (int j = 0; j < n; j++) {
                up[j] += h * v[j];
                dn[j] -= h * v[j];
            }
            double[] gu = klGradientInSecond(p, new CholeskyGaussian(d, up)), gd = klGradientInSecond(p, new CholeskyGaussian(d, dn));
            for (int j = 0; j < n; j++) assertThat(fv[j]).as("d=%d (Fv)_%d", d, j).isCloseTo((gu[j] - gd[j]) / (2 * h), within(1e-4));
        }
    }

    /** ∇_θ' KL(p ‖ p_θ') by central differences. */
    static double[] klGradientInSecond(CholeskyGaussian p, CholeskyGaussian r) {
        int n = r.theta.length;
        double[] out = new double[n];
        double h = 1e-5;
        for (int j = 0; j < n; j++) {
            double[] up = r.theta.clone(), dn = r.theta.clone();
            up[j] += h;
            dn[j] -= h;
            out[j] = (p.kl(new CholeskyGaussian(r.d, up)) - p.kl(new CholeskyGaussian(r.d, dn))) / (2 * h);
        }
        return out;
    }

    /** Samples follow N(μ, σ²) clipped to the box: mean and spread over many draws. */
    @Test
    void samplesFollowTheDistributionClippedToTheBox() {
        Spdl.Params p = new Spdl.Params(250, 500, 0, 0.05, 0.8, 1000, 10, 1e-2, 1e-10, 10,
                new double[] {3, 0.5}, new double[] {0.5, 2}, null, null);
        Spdl s = new Spdl(p, ParameterSpace.of(List.of(new ParameterSpace.Dim("a", 0, 6), new ParameterSpace.Dim("b", 0, 1))), new Rng(9));
        double[] x = new double[2];
        double sum = 0, sq = 0;
        int atEdge = 0, n = 20_000;
        for (int k = 0; k < n; k++) {
            s.propose(x);
            assertThat(x[1]).isBetween(0.0, 1.0);
            if (x[1] == 0.0 || x[1] == 1.0) atEdge++;
            sum += x[0];
            sq += x[0] * x[0];
        }
        double mean = sum / n;
        assertThat(mean).isCloseTo(3.0, within(0.02));
        assertThat(Math.sqrt(sq / n - mean * mean)).isCloseTo(0.5, within(0.02));
        // σ = 2 on [0, 1] around 0.5: P(|N(0, 2)| > 0.5) = 2(1 − Φ(0.25)) ≈ 0.803 of the draws land on an edge
        assertThat(atEdge / (double) n).isCloseTo(0.803, within(0.02));
    }

    /**
     * Through the curriculum: a learner whose return is higher toward the target's centre pulls the
     * distribution there. (With a constant return the data term has no expected direction, and the
     * trust-region step, always normalised to maxKl, follows its sampling noise: SPDL needs values
     * that differ across tasks.)
     */
    @Test
    void theDistributionMovesTowardTheTargetWhenPerformanceAllows() {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 0, 1).teacher("spdl")
                .set("teacher.initialMean", List.of(0.1, 0.1)).set("teacher.updateFrequency", 100).set("teacher.updateOffset", 100)
                .seed(3).build());
        Spdl s = (Spdl) c.teacher();
        double kl0 = s.klToTarget();
        for (int b = 0; b < 125; b++) {
            List<ParamOutcome> out = new ArrayList<>();
            for (ParamTask t : c.next(16)) {
                double dx = t.params()[0] - 0.5, dy = t.params()[1] - 0.5;
                out.add(ParamOutcome.of(t.id(), 1 - Math.sqrt(dx * dx + dy * dy)));
            }
            c.report(out);
        }
        assertThat(s.updates()).isEqualTo(20);
        // from KL 3.55 (mean (0.1, 0.1), σ 0.1) to the centre; σ ends below the target's 0.25, as returns peak there
        assertThat(s.klToTarget()).isLessThan(0.3 * kl0);
        assertThat(s.mean(0)).isCloseTo(0.5, within(0.1));
        assertThat(s.mean(1)).isCloseTo(0.5, within(0.1));
        assertThat(c.stats().teacherView().get("refusedSteps")).isZero();
    }

    @Test
    void configurationIsReadAndBadValuesNameTheField() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\"}}");
        assertThat(c.teacher()).isEqualTo(Spdl.Params.DEFAULTS);
        assertThat(c.canonicalJson()).contains("\"maxKl\":0.8", "\"zeta\":0.05", "\"updateFrequency\":250").doesNotContain("targetMean");
        ContinuousConfig set = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"targetMean\": [3, 6],"
                + " \"targetStd\": [0.1, 0.2], \"initialMean\": [0, 0], \"initialStd\": [0.3, 0.6], \"maxKl\": 0.1}}");
        Spdl.Params p = (Spdl.Params) set.teacher();
        assertThat(p.targetMean()).containsExactly(3, 6);
        assertThat(p.initialStd()).containsExactly(0.3, 0.6);
        assertThat(ContinuousConfig.fromJson(set.canonicalJson())).isEqualTo(set);
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"maxKl\": 0}}").path()).isEqualTo("teacher.maxKl");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"updateFrequency\": 0}}").path()).isEqualTo("teacher.updateFrequency");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"zeta\": -1}}").path()).isEqualTo("teacher.zeta");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"targetStd\": [1, 0]}}").getMessage())
                .contains("teacher.targetStd[1]", "must be > 0");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"targetMean\": [4, 1]}}").getMessage())
                .contains("teacher.targetMean[0]", "stump_height", "outside");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"initialMean\": [1, 2, 3]}}").path()).isEqualTo("teacher.initialMean");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"spdl\", \"max_kl\": 1}}").getMessage()).contains("teacher.max_kl", "maxKl");
    }
}
