package io.proxima.core.space;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Differential: the open-addressing map against a HashMap over seeded puts, overwrites and removals. */
class IntIntMapTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void behavesLikeAHashMap(int seed) {
        Rng rng = new Rng(seed);
        IntIntMap m = new IntIntMap();
        Map<Integer, Integer> ref = new HashMap<>();
        int range = seed % 2 == 0 ? 64 : 100_000; // dense collisions, then spread keys with growth
        for (int op = 0; op < 200_000; op++) {
            int k = rng.nextInt(range);
            int v = rng.nextInt(3) == 0 ? 0 : 1 + rng.nextInt(1000);
            m.put(k, v);
            if (v == 0) ref.remove(k);
            else ref.put(k, v);
            if (op % 1000 == 0) {
                assertThat(m.size()).isEqualTo(ref.size());
                for (int q = 0; q < 200; q++) {
                    int key = rng.nextInt(range);
                    assertThat(m.get(key)).isEqualTo(ref.getOrDefault(key, 0));
                }
            }
        }
        int[] keys = m.sortedKeys();
        assertThat(keys).hasSize(ref.size()).isSorted();
        for (int k : keys) assertThat(m.get(k)).isEqualTo(ref.get(k));
    }
}
