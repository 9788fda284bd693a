package io.proxima.core.sample;

import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SumTree against a linear scan (differential), and the distribution of its draws. */
class SumTreeTest {
    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** The reference: leaf whose cumulative interval [c_k, c_k + w_k) holds the target; -1 if none. */
    private static int linearFind(List<Double> w, double target) {
        double c = 0;
        for (int k = 0; k < w.size(); k++) {
            if (w.get(k) > 0 && target >= c && target < c + w.get(k)) return k;
            c += w.get(k);
        }
        return -1;
    }

    private static double sum(List<Double> w) {
        double s = 0;
        for (double x : w) s += x;
        return s;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesALinearScanOnRandomOperations(long seed) {
        // integer weights: every sum is exact, so the tree and the scan must agree exactly; targets
        // sit mid-unit ((m + .5)/total), away from interval boundaries
        Rng rng = new Rng(seed);
        SumTree tree = new SumTree(1 + rng.nextInt(8));
        List<Double> ref = new ArrayList<>();
        int ops = 200 + rng.nextInt(300);
        for (int op = 0; op < ops; op++) {
            int kind = rng.nextInt(10);
            if (ref.isEmpty() || kind < 3) {
                double w = rng.nextInt(4) == 0 ? 0 : rng.nextInt(100);
                assertThat(tree.add(w)).as("seed %d", seed).isEqualTo(ref.size());
                ref.add(w);
            } else if (kind < 7) {
                int k = rng.nextInt(ref.size());
                double w = rng.nextInt(3) == 0 ? 0 : rng.nextInt(1000);
                tree.set(k, w);
                ref.set(k, w);
            } else {
                double total = sum(ref);
                assertThat(tree.total()).as("seed %d op %d", seed, op).isEqualTo(total);
                if (total == 0) {
                    assertThat(tree.find(rng.nextDouble())).as("seed %d", seed).isEqualTo(-1);
                    continue;
                }
                long m = (long) (rng.nextDouble() * total);
                double u = (m + 0.5) / total;
                int expected = linearFind(ref, m + 0.5);
                assertThat(tree.find(u)).as("seed %d op %d u %s weights %s", seed, op, u, ref).isEqualTo(expected);
            }
            assertThat(tree.size()).isEqualTo(ref.size());
        }
        for (int k = 0; k < ref.size(); k++) assertThat(tree.get(k)).as("seed %d", seed).isEqualTo(ref.get(k));
        tree.rebuild();
        assertThat(tree.total()).as("seed %d", seed).isEqualTo(sum(ref));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void realWeightsAgreeExceptWithinRoundingOfABoundary(long seed) {
        Rng rng = new Rng(~seed);
        int n = 1 + rng.nextInt(300);
        SumTree tree = new SumTree(4);
        List<Double> ref = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double w = rng.nextInt(5) == 0 ? 0 : rng.nextDouble() * Math.pow(10, rng.nextInt(6) - 3);
            tree.add(w);
            ref.add(w);
        }
        for (int i = 0; i < 200; i++) {
            int k = rng.nextInt(n);
            double w = rng.nextInt(5) == 0 ? 0 : rng.nextDouble();
            tree.set(k, w);
            ref.set(k, w);
        }
        double total = sum(ref);
        for (int q = 0; q < 500; q++) {
            double u = rng.nextDouble();
            int got = tree.find(u);
            if (total == 0) {
                assertThat(got).isEqualTo(-1);
                continue;
            }
            assertThat(got).as("seed %d", seed).isBetween(0, n - 1);
            assertThat(ref.get(got)).as("seed %d: drew an empty leaf", seed).isPositive();
            int expected = linearFind(ref, u * total);
            if (got != expected) {
                // only allowed when the target lies within rounding of the boundary between them
                double c = 0;
                for (int k = 0; k < Math.max(got, expected); k++) c += ref.get(k);
                assertThat(Math.abs(c - u * total)).as("seed %d: %d vs %d", seed, got, expected).isLessThan(1e-9 * Math.max(1, total));
            }
        }
    }

    @Test
    void drawsFollowTheWeights() {
        // χ² goodness of fit over 12 leaves (two empty), 200 000 draws, at the 1e-4 level
        double[] w = {1, 2, 3, 4, 0, 10, 0.5, 7, 7, 0, 25, 1.5};
        SumTree tree = new SumTree(3);
        for (double x : w) tree.add(x);
        Rng rng = new Rng(42);
        int draws = 200_000;
        long[] count = new long[w.length];
        for (int i = 0; i < draws; i++) count[tree.sample(rng)]++;
        double total = 0;
        for (double x : w) total += x;
        double chi2 = 0;
        int df = -1;
        for (int k = 0; k < w.length; k++) {
            if (w[k] == 0) {
                assertThat(count[k]).as("empty leaf %d drawn", k).isZero();
                continue;
            }
            double e = draws * w[k] / total;
            chi2 += (count[k] - e) * (count[k] - e) / e;
            df++;
        }
        double critical = new ChiSquaredDistribution(df).inverseCumulativeProbability(1 - 1e-4);
        assertThat(chi2).isLessThan(critical);
    }

    @Test
    void aSkewedTreeIsStillFaithful() {
        // one heavy leaf among many light ones: the light ones keep their share
        SumTree tree = new SumTree(1);
        tree.add(1000);
        for (int i = 0; i < 1000; i++) tree.add(1);
        Rng rng = new Rng(7);
        int light = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) if (tree.sample(rng) != 0) light++;
        // expected share .5, sd .0016
        assertThat(light / (double) n).isBetween(0.49, 0.51);
    }

