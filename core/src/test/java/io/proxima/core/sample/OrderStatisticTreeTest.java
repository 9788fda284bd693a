package io.proxima.core.sample;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OrderStatisticTreeTest {
    /** Differential: the treap against a sorted list, over seeded random inserts, rekeys and removes. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchesSortedList(long seed) {
        Random r = new Random(seed);
        int n = 500;
        OrderStatisticTree tree = new OrderStatisticTree(true);
        tree.ensureCapacity(n);
        int root = OrderStatisticTree.emptyRoot();
        float[] key = new float[n];
        boolean[] in = new boolean[n];
        List<Integer> sorted = new ArrayList<>();
        Comparator<Integer> order = (a, b) -> key[a] != key[b] ? Float.compare(key[b], key[a]) : Integer.compare(a, b);
        for (int op = 0; op < 3000; op++) {
            int t = r.nextInt(n);
            if (!in[t]) {
                key[t] = r.nextInt(20) / 4f; // many ties
                tree.setPendingWeight(t, key[t]);
                root = tree.insert(root, t, key[t]);
                in[t] = true;
                sorted.add(t);
            } else if (r.nextBoolean()) {
                root = tree.remove(root, t);
                in[t] = false;
                sorted.remove(Integer.valueOf(t));
            } else {
                sorted.remove(Integer.valueOf(t));
                key[t] = r.nextInt(20) / 4f;
                tree.setPendingWeight(t, key[t]);
                root = tree.rekey(root, t, key[t]);
                sorted.add(t);
            }
            sorted.sort(order);
            assertThat(tree.size(root)).as("seed %d op %d", seed, op).isEqualTo(sorted.size());
            if (op % 50 == 0) {
                double total = 0;
                for (int k = 0; k < sorted.size(); k++) {
                    assertThat(tree.select(root, k)).as("seed %d select %d", seed, k).isEqualTo(sorted.get(k));
                    assertThat(tree.rank(root, sorted.get(k))).isEqualTo(k);
                    total += key[sorted.get(k)];
                }
                assertThat(tree.totalWeight(root)).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void weightedDrawsFollowWeights(long seed) {
        OrderStatisticTree tree = new OrderStatisticTree(true);
        tree.ensureCapacity(6);
        int root = OrderStatisticTree.emptyRoot();
        double[] w = {0, 1, 2, 3, 0, 4};
        for (int t = 0; t < w.length; t++) {
            tree.setPendingWeight(t, w[t]);
            root = tree.insert(root, t, (float) (t % 3));
        }
        Rng rng = new Rng(seed);
        int[] counts = new int[w.length];
        int draws = 100_000;
        for (int i = 0; i < draws; i++) counts[tree.sampleByWeight(root, rng.nextDouble())]++;
        assertThat(counts[0]).isZero();
        assertThat(counts[4]).isZero();
        double chi2 = 0;
        for (int t = 0; t < w.length; t++) {
            if (w[t] == 0) continue;
            double e = draws * w[t] / 10.0;
            chi2 += (counts[t] - e) * (counts[t] - e) / e;
        }
        assertThat(chi2).as("chi-square, 3 d.o.f., seed %d", seed).isLessThan(16.27); // p = 0.001
    }
}
