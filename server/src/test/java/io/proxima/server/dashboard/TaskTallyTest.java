package io.proxima.server.dashboard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The tally's ranking against a sort of every task, and the ring against a deque, over seeded random cases. */
class TaskTallyTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void rankingIsTheTopOfAFullSort(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TaskTally tally = new TaskTally();
        int n = 1 + rnd.nextInt(300);
        long[] counts = new long[n];
        for (int t = 0; t < n; t++) tally.add("task-" + rnd.nextInt(1000) + "-" + t, rnd.nextInt(3));
        for (int k = rnd.nextInt(2000); k > 0; k--) {
            int t = rnd.nextInt(n);
            tally.selected(t);
            counts[t]++;
        }
        String q = rnd.nextBoolean() ? "" : Integer.toString(rnd.nextInt(10));
        int limit = 1 + rnd.nextInt(40);
        for (boolean most : new boolean[]{true, false}) {
            List<TaskTally.Row> all = new ArrayList<>();
            for (int t = 0; t < tally.size(); t++) if (tally.row(t).id().contains(q)) all.add(tally.row(t));
            Comparator<TaskTally.Row> bySelections = Comparator.comparingLong(TaskTally.Row::selected);
            all.sort((most ? bySelections.reversed() : bySelections).thenComparing(TaskTally.Row::id));
            TaskTally.Ranked r = tally.rank(most, q, limit);
            assertThat(r.matched()).isEqualTo(all.size());
            assertThat(r.tasks()).containsExactlyElementsOf(all.subList(0, Math.min(limit, all.size())));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void theRingHoldsTheNewestRowsInOrder(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cap = 1 + rnd.nextInt(20);
        HistoryRing<Integer> ring = new HistoryRing<>(cap);
        ArrayDeque<Integer> ref = new ArrayDeque<>();
        long dropped = 0;
        for (int i = 0; i < 500; i++) {
            ring.add(i);
            ref.addLast(i);
            if (ref.size() > cap) {
                ref.removeFirst();
                dropped++;
            }
            int last = rnd.nextInt(cap + 2);
            List<Integer> expected = new ArrayList<>(ref).subList(Math.max(0, ref.size() - last), ref.size());
            assertThat(ring.newest(last)).containsExactlyElementsOf(expected);
            assertThat(ring.dropped()).isEqualTo(dropped);
        }
    }
}
