package io.proxima.core.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RankingTest {
    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    @Test
    void ascendingWithTiesInIndexOrder() {
        double[] s = {0.3, 0.1, 0.3, 0, 0.1, 0.3, 2};
        int[] out = new int[7];
        new Ranking().ascending(s, 7, out);
        assertThat(out).containsExactly(3, 1, 4, 0, 2, 5, 6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void agreesWithAStableBoxedSort(long seed) {
        Rng rng = new Rng(seed);
        Ranking ranking = new Ranking(); // reused across sizes, as the item policies do
        for (int round = 0; round < 5; round++) {
            int n = rng.nextInt(300);
            double[] s = new double[n];
            // few distinct values → many ties; some values equal as floats but not as doubles
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(3) == 0 ? rng.nextInt(5) * 0.1 : rng.nextDouble() * 10;
                if (rng.nextInt(10) == 0) s[i] = Math.nextUp(s[Math.max(0, i - 1)]);
            }
            int[] out = new int[n];
            ranking.ascending(s, n, out);
            Integer[] ref = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            // the documented order: by the score as a float, ties by index (stable)
            Arrays.sort(ref, Comparator.comparingDouble(i -> (float) s[i]));
            assertThat(out).as("seed %d", seed).containsExactly(Arrays.stream(ref).mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void rejectsNegativeNanAndInfiniteScores() {
        Ranking r = new Ranking();
        int[] out = new int[2];
        assertThatThrownBy(() -> r.ascending(new double[] {1, -0.5}, 2, out)).hasMessageContaining("score[1]");
        assertThatThrownBy(() -> r.ascending(new double[] {Double.NaN, 1}, 2, out)).hasMessageContaining("score[0]");
        assertThatThrownBy(() -> r.ascending(new double[] {Double.POSITIVE_INFINITY}, 1, out)).isInstanceOf(IllegalArgumentException.class);
    }
}