    @Test
    void zeroWeightLeavesAreNeverDrawn() {
        for (long seed = 0; seed < 50; seed++) {
            Rng rng = new Rng(seed);
            SumTree tree = new SumTree(16);
            int n = 1 + rng.nextInt(100);
            for (int i = 0; i < n; i++) tree.add(rng.nextInt(2) == 0 ? 0 : rng.nextDouble() * 1e-3);
            // zero some out again, many times (drift in the inner sums)
            for (int i = 0; i < 2000; i++) {
                int k = rng.nextInt(n);
                tree.set(k, rng.nextInt(3) == 0 ? rng.nextDouble() * 0.1 : 0);
            }
            for (int i = 0; i < 2000; i++) {
                int k = tree.sample(rng);
                if (k >= 0) assertThat(tree.get(k)).as("seed %d", seed).isPositive();
            }
            for (double u : new double[] {0, Math.nextDown(1.0), 0.5}) {
                int k = tree.find(u);
                if (k >= 0) assertThat(tree.get(k)).as("seed %d u %s", seed, u).isPositive();
            }
        }
    }

    @Test
    void allZeroGivesMinusOne() {
        SumTree tree = new SumTree(4);
        assertThat(tree.find(0.3)).isEqualTo(-1);
        tree.add(0.1);
        tree.add(0.2);
        tree.add(0.7);
        tree.set(0, 0);
        tree.set(2, 0);
        tree.set(1, 0);
        assertThat(tree.sample(new Rng(1))).isEqualTo(-1);
        assertThat(tree.total()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void growsAndRebuildsWithoutLosingWeights() {
        SumTree tree = new SumTree(1);
        for (int i = 0; i < 1000; i++) tree.add(i % 7);
        long expected = 0;
        for (int i = 0; i < 1000; i++) expected += i % 7;
        assertThat(tree.total()).isEqualTo((double) expected);
        for (int i = 0; i < 1000; i++) assertThat(tree.get(i)).isEqualTo(i % 7);
        // drift from many real-valued updates is removed by rebuild
        Rng rng = new Rng(3);
        for (int i = 0; i < 100_000; i++) tree.set(rng.nextInt(1000), rng.nextDouble());
        for (int i = 0; i < 1000; i++) tree.set(i, 0.25);
        tree.rebuild();
        assertThat(tree.total()).isEqualTo(250.0);
        assertThat(tree.footprintBytes()).isPositive();
    }

    @Test
    void rejectsBadInput() {
        SumTree tree = new SumTree(2);
        tree.add(1);
        assertThatThrownBy(() -> tree.set(0, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 0");
        assertThatThrownBy(() -> tree.set(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.add(-0.5)).isInstanceOf(IllegalArgumentException.class);
        // a rejected add leaves no leaf behind
        assertThat(tree.size()).isEqualTo(1);
        assertThat(tree.total()).isEqualTo(1.0);
        assertThatThrownBy(() -> tree.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> tree.set(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
