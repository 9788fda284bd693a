package io.proxima.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyIndexTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1000, 100_000})
    void findsTheEventOfEveryKeyAddedAndNothingForOthers(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        KeyIndex index = new KeyIndex();
        Map<String, Long> added = new HashMap<>();
        for (long seq = 1; seq <= n; seq++) {
            String key = "batch-" + rnd.nextInt(n * 2 + 1);
            if (added.containsKey(key)) continue; // the store never logs a key twice
            index.add(KeyIndex.fingerprint(3, key), seq);
            added.put(key, seq);
        }
        assertThat(index.size()).isEqualTo(added.size());
        for (Map.Entry<String, Long> e : added.entrySet()) {
            assertThat(index.candidates(KeyIndex.fingerprint(3, e.getKey()))).containsExactly(e.getValue());
        }
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            if (index.candidates(KeyIndex.fingerprint(3, "other-" + i)).length > 0) falsePositives++;
        }
        assertThat(falsePositives).isZero(); // 64-bit fingerprints: a collision here would be a bug
        assertThat(index.footprintBytes()).isLessThanOrEqualTo(16L + 16L * Math.max(64, 4L * Math.max(1, added.size())));
    }

    @Test
    void collidingFingerprintsKeepEveryCandidateAndAddingTwiceIsIdempotent() {
        KeyIndex index = new KeyIndex();
        for (long seq = 1; seq <= 300; seq++) index.add(42, seq); // one fingerprint, many events (forced collisions)
        index.add(42, 7);
        index.add(43, 1000);
        assertThat(index.size()).isEqualTo(301);
        assertThat(index.candidates(42)).hasSize(300).doesNotHaveDuplicates().contains(1L, 7L, 300L);
        assertThat(index.candidates(43)).containsExactly(1000L);
        assertThat(index.candidates(44)).isEmpty();
    }

    @Test
    void forgottenEventsAreNoCandidatesAndTheirSlotsAreReclaimed() {
        KeyIndex index = new KeyIndex();
        long seq = 0;
        long maxFootprint = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1000; i++) {
                seq++;
                index.add(KeyIndex.fingerprint(3, "b" + seq), seq);
            }
            index.forgetUpTo(seq - 2000); // a log that keeps ~2000 keyed events
            maxFootprint = Math.max(maxFootprint, index.footprintBytes());
        }
        assertThat(index.candidates(KeyIndex.fingerprint(3, "b" + seq))).containsExactly(seq);
        assertThat(index.candidates(KeyIndex.fingerprint(3, "b" + (seq - 1999)))).containsExactly(seq - 1999);
        assertThat(index.candidates(KeyIndex.fingerprint(3, "b" + (seq - 2000)))).isEmpty();
        assertThat(index.candidates(KeyIndex.fingerprint(3, "b1"))).isEmpty();
        // 50 000 keys went through; the table stays sized for the ~3000 that can be live at once
        assertThat(maxFootprint).isLessThanOrEqualTo(16L + 16L * 16384);
        index.clear();
        index.add(KeyIndex.fingerprint(3, "b1"), 1);
        assertThat(index.candidates(KeyIndex.fingerprint(3, "b1"))).containsExactly(1L); // clear resets the floor
    }

    @Test
    void storedBytesRoundTripWithoutForgottenPairsAndGarbageIsRefused() {
        KeyIndex index = new KeyIndex();
        for (long seq = 1; seq <= 500; seq++) index.add(KeyIndex.fingerprint(3, "b" + seq), seq);
        index.add(42, 501);
        index.add(42, 502); // a collision survives the trip
        index.forgetUpTo(100);
        KeyIndex back = new KeyIndex();
        back.addAll(index.toBytes());
        assertThat(back.size()).isEqualTo(402);
        assertThat(back.candidates(KeyIndex.fingerprint(3, "b101"))).containsExactly(101L);
        assertThat(back.candidates(KeyIndex.fingerprint(3, "b100"))).isEmpty();
        assertThat(back.candidates(42)).containsExactlyInAnyOrder(501L, 502L);
        byte[] bytes = index.toBytes();
        assertThatThrownBy(() -> new KeyIndex().addAll(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> new KeyIndex().addAll(longer)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        byte[] version = bytes.clone();
        version[3] = 9;
        assertThatThrownBy(() -> new KeyIndex().addAll(version)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "b1", "ünïcödé", "a-rather-long-batch-id-of-the-kind-uuid4-gives-0f9c2d1e"})
    void theKindIsPartOfTheFingerprintAndItIsNeverTheEmptySlot(String key) {
        assertThat(KeyIndex.fingerprint(2, key)).isNotEqualTo(KeyIndex.fingerprint(3, key)).isNotZero();
        assertThat(KeyIndex.fingerprint(3, key)).isEqualTo(KeyIndex.fingerprint(3, key)).isNotZero();
        KeyIndex index = new KeyIndex();
        index.add(KeyIndex.fingerprint(2, key), 5);
        assertThat(index.candidates(KeyIndex.fingerprint(3, key))).isEmpty();
        index.clear();
        assertThat(index.candidates(KeyIndex.fingerprint(2, key))).isEmpty();
    }
}
