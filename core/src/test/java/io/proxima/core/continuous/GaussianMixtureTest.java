package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import org.hipparchus.distribution.multivariate.MixtureMultivariateNormalDistribution;
import org.hipparchus.stat.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GaussianMixtureTest {
    /** n points around each of the given centres, isotropic σ, rows shuffled by the generator. */
    static double[] blobs(double[][] centres, int perBlob, double sigma, long seed) {
        Rng rng = new Rng(seed);
        int dim = centres[0].length;
        int n = centres.length * perBlob;
        double[] x = new double[n * dim];
        for (int i = 0; i < n; i++) {
            double[] c = centres[i % centres.length];
            for (int a = 0; a < dim; a++) x[i * dim + a] = c[a] + sigma * rng.nextGaussian();
        }
        return x;
    }

    static final double[][] THREE = {{0, 0}, {10, 0}, {0, 10}};

    @Test
    void bicPicksTheNumberOfWellSeparatedBlobs() {
        for (long seed = 1; seed <= 5; seed++) {
            double[] x = blobs(THREE, 100, 1.0, seed);
            GaussianMixture.Params p = new GaussianMixture.Params(1, 6, GaussianMixture.Criterion.BIC, 3, 200, 1e-6, 1e-6, 100);
            GaussianMixture g = GaussianMixture.select(x, 300, 2, p, new Rng(1));
            assertThat(g.components()).as("seed %d", seed).isEqualTo(3);
            // the components sit on the blobs, each with about a third of the mass
            for (int j = 0; j < 3; j++) {
                assertThat(g.weight(j)).isCloseTo(1.0 / 3, within(0.02));
                double mx = g.mean(j, 0), my = g.mean(j, 1);
                double nearest = Double.POSITIVE_INFINITY;
                for (double[] ctr : THREE) nearest = Math.min(nearest, Math.hypot(mx - ctr[0], my - ctr[1]));
                assertThat(nearest).isLessThan(0.3);
                assertThat(g.covariance(j, 0, 0)).isCloseTo(1.0, within(0.3));
            }
        }
    }

    /**
     * AIC (the reference default) never under-fits well-separated blobs, but its penalty (2 per
     * parameter) is known to let a mixture split a blob: on 3 blobs × 100 points it picks 3 on
     * about half of the seeds and 4–6 on the rest (BIC: 3 on every seed). So: at least the true k,
     * and the smallest criterion among the candidates.
     */
    @ParameterizedTest
    @EnumSource(value = GaussianMixture.Criterion.class, names = {"AIC", "AICC"})
    void aicNeverUnderfitsAndReturnsTheSmallestCriterion(GaussianMixture.Criterion c) {
        double[] x = blobs(THREE, 100, 1.0, 42);
        GaussianMixture.Params p = new GaussianMixture.Params(1, 6, c, 3, 200, 1e-6, 1e-6, 100);
        GaussianMixture g = GaussianMixture.select(x, 300, 2, p, new Rng(1));
        assertThat(g.components()).isGreaterThanOrEqualTo(3);
        // the same fits one by one, on the same generator stream: g has the smallest criterion, first on ties
        Rng rng = new Rng(1);
        double best = Double.POSITIVE_INFINITY;
        int bestK = -1;
        for (int k = 1; k <= 6; k++) {
            double v = GaussianMixture.fit(x, 300, 2, k, p, rng).criterion(c);
            if (v < best) {
                best = v;
                bestK = k;
            }
        }
        assertThat(g.components()).isEqualTo(bestK);
        assertThat(g.criterion(c)).isEqualTo(best);
    }

    @Test
    void fiveBlobsInThreeDimensionsWithTheDefaultRange() {
        double[][] five = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}, {0, 0, 8}, {8, 8, 8}};
        double[] x = blobs(five, 60, 0.7, 7);
        GaussianMixture.Params p = new GaussianMixture.Params(2, 10, GaussianMixture.Criterion.BIC, 3, 100, 1e-3, 1e-6, 100);
        assertThat(GaussianMixture.select(x, 300, 3, p, new Rng(2)).components()).isEqualTo(5);
    }

    /** Differential: on clean, well-separated data our EM reaches Hipparchus' log-likelihood. */
    @Test
    void logLikelihoodMatchesHipparchusOnCleanData() {
        double[] x = blobs(THREE, 100, 1.0, 5);
        double[][] rows = new double[300][2];
        for (int i = 0; i < 300; i++) rows[i] = new double[] {x[2 * i], x[2 * i + 1]};
        MultivariateNormalMixtureExpectationMaximization em = new MultivariateNormalMixtureExpectationMaximization(rows);
        MixtureMultivariateNormalDistribution init = MultivariateNormalMixtureExpectationMaximization.estimate(rows, 3);
        em.fit(init, 1000, 1e-9);
        double theirs = em.getLogLikelihood(); // mean per point

        GaussianMixture.Params p = new GaussianMixture.Params(3, 3, GaussianMixture.Criterion.AIC, 3, 1000, 1e-9, 1e-6, 100);
        GaussianMixture ours = GaussianMixture.fit(x, 300, 2, 3, p, new Rng(3));
        assertThat(ours.converged()).isTrue();
        assertThat(ours.logLikelihood() / 300).isCloseTo(theirs, within(1e-4));
        // and the density of a point agrees with theirs
        double[] scratch = new double[2 + 3];
        double[] q = {0.5, -0.3};
        assertThat(ours.logDensity(q, 0, scratch)).isCloseTo(Math.log(em.getFittedModel().density(q)), within(1e-3));
    }

    @Test
    void criteriaByHand() {
        // k = 2, D = 3: P = 2·3·4/2 + 2·3 + 1 = 12 + 6 + 1 = 19
        assertThat(GaussianMixture.parameterCount(2, 3)).isEqualTo(19);
        // k = 1, D = 1: P = 1 + 1 + 0 = 2
        assertThat(GaussianMixture.parameterCount(1, 1)).isEqualTo(2);
        // one component on {−1, 1}: μ = 0, σ² = 1 + reg; LL = 2·(−½ log 2π − ½ log σ² − ½ · 1/σ²)
        double reg = 1e-6;
        GaussianMixture.Params p = new GaussianMixture.Params(1, 1, GaussianMixture.Criterion.AIC, 1, 100, 1e-9, reg, 10);
        GaussianMixture g = GaussianMixture.fit(new double[] {-1, 1}, 2, 1, 1, p, new Rng(0));
        double s2 = 1 + reg;
        double ll = 2 * (-0.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(s2) - 0.5 / s2);
        assertThat(g.logLikelihood()).isCloseTo(ll, within(1e-12));
        assertThat(g.criterion(GaussianMixture.Criterion.AIC)).isCloseTo(-2 * ll + 2 * 2, within(1e-12));
        assertThat(g.criterion(GaussianMixture.Criterion.BIC)).isCloseTo(-2 * ll + 2 * Math.log(2), within(1e-12));
        // AICc: n − P − 1 = −1 ≤ 0 → +∞
        assertThat(g.criterion(GaussianMixture.Criterion.AICC)).isInfinite();
    }

    static void assertFinite(GaussianMixture g) {
        double[] scratch = new double[g.dim() + g.components()];
        double[] origin = new double[g.dim()];
        assertThat(Double.isFinite(g.logLikelihood())).isTrue();
        assertThat(Double.isFinite(g.logDensity(origin, 0, scratch))).isTrue();
        double wsum = 0;
        for (int j = 0; j < g.components(); j++) {
            wsum += g.weight(j);
            for (int a = 0; a < g.dim(); a++) {
                assertThat(Double.isFinite(g.mean(j, a))).isTrue();
                for (int b = 0; b < g.dim(); b++) assertThat(Double.isFinite(g.covariance(j, a, b))).isTrue();
            }
        }
        assertThat(wsum).isCloseTo(1.0, within(1e-9));
        double[] out = new double[g.dim()];
        double[] z = new double[g.dim()];
        Rng rng = new Rng(1);
        for (int j = 0; j < g.components(); j++) {
            g.sample(j, rng, out, g.dim(), z);
            for (double v : out) assertThat(Double.isFinite(v)).isTrue();
        }
    }

    @Test
    void duplicatePointsGiveFiniteModels() {
        double[] x = new double[250 * 3];
        for (int i = 0; i < 250; i++) {
            x[i * 3] = 0.5;
            x[i * 3 + 1] = 0.25;
            x[i * 3 + 2] = 0.0;
        }
        GaussianMixture g = GaussianMixture.select(x, 250, 3, GaussianMixture.Params.DEFAULTS, new Rng(4));
        assertFinite(g);
    }

    @Test
    void zeroVarianceColumnGivesFiniteModels() {
        // the ALP column of a bootstrap window is all zeros
        double[] x = blobs(THREE, 50, 0.5, 8);
        double[] withAlp = new double[150 * 3];
        for (int i = 0; i < 150; i++) {
            withAlp[i * 3] = x[2 * i];
            withAlp[i * 3 + 1] = x[2 * i + 1];
        }
        GaussianMixture g = GaussianMixture.select(withAlp, 150, 3, GaussianMixture.Params.DEFAULTS, new Rng(4));
        assertFinite(g);
        assertThat(g.components()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void fewerPointsThanDimensionsOrComponents() {
        Rng data = new Rng(12);
        double[] x = new double[4 * 8];
        for (int i = 0; i < x.length; i++) x[i] = data.nextDouble();
        // 4 points in 8 dimensions, k from 2 to 10 (k > n is skipped)
        GaussianMixture g = GaussianMixture.select(x, 4, 8, GaussianMixture.Params.DEFAULTS, new Rng(4));
        assertFinite(g);
        assertThat(g.components()).isBetween(2, 4);
        // a single point
        GaussianMixture one = GaussianMixture.select(new double[] {1, 2}, 1, 2, GaussianMixture.Params.DEFAULTS, new Rng(4));
        assertFinite(one);
        assertThat(one.components()).isEqualTo(1);
    }

    @Test
    void hugeRawUnitsStillFactor() {
        double[] x = blobs(new double[][] {{0, 0}, {1e9, 1e9}}, 40, 1e7, 3);
        // make one coordinate exactly collinear with the other: a rank-1 covariance at a 1e14 scale
        for (int i = 0; i < 80; i++) x[2 * i + 1] = 3 * x[2 * i];
        assertFinite(GaussianMixture.select(x, 80, 2, GaussianMixture.Params.DEFAULTS, new Rng(1)));
    }

    @Test
    void samplesFollowTheComponent() {
        double[] x = blobs(new double[][] {{2, -1}}, 400, 1.0, 9);
        GaussianMixture.Params p = new GaussianMixture.Params(1, 1, GaussianMixture.Criterion.AIC, 1, 100, 1e-6, 1e-6, 10);
        GaussianMixture g = GaussianMixture.fit(x, 400, 2, 1, p, new Rng(1));
        Rng rng = new Rng(5);
        double[] out = new double[2];
        double[] z = new double[2];
        double sx = 0, sy = 0, sxx = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            g.sample(0, rng, out, 2, z);
            sx += out[0];
            sy += out[1];
            sxx += (out[0] - g.mean(0, 0)) * (out[0] - g.mean(0, 0));
        }
        assertThat(sx / n).isCloseTo(g.mean(0, 0), within(0.05));
        assertThat(sy / n).isCloseTo(g.mean(0, 1), within(0.05));
        assertThat(sxx / n).isCloseTo(g.covariance(0, 0, 0), within(0.05));
    }

    @Test
    void pickProportionalFollowsScoresAndFallsBackToUniform() {
        Rng rng = new Rng(2);
        int[] counts = new int[3];
        double[] score = {0.0, 1.0, 3.0};
        for (int i = 0; i < 40_000; i++) counts[GaussianMixture.pickProportional(score, 3, rng)]++;
        assertThat(counts[0]).isZero();
        assertThat(counts[2] / 40_000.0).isCloseTo(0.75, within(0.01));
        int[] uniform = new int[3];
        for (int i = 0; i < 30_000; i++) uniform[GaussianMixture.pickProportional(new double[3], 3, rng)]++;
        for (int c : uniform) assertThat(c / 30_000.0).isCloseTo(1.0 / 3, within(0.015));
    }

    @Test
    void modelRoundTripsThroughSnapshotBytes() {
        GaussianMixture g = GaussianMixture.select(blobs(THREE, 30, 1, 1), 90, 2, GaussianMixture.Params.DEFAULTS, new Rng(1));
        SnapshotWriter w = new SnapshotWriter();
        g.write(w);
        byte[] bytes = w.toByteArray();
        GaussianMixture back = GaussianMixture.read(new SnapshotReader(bytes), 2);
        SnapshotWriter w2 = new SnapshotWriter();
        back.write(w2);
        assertThat(w2.toByteArray()).isEqualTo(bytes);
    }
}
