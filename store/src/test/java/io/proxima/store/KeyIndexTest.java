package io.proxima.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class KeyIndexTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1000, 100_000})
    void holdsExactlyWhatWasAddedAsASetDoes(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        KeyIndex index = new KeyIndex();
        Set<String> added = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = "batch-" + rnd.nextInt(n * 2 + 1);
            index.add(KeyIndex.fingerprint(3, key));
            added.add(key);
        }
        assertThat(index.size()).isEqualTo(added.size());
        for (String k : added) assertThat(index.mightContain(KeyIndex.fingerprint(3, k))).isTrue();
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            String other = "other-" + i;
            if (index.mightContain(KeyIndex.fingerprint(3, other))) falsePositives++;
        }
        assertThat(falsePositives).isZero(); // 64-bit fingerprints: a collision here would be a bug
        assertThat(index.footprintBytes()).isLessThanOrEqualTo(16L + 8L * Math.max(64, 4L * Math.max(1, added.size())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "b1", "ünïcödé", "a-rather-long-batch-id-of-the-kind-uuid4-gives-0f9c2d1e"})
    void theKindIsPartOfTheFingerprintAndItIsNeverTheEmptySlot(String key) {
        assertThat(KeyIndex.fingerprint(2, key)).isNotEqualTo(KeyIndex.fingerprint(3, key)).isNotZero();
        assertThat(KeyIndex.fingerprint(3, key)).isEqualTo(KeyIndex.fingerprint(3, key)).isNotZero();
        KeyIndex index = new KeyIndex();
        index.add(KeyIndex.fingerprint(2, key));
        assertThat(index.mightContain(KeyIndex.fingerprint(3, key))).isFalse();
        index.clear();
        assertThat(index.mightContain(KeyIndex.fingerprint(2, key))).isFalse();
    }
}
