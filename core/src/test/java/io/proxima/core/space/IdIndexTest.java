package io.proxima.core.space;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdIndexTest {
    @Test
    void roundTripsManyKeys() {
        IdIndex index = new IdIndex();
        int n = 200_000;
        for (int i = 0; i < n; i++) assertThat(index.add("task-" + i)).isEqualTo(i);
        assertThat(index.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(index.find("task-" + i)).isEqualTo(i);
            assertThat(index.key(i)).isEqualTo("task-" + i);
        }
        assertThat(index.find("task-" + n)).isEqualTo(-1);
        assertThat(index.find("")).isEqualTo(-1);
        assertThat(index.find("task-")).isEqualTo(-1);
        // ≤ 4·table + 8·keys: load ≤ .5 → table ≤ 4n slots, keys ≤ 2n
        assertThat(index.footprintBytes()).isLessThanOrEqualTo(32L + 16L * n + 16L * n);
    }

    @Test
    void collidingHashCodesAndRandomKeysMatchAHashMap() {
        IdIndex index = new IdIndex();
        Map<String, Integer> ref = new HashMap<>();
        // "Aa" and "BB" share a hash code; so do all their concatenations
        String[] parts = {"Aa", "BB"};
        for (int mask = 0; mask < 1 << 10; mask++) {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < 10; b++) sb.append(parts[(mask >> b) & 1]);
            ref.put(sb.toString(), index.add(sb.toString()));
        }
        Rng rng = new Rng(1);
        for (int i = 0; i < 50_000; i++) {
            String k = Long.toString(rng.nextLong(), 36);
            if (!ref.containsKey(k)) ref.put(k, index.add(k));
        }
        ref.forEach((k, v) -> assertThat(index.find(k)).as(k).isEqualTo(v));
        assertThat(index.size()).isEqualTo(ref.size());
    }

    @Test
    void keyOutOfRange() {
        IdIndex index = new IdIndex();
        index.add("a");
        assertThatThrownBy(() -> index.key(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> index.key(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
