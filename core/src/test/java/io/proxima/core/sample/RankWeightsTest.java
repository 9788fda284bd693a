package io.proxima.core.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankWeightsTest {
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 1.0, 2.0})
    void cumulativeBeyondTheTableMatchesTheSum(double beta) {
        RankWeights w = new RankWeights(beta);
        double exact = 0;
        for (int r = 1; r <= 50_000; r++) {
            exact += Math.pow(r, -1 / beta);
            if (r > RankWeights.TABLE && r % 997 == 0) {
                assertThat(w.cumulative(r)).as("H(%d), beta %s", r, beta).isCloseTo(exact, within(1e-9 * exact));
            }
        }
    }

    @Test
    void handComputedWeights() {
        // beta = 1: w(r) = 1/r; H(3) = 1 + 1/2 + 1/3 = 1.8333…
        RankWeights w = new RankWeights(1.0);
        assertThat(w.cumulative(3)).isCloseTo(11.0 / 6, within(1e-12));
        // beta = 0.5: w(r) = 1/r^2; H(2) = 1.25
        assertThat(new RankWeights(0.5).cumulative(2)).isCloseTo(1.25, within(1e-12));
    }

    @Test
    void drawsWithoutReplacementFollowTheRemainingWeights() {
        // beta = 1 over 4 positions, position 1 taken: remaining weights 1/2, 1/3, 1/4 (sum 13/12)
        RankWeights w = new RankWeights(1.0);
        RankWeights.Exclusions ex = w.newExclusions();
        ex.add(1);
        Rng rng = new Rng(5);
        int[] counts = new int[5];
        int draws = 120_000;
        for (int i = 0; i < draws; i++) counts[(int) w.sample(4, ex, rng)]++;
        assertThat(counts[1]).isZero();
        double[] expected = {0, 0, 6.0 / 13, 4.0 / 13, 3.0 / 13};
        for (int r = 2; r <= 4; r++) assertThat((double) counts[r] / draws).isCloseTo(expected[r], within(0.01));
        ex.add(2);
        ex.add(3);
        ex.add(4);
        assertThat(w.sample(4, ex, rng)).isEqualTo(-1);
    }
}
