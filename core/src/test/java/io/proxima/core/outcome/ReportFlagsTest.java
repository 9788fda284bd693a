package io.proxima.core.outcome;

import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12 item 4: a report for a task no selection awaits, or with fewer or more rewards than the
 * rollouts allotted, is flagged in its verdict and counted; with {@code strictReports} it is refused.
 */
class ReportFlagsTest {
    private static Curriculum curriculum(boolean strict) {
        return Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"uniform\",\"seed\":3,\"rollouts\":4"
                + (strict ? ",\"strictReports\":true" : "") + "}"), List.of(TaskSpec.of("a", "g"), TaskSpec.of("b", "g"), TaskSpec.of("c", "h")));
    }

    private static ReportFlag flagOf(ReportResult r, int i) {
        return r.verdicts().get(i).flag();
    }

    @Test
    void handWorked() {
        Curriculum c = curriculum(false);
        Selection s = c.next(2);
        String x = s.tasks().get(0).taskId(), y = s.tasks().get(1).taskId();
        String never = List.of("a", "b", "c").stream().filter(t -> !t.equals(x) && !t.equals(y)).findFirst().orElseThrow();
        ReportResult r = c.report(List.of(Outcome.binary(x, 2, 4), Outcome.binary(never, 1, 4), Outcome.binary(y, 1, 3)));
        assertThat(flagOf(r, 0)).isNull();
        assertThat(flagOf(r, 1)).isEqualTo(ReportFlag.NOT_SELECTED);
        assertThat(flagOf(r, 2)).isEqualTo(ReportFlag.ROLLOUTS_MISMATCH);
        assertThat(r.verdicts().get(2).allotted()).isEqualTo(4);
        assertThat(r.flagged()).isEqualTo(2);
        assertThat(r.accepted()).as("flagged outcomes are applied").isEqualTo(3);
        CurriculumStats st = c.stats();
        assertThat(st.notSelected()).isEqualTo(1);
        assertThat(st.rolloutsMismatch()).isEqualTo(1);
        assertThat(st.reports()).isEqualTo(3);
        // each selection settles once: a second report of x is not awaited
        assertThat(flagOf(c.report(List.of(Outcome.binary(x, 2, 4))), 0)).isEqualTo(ReportFlag.NOT_SELECTED);
        // a loss-only outcome settles a selection and is never a mismatch
        c.next(3);
        assertThat(c.report(List.of(Outcome.ofLoss(never, 0.3))).flagged()).isZero();
        assertThat(c.stats().notSelected()).isEqualTo(2);
    }

    @Test
    void aTaskSelectedInSeveralBatchesBeforeItsReportHasAsManySelectionsAwaiting() {
        Curriculum c = curriculum(false);
        c.next(3);
        c.next(3);
        for (int round = 0; round < 2; round++) {
            ReportResult r = c.report(List.of(Outcome.binary("a", 1, 4), Outcome.binary("b", 1, 4), Outcome.binary("c", 1, 4)));
            assertThat(r.flagged()).as("round %d", round).isZero();
        }
        assertThat(c.report(List.of(Outcome.binary("a", 1, 4))).flagged()).isEqualTo(1);
        // two outcomes of one task in one report settle two selections
        c.next(3);
        c.next(3);
        assertThat(c.report(List.of(Outcome.binary("b", 1, 4), Outcome.binary("b", 0, 4), Outcome.binary("b", 0, 4))).verdicts())
                .extracting(Verdict::flag).containsExactly(null, null, ReportFlag.NOT_SELECTED);
    }

    @Test
    void strictReportsRefusesTheWholeReportNamingTheOutcomeAndAppliesNothing() {
        Curriculum c = curriculum(true);
        Selection s = c.next(2);
        String x = s.tasks().get(0).taskId(), y = s.tasks().get(1).taskId();
        String never = List.of("a", "b", "c").stream().filter(t -> !t.equals(x) && !t.equals(y)).findFirst().orElseThrow();
        byte[] before = c.snapshot();
        assertThatThrownBy(() -> c.report(List.of(Outcome.binary(x, 2, 4), Outcome.binary(never, 1, 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("outcomes[1].taskId '" + never + "' has no selection awaiting");
        assertThatThrownBy(() -> c.report(List.of(Outcome.binary(x, 2, 4), Outcome.binary(y, 1, 3))))
                .hasMessageStartingWith("outcomes[1].rewards holds 3 rewards, but the selection of '" + y + "' was allotted 4 rollouts");
        assertThat(c.snapshot()).as("nothing applied").isEqualTo(before);
        ReportResult r = c.report(List.of(Outcome.binary(y, 1, 4), Outcome.binary(x, 2, 4)));
        assertThat(r.flagged()).isZero();
        assertThat(c.stats().notSelected()).isZero();
    }

    /**
     * Selections never reported pile up (next without report): past {@link PendingSelections#DENSE_ABOVE}
     * tasks the map gives way to a column. The rule and the snapshot bytes do not depend on which holds them.
     */
    @Test
    void manySelectionsNeverReportedMoveToAColumnWithTheSameRuleAndBytes() {
        int n = PendingSelections.DENSE_ABOVE + 5000;
        PendingSelections piled = new PendingSelections();
        piled.ensureCapacity(n);
        for (int t = 0; t < n; t++) piled.select(t, 1 + t % 5);
        for (int t = 0; t < n - 1000; t++) assertThat(piled.settle(t, 1 + t % 5)).isNull();
        assertThat(piled.settle(0, 3)).isEqualTo(ReportFlag.NOT_SELECTED);
        PendingSelections few = new PendingSelections();
        few.ensureCapacity(n);
        for (int t = n - 1000; t < n; t++) few.select(t, 1 + t % 5);
        byte[] a = bytes(piled, n), b = bytes(few, n);
        assertThat(a).as("the same state writes the same bytes").isEqualTo(b);
        PendingSelections back = new PendingSelections();
        back.read(new io.proxima.core.snapshot.SnapshotReader(a), n);
        assertThat(bytes(back, n)).isEqualTo(a);
        assertThat(piled.settle(n - 1, 2)).isEqualTo(ReportFlag.ROLLOUTS_MISMATCH); // allotted 1 + (n - 1) % 5
    }

    private static byte[] bytes(PendingSelections p, int tasks) {
        io.proxima.core.snapshot.SnapshotWriter w = new io.proxima.core.snapshot.SnapshotWriter();
        p.write(w, tasks);
        return w.toByteArray();
    }

    /** The rule on plain lists: per task, the selections awaiting (oldest first) with their rollouts. */
    private static ReportFlag model(Deque<Integer> awaiting, int rewards) {
        if (awaiting.isEmpty()) return ReportFlag.NOT_SELECTED;
        if (rewards == 0) {
            awaiting.removeFirst();
            return null;
        }
        for (Iterator<Integer> it = awaiting.iterator(); it.hasNext(); ) {
            if (it.next() == rewards) {
                it.remove();
                return null;
            }
        }
        awaiting.removeFirst();
        return ReportFlag.ROLLOUTS_MISMATCH;
    }

    /** Differential: with at most two selections awaiting per task, the packed column is the rule exactly. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void thePackedColumnFollowsTheRuleExactlyUpToTwoAwaiting(long seed) {
        Rng rng = new Rng(seed);
        int tasks = 16;
        PendingSelections p = new PendingSelections();
        p.ensureCapacity(tasks);
        List<Deque<Integer>> m = new ArrayList<>();
        for (int t = 0; t < tasks; t++) m.add(new ArrayDeque<>());
        for (int op = 0; op < 20_000; op++) {
            int t = rng.nextInt(tasks);
            if (rng.nextInt(2) == 0 && m.get(t).size() < 2) {
                int r = 1 + rng.nextInt(rng.nextInt(4) == 0 ? 4096 : 5);
                p.select(t, r);
                m.get(t).addLast(r);
            } else {
                int k = rng.nextInt(7);
                assertThat(p.settle(t, k)).as("seed %d op %d task %d", seed, op, t).isEqualTo(model(m.get(t), k));
            }
            assertThat(p.awaiting(t)).isEqualTo(m.get(t).size());
        }
    }

    /**
     * Beyond two awaiting, the rollouts of the rest are not kept: whether a selection awaits stays
     * exact, and once a task has none awaiting again its flags are exact again.
     */
    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void beyondTwoAwaitingTheCountsStayExact(long seed) {
        Rng rng = new Rng(seed);
        int tasks = 4;
        PendingSelections p = new PendingSelections();
        p.ensureCapacity(tasks);
        List<Deque<Integer>> m = new ArrayList<>();
        for (int t = 0; t < tasks; t++) m.add(new ArrayDeque<>());
        boolean[] overflowed = new boolean[tasks]; // went past two awaiting since it last had none: some rollouts unknown
        for (int op = 0; op < 20_000; op++) {
            int t = rng.nextInt(tasks);
            if (rng.nextInt(2) == 0 && m.get(t).size() < 60) {
                int r = 1 + rng.nextInt(4);
                p.select(t, r);
                m.get(t).addLast(r);
                if (m.get(t).size() > 2) overflowed[t] = true;
            } else {
                int k = rng.nextInt(6);
                int before = m.get(t).size();
                ReportFlag got = p.settle(t, k);
                ReportFlag want = model(m.get(t), k);
                assertThat(got == ReportFlag.NOT_SELECTED).isEqualTo(want == ReportFlag.NOT_SELECTED);
                if (!overflowed[t]) assertThat(got).isEqualTo(want);
                if (m.get(t).isEmpty()) overflowed[t] = false;
            }
            assertThat(p.awaiting(t)).isEqualTo(m.get(t).size());
        }
    }
}
