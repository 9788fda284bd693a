package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AlpHistoryTest {
    /** The worked example of spec §1.2 (d = 2, box [0,1]²), row by row. */
    @Test
    void workedExampleOfTheSpecification() {
        AlpHistory h = new AlpHistory(2, 1000);
        double[][] p = {{0.10, 0.10}, {0.80, 0.20}, {0.50, 0.50}, {0.20, 0.90}, {0.90, 0.90}, {0.15, 0.05},
                {0.12, 0.08}, {0.52, 0.47}, {0.13, 0.09}};
        double[] r = {0.20, 0.00, 0.40, 0.10, 0.00, 0.30, 0.45, 0.30, 0.50};
        // episodes 1–6: the history holds 0..5 pairs at the query (5 is not > 5) → 0
        // ep 7: nearest is ep1 (0.0283; ep6 is 0.0424) → |0.45 − 0.20| = 0.25
        // ep 8: nearest is ep3 (0.0361) → |0.30 − 0.40| = 0.10
        // ep 9: nearest is ep7 (0.0141; ep1 is 0.0316) → |0.50 − 0.45| = 0.05
        double[] expected = {0, 0, 0, 0, 0, 0, 0.25, 0.10, 0.05};
        for (int i = 0; i < p.length; i++) {
            assertThat(h.alpAndAdd(p[i], r[i])).as("episode %d", i + 1).isCloseTo(expected[i], within(1e-12));
        }
        assertThat(h.size()).isEqualTo(9);
    }

    @Test
    void tiesGoToTheOldestPair() {
        AlpHistory h = new AlpHistory(1, 100);
        for (int i = 0; i < 6; i++) h.alpAndAdd(new double[] {10 + i}, 0);
        h.alpAndAdd(new double[] {0.0}, 0.9);   // oldest at distance 1 from 1.0 …
        h.alpAndAdd(new double[] {2.0}, 0.3);   // … this one too
        // 1.0 is at distance 1 from both: the older (0.0, r=0.9) wins → |0.5 − 0.9| = 0.4 (not 0.2)
        assertThat(h.alpAndAdd(new double[] {1.0}, 0.5)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void slidingWindowForgetsTheOldestPairs() {
        AlpHistory h = new AlpHistory(1, 6);
        h.alpAndAdd(new double[] {0.0}, 1.0); // will fall out of the window
        for (int i = 1; i <= 6; i++) h.alpAndAdd(new double[] {10.0 * i}, 0.0);
        assertThat(h.size()).isEqualTo(6);
        // the pair at 0.0 is gone: nearest to 0.1 is now 10.0 with r = 0
        assertThat(h.alpAndAdd(new double[] {0.1}, 0.25)).isCloseTo(0.25, within(1e-12));
    }

    /**
     * A return that jumps at x = 0.5: three far pairs (9, 0.5), then (0, 0.0), (1, 1.0), (2, 0.9).
     * Query (0.5, 0.95): x = 0 and x = 1 tie at 0.25 (squared), x = 2 is at 2.25. k = 1 takes the
     * older x = 0 across the jump: 0.95. k = 3 takes x = 0, 1, 2: differences 0.95, 0.05, 0.05 →
     * median 0.05.
     */
    @Test
    void medianOfTheNearestIgnoresANeighbourAcrossAJump() {
        double[][] xs = {{9}, {9}, {9}, {0}, {1}, {2}};
        double[] rs = {0.5, 0.5, 0.5, 0.0, 1.0, 0.9};
        AlpHistory one = new AlpHistory(1, 100);
        AlpHistory three = new AlpHistory(1, 100);
        for (int i = 0; i < xs.length; i++) {
            one.alpAndAdd(xs[i], rs[i], null, 1);
            three.alpAndAdd(xs[i], rs[i], null, 3);
        }
        assertThat(one.alpAndAdd(new double[] {0.5}, 0.95, null, 1)).isCloseTo(0.95, within(1e-12));
        assertThat(three.alpAndAdd(new double[] {0.5}, 0.95, null, 3)).isCloseTo(0.05, within(1e-12));
    }

    /** Six pairs held, k = 11: all six count; differences 0, 0.1, …, 0.5 → mean of the middle two, 0.25. */
    @Test
    void fewerPairsThanKTakeTheMedianOfAllHeld() {
        AlpHistory h = new AlpHistory(1, 100);
        for (int i = 0; i < 6; i++) h.alpAndAdd(new double[] {i}, 0.1 * i, null, 11);
        assertThat(h.alpAndAdd(new double[] {0}, 0, null, 11)).isCloseTo(0.25, within(1e-12));
        assertThatThrownBy(() -> h.alpAndAdd(new double[] {0}, 0, null, 0)).hasMessageContaining("k must be >= 1");
    }

    /**
     * Over seeded random streams (dimensions, window, weights, k): the ALP equals a brute-force
     * median over a stable sort of the window by distance (oldest first on ties); k = 1 equals the
     * nearest-neighbour ALP; the median lies between the smallest and largest difference held.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void kNearestMedianMatchesBruteForce(long seed) {
        Rng g = new Rng(seed);
        int d = 1 + g.nextInt(4);
        int capacity = 6 + g.nextInt(60);
        int k = 1 + 2 * g.nextInt(8);
        double[] w = new double[d];
        for (int a = 0; a < d; a++) w[a] = g.nextInt(4) == 0 ? 0 : g.nextDouble();
        AlpHistory h = new AlpHistory(d, capacity);
        AlpHistory nn = new AlpHistory(d, capacity);
        AlpHistory nnk = new AlpHistory(d, capacity);
        List<double[]> held = new ArrayList<>(); // chronological [p..., r]
        for (int e = 0; e < 300; e++) {
            double[] p = new double[d];
            // a coarse grid makes distance ties frequent
            for (int a = 0; a < d; a++) p[a] = g.nextInt(5) / 4.0;
            double r = g.nextInt(3) == 0 ? 1 : g.nextDouble();
            double alp = h.alpAndAdd(p, r, w, k);
            double expected = 0;
            if (held.size() > AlpHistory.MIN_HISTORY) {
                List<double[]> byDistance = new ArrayList<>(held);
                byDistance.sort(Comparator.comparingDouble(q -> {
                    double s = 0;
                    for (int a = 0; a < d; a++) s += w[a] * (p[a] - q[a]) * (p[a] - q[a]);
                    return s;
                }));
                int m = Math.min(k, held.size());
                double[] diff = new double[m];
                for (int i = 0; i < m; i++) diff[i] = Math.abs(r - byDistance.get(i)[d]);
                Arrays.sort(diff);
                expected = m % 2 == 1 ? diff[m / 2] : 0.5 * (diff[m / 2 - 1] + diff[m / 2]);
                double lo = Double.POSITIVE_INFINITY, hi = 0;
                for (double[] q : held) {
                    lo = Math.min(lo, Math.abs(r - q[d]));
                    hi = Math.max(hi, Math.abs(r - q[d]));
                }
                assertThat(alp).isBetween(lo, hi);
            }
            assertThat(alp).as("seed %d episode %d (d %d, capacity %d, k %d)", seed, e, d, capacity, k).isCloseTo(expected, within(1e-12));
            assertThat(nn.alpAndAdd(p, r, w)).isEqualTo(nnk.alpAndAdd(p, r, w, 1));
            double[] row = Arrays.copyOf(p, d + 1);
            row[d] = r;
            held.add(row);
            if (held.size() > capacity) held.remove(0);
        }
    }
}
