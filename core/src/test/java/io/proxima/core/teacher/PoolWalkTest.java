package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.Invariants;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.proxima.core.teacher.TeacherTestSupport.curriculum;
import static io.proxima.core.teacher.TeacherTestSupport.grouped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repetition is bounded (algorithms.md, "Repetition and memorisation"): recipes that walk their
 * groups select every task of a group once before any task of it again.
 */
class PoolWalkTest {
    @ParameterizedTest
    @ValueSource(strings = {"uniform", "dapo", "sec", "dump"})
    void walkingRecipesSelectATaskAtMostOncePerEpochOfItsGroup(String recipe) {
        Curriculum c = curriculum("{\"recipe\":\"" + recipe + "\",\"seed\":4}", grouped(24, "a", "b", "c"));
        Map<String, Integer> count = new HashMap<>();
        for (int step = 0; step < 60; step++) {
            Selection s = c.next(5);
            List<Outcome> out = new ArrayList<>();
            for (String id : s.taskIds()) {
                count.merge(id, 1, Integer::sum);
                out.add(Outcome.binary(id, id.hashCode() & 7, 8));
            }
            c.report(out);
            // batches are shuffled, so check counts at batch boundaries: a task of a group whose
            // walk is in epoch e (e completed passes) was selected at most e + 1 times, and — a
            // task drawn again at an epoch boundary inside one batch is skipped for that epoch —
            // at least e − 1 times
            for (String g : List.of("a", "b", "c")) {
                long e = c.stats().group(g).epochs();
                for (int i = 0; i < 24; i++) {
                    int n = count.getOrDefault(g + "-" + i, 0);
                    assertThat(n).as("%s step %d: %s-%d in epoch %d", recipe, step, g, i, e).isBetween((int) Math.max(0, e - 1), (int) e + 1);
                }
            }
        }
        Invariants.check(c);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theRandomBaselineDrawsWithReplacementAcrossBatches(long seed) {
        Curriculum c = curriculum("{\"recipe\":\"random\",\"seed\":" + seed + "}", grouped(60, "a"));
        List<String> all = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            List<String> ids = c.next(6).taskIds();
            assertThat(new HashSet<>(ids)).hasSize(6); // distinct within a batch
            all.addAll(ids);
        }
        // 60 i.i.d. draws from 60 tasks: ~38 distinct expected (all distinct has probability ~1e-25)
        assertThat(new HashSet<>(all).size()).as("seed %d", seed).isLessThan(55);
        Invariants.check(c);
    }
}
