package io.proxima.core.compose;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BatchBuilderTest {
    @Test
    void refusesDuplicatesAndKeepsOrder() {
        BatchBuilder b = new BatchBuilder();
        b.reset(4);
        assertThat(b.add(7)).isTrue();
        assertThat(b.add(0)).isTrue();
        assertThat(b.add(7)).isFalse();
        assertThat(b.add(0)).isFalse();
        assertThat(b.add(3)).isTrue();
        assertThat(b.size()).isEqualTo(3);
        assertThat(new int[] {b.get(0), b.get(1), b.get(2)}).containsExactly(7, 0, 3);
        assertThat(b.contains(3)).isTrue();
        assertThat(b.contains(4)).isFalse();
        b.reset(4);
        assertThat(b.size()).isZero();
        assertThat(b.contains(7)).isFalse();
        assertThat(b.add(7)).isTrue();
    }

    @Test
    void matchesASetOverRandomBatchesOfAnySize() {
        Rng rng = new Rng(4);
        BatchBuilder b = new BatchBuilder();
        for (int round = 0; round < 300; round++) {
            // sizes jump up and down so the table is reallocated and cleared
            int n = rng.nextInt(4) == 0 ? 1 + rng.nextInt(5000) : 1 + rng.nextInt(40);
            b.reset(n);
            Set<Integer> ref = new LinkedHashSet<>();
            int universe = Math.max(1, 2 * n);
            for (int i = 0; i < 3 * n && ref.size() < n; i++) {
                int t = rng.nextInt(universe) * (rng.nextInt(2) == 0 ? 1 : 9973); // spread ids
                assertThat(b.contains(t)).isEqualTo(ref.contains(t));
                assertThat(b.add(t)).as("round %d", round).isEqualTo(ref.add(t));
            }
            assertThat(b.size()).isEqualTo(ref.size());
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < b.size(); i++) got.add(b.get(i));
            assertThat(got).containsExactlyElementsOf(ref);
            assertThat(b.raw().length).isGreaterThanOrEqualTo(b.size());
        }
    }
}
