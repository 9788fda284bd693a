package io.proxima.core.continuous;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
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
}
