package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.FreshFloor;
import io.proxima.core.compose.TeacherContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FreshFloorTest {
    /** A one-group pool of n tasks (the PLR tests' setup: its context alone). */
    private static TeacherContext context(int n, long seed) {
        return PrioritizedLevelReplayTest.setup(n, PrioritizedLevelReplay.Params.DEFAULTS, seed).ctx();
    }

    /**
     * Over many picks the walk takes a Binomial(count, share) number of slots: the total over
     * 2,000 picks of 8 is within 5 standard deviations of 16,000·share; the tasks it adds are
     * distinct, of the group, not already in the batch, and come in the walk's epochs.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.9, 1.0})
    void takesABinomialShareOfDistinctWalkTasks(double share) {
        for (long seed = 1; seed <= 5; seed++) {
            int n = 40;
            TeacherContext ctx = context(n, seed);
            BatchBuilder batch = new BatchBuilder();
            long taken = 0;
            int picks = 2000;
            int[] seen = new int[n];
            for (int p = 0; p < picks; p++) {
                batch.reset(8);
                batch.forGroup(0);
                batch.add(p % n); // one task already in the batch
                int k = FreshFloor.take(ctx, 0, 8, share, batch);
                assertThat(batch.size()).isEqualTo(1 + k);
                java.util.Set<Integer> distinct = new java.util.HashSet<>();
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(batch.get(i)).isBetween(0, n - 1);
                    assertThat(distinct.add(batch.get(i))).as("distinct").isTrue();
                }
                for (int i = 1; i < batch.size(); i++) seen[batch.get(i)]++;
                taken += k;
            }
            double mean = picks * 8 * share;
            double sd = Math.sqrt(picks * 8 * share * (1 - share));
            assertThat((double) taken).as("seed %d", seed).isBetween(mean - 5 * sd - 1e-9, mean + 5 * sd + 1e-9);
            if (share > 0) for (int t = 0; t < n; t++) assertThat(seen[t]).as("seed %d: t%d walked", seed, t).isPositive();
        }
    }
}
