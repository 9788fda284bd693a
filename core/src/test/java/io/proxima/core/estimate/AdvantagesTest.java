package io.proxima.core.estimate;

import io.proxima.core.estimate.Advantages.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** GRPO advantages, worked by hand (shared/algorithms/llm-rl.md §2, "Convention"). */
class AdvantagesTest {
    private static final double EPS = Advantages.EPS;

    @Test
    void stdModeGroupWithOneFailure() {
        // r = [1,1,1,0]: mean = 0.75; deviations .25,.25,.25,-.75; Σd² = 3·.0625 + .5625 = .75
        // std₁ = sqrt(.75 / 3) = 0.5; A = d / (0.5 + 1e-6) = [.5, .5, .5, -1.5] (up to ε)
        double[] r = {1, 1, 1, 0};
        assertThat(Advantages.mean(r)).isEqualTo(0.75);
        assertThat(Advantages.std(r)).isEqualTo(0.5);
        double[] a = new double[4];
        Advantages.compute(r, Mode.STD, a, 0);
        double s = 0.5 + EPS;
        assertThat(a).containsExactly(new double[] {0.25 / s, 0.25 / s, 0.25 / s, -0.75 / s}, within(1e-15));
        // mean|A| = (3·.25 + .75) / 4 / (0.5 + ε) = 0.375 / 0.500001 = 0.7499985
        assertThat(Advantages.meanAbs(r, Mode.STD)).isCloseTo(0.375 / s, within(1e-15)).isCloseTo(0.75, within(1e-5));
        // the mirrored group [0,0,0,1] has the same mean|A|
        assertThat(Advantages.meanAbs(new double[] {0, 0, 0, 1}, Mode.STD)).isCloseTo(0.375 / s, within(1e-15));
    }

    @Test
    void stdModeBalancedGroup() {
        // r = [1,0,1,0]: mean .5; Σd² = 4·.25 = 1; std₁ = sqrt(1/3) = 0.577350; mean|d| = .5
        // mean|A| = .5 / (0.577350 + 1e-6) = 0.866024 (ddof = 0 would give 1.0)
        double[] r = {1, 0, 1, 0};
        assertThat(Advantages.std(r)).isCloseTo(Math.sqrt(1.0 / 3), within(1e-15));
        assertThat(Advantages.meanAbs(r, Mode.STD)).isCloseTo(0.5 / (Math.sqrt(1.0 / 3) + EPS), within(1e-15))
                .isCloseTo(0.866, within(1e-3));
        double[] a = new double[6];
        Advantages.compute(r, Mode.STD, a, 2); // written at the offset, the rest untouched
        assertThat(a[0]).isZero();
        assertThat(a[1]).isZero();
        assertThat(a[2]).isCloseTo(0.866024, within(1e-6));
        assertThat(a[3]).isCloseTo(-0.866024, within(1e-6));
    }

    @Test
    void meanModeIsCentredOnly() {
        // [1,1,1,0]: A = [.25,.25,.25,-.75], mean|A| = 1.5/4 = 0.375 (= 2·p(1−p) with p = .75)
        assertThat(Advantages.meanAbs(new double[] {1, 1, 1, 0}, Mode.MEAN)).isEqualTo(0.375);
        // [1,0,1,0]: A = ±.5, mean|A| = 0.5 (= 2·.5·.5)
        assertThat(Advantages.meanAbs(new double[] {1, 0, 1, 0}, Mode.MEAN)).isEqualTo(0.5);
        double[] a = new double[3];
        // real rewards [0.2, 0.5, 0.8]: mean .5 → A = [-.3, 0, .3]
        Advantages.compute(new double[] {0.2, 0.5, 0.8}, Mode.MEAN, a, 0);
        assertThat(a).containsExactly(new double[] {-0.3, 0, 0.3}, within(1e-15));
    }

    @Test
    void degenerateGroupsCarryNoGradient() {
        for (Mode mode : Mode.values()) {
            for (double[] r : new double[][] {{1, 1, 1, 1}, {0, 0, 0, 0, 0, 0, 0, 0}, {0.3, 0.3}}) {
                assertThat(Advantages.degenerate(r)).isTrue();
                assertThat(Advantages.meanAbs(r, mode)).isZero();
                double[] a = new double[r.length];
                java.util.Arrays.fill(a, 9);
                Advantages.compute(r, mode, a, 0);
                assertThat(a).containsOnly(0.0);
            }
        }
        assertThat(Advantages.degenerate(new double[] {1, 1, 0})).isFalse();
    }

    @Test
    void singleRollout() {
        // verl: a group of one has std := 1; the lone reward equals the mean, so A = 0
        double[] r = {1};
        assertThat(Advantages.std(r)).isEqualTo(1.0);
        assertThat(Advantages.degenerate(r)).isTrue();
        assertThat(Advantages.meanAbs(r, Mode.STD)).isZero();
        assertThat(Advantages.meanAbs(r, Mode.MEAN)).isZero();
    }

    @Test
    void stdNormalisationMakesMeanAbsNearTwoSqrtPq() {
        // algorithms.md: E[mean|A|] ≈ 2·sqrt(p(1−p)) with std normalisation; exact for a large
        // balanced-by-construction group: G = 1000 with 300 ones: mean|d| = 2·.3·.7 = .42,
        // std₁ = sqrt(1000·.21/999) → mean|A| = .42 / .458487 = 0.916056
        double[] r = new double[1000];
        java.util.Arrays.fill(r, 0, 300, 1.0);
        double std = Math.sqrt(1000 * 0.21 / 999);
        assertThat(Advantages.meanAbs(r, Mode.STD)).isCloseTo(0.42 / (std + EPS), within(1e-12))
                .isCloseTo(2 * Math.sqrt(0.21), within(1e-3));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void theFusedPassIsBitForBitComputePlusMeanAbs(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(17);
            double[] r = new double[n];
            boolean binary = rnd.nextBoolean();
            for (int k = 0; k < n; k++) r[k] = binary ? rnd.nextInt(2) : (rnd.nextInt(4) == 0 ? 0.5 : rnd.nextGaussian() * 3);
            for (Advantages.Mode mode : Advantages.Mode.values()) {
                double[] a = new double[n + 3];
                double[] b = new double[n + 3];
                Advantages.compute(r, mode, a, 3);
                double meanAbs = Advantages.computeWithMeanAbs(r, mode, b, 3);
                assertThat(b).isEqualTo(a);
                assertThat(Double.doubleToRawLongBits(meanAbs)).isEqualTo(Double.doubleToRawLongBits(Advantages.meanAbs(r, mode)));
            }
        }
    }
}
