package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.Invariants;
import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** GRESO's selective rollouts: the paper's skip probability, its adaptation, and the pool-wide thinning. */
class SelectiveRolloutsTest {
    record Setup(TaskPool pool, TeacherContext ctx, SelectiveRollouts greso) {}

    static final SelectiveRollouts.Params D = SelectiveRollouts.Params.DEFAULTS;

    static SelectiveRollouts.Params paper() {
        return new SelectiveRollouts.Params(D.pEasy(), D.pHard(), D.targetZeroVariance(), D.step(), D.minP(), D.maxP(), D.minKeep(),
                D.easyAbove(), D.hardBelow(), true, true, false);
    }

    static Setup setup(int n, SelectiveRollouts.Params p, long seed) {
        TeacherContext ctx = TeacherTestSupport.oneGroupContext(n, seed);
        return new Setup(ctx.pool(), ctx, new SelectiveRollouts(p, ctx));
    }

    /** Reports tasks {@code task[i]} with {@code successes[i]} of 8 (binary rewards), all in group 0. */
    static ObservedBatch report(int[] task, int[] successes) {
        double[][] rewards = new double[task.length][];
        for (int i = 0; i < task.length; i++) {
            rewards[i] = new double[8];
            for (int k = 0; k < successes[i]; k++) rewards[i][k] = 1;
        }
        return new ObservedBatch(0, task.clone(), new int[task.length], rewards, new long[task.length], Advantages.Mode.STD);
    }

    @Test
    void streaksAndKeepProbabilitiesFollowThePapersFormula() {
        Setup s = setup(10, paper(), 1);
        int[] tasks = {0, 1, 2, 3};
        // 8/8 all correct, 0/8 all wrong, 4/8 mixed, 1/8 = 0.125 > hardBelow 0.11: mixed too.
        int[] successes = {8, 0, 4, 1};
        s.greso().observe(report(tasks, successes));
        // A first look revisits nothing: the probabilities stay at their start (the paper adapts from epoch 2).
        assertThat(s.greso().pEasy()).isEqualTo(0.5);
        assertThat(s.greso().pHard()).isEqualTo(0.5);
        assertThat(new int[] {s.greso().streak(0), s.greso().streak(1), s.greso().streak(2), s.greso().streak(3)})
                .containsExactly(1, -1, 0, 0);
        assertThat(s.greso().keepProbability(0)).isEqualTo(0.5);
        assertThat(s.greso().keepProbability(1)).isEqualTo(0.5);
        assertThat(s.greso().keepProbability(2)).isEqualTo(1.0);
        assertThat(s.greso().keepProbability(9)).as("never seen").isEqualTo(1.0);

        s.greso().observe(report(tasks, successes));
        // Revisits: easy share 1/4 ≥ 0.25/3 and hard share 1/4 ≥ 2·0.25/3, so both probabilities fall by Δ = 0.01.
        assertThat(s.greso().pEasy()).isCloseTo(0.49, within(1e-12));
        assertThat(s.greso().pHard()).isCloseTo(0.49, within(1e-12));
        assertThat(s.greso().streak(0)).isEqualTo(2);
        assertThat(s.greso().streak(1)).isEqualTo(-2);
        assertThat(s.greso().keepProbability(0)).isCloseTo(0.49 * 0.49, within(1e-12));
        assertThat(s.greso().keepProbability(1)).isCloseTo(0.49 * 0.49, within(1e-12));

        for (int k = 0; k < 20; k++) s.greso().observe(report(tasks, successes));
        // Long streaks: the keep probability stops at its floor, minKeep = 0.01.
        assertThat(s.greso().streak(0)).isEqualTo(22);
        assertThat(s.greso().keepProbability(0)).isEqualTo(0.01);

        s.greso().observe(report(new int[] {0, 1}, new int[] {5, 5}));
        assertThat(s.greso().streak(0)).as("a mixed group ends the streak").isZero();
        assertThat(s.greso().streak(1)).isZero();
        assertThat(s.greso().keepProbability(0)).isEqualTo(1.0);
    }

    @Test
    void byDefaultTasksThatWereAllWrongAreNeverSkipped() {
        Setup s = setup(10, D, 1);
        for (int k = 0; k < 5; k++) s.greso().observe(report(new int[] {0, 1}, new int[] {0, 0}));
        assertThat(s.greso().streak(0)).isEqualTo(-5);
        assertThat(s.greso().keepProbability(0)).isEqualTo(1.0);
        assertThat(s.greso().pHard()).as("not adapted while hard tasks are not skipped").isEqualTo(0.5);
        assertThat(s.greso().keptShare(0)).isEqualTo(1.0);
    }

    @Test
    void theProbabilitiesMoveByDeltaPerReportWithinTheirBounds() {
        Setup s = setup(4, paper(), 2);
        int[] tasks = {0, 1, 2, 3};
        for (int k = 0; k < 100; k++) s.greso().observe(report(tasks, new int[] {8, 8, 8, 8}));
        // 99 revisiting reports, each with easy share 1: 0.5 → 0.05 after 45 of them, then held at minP.
        assertThat(s.greso().pEasy()).isCloseTo(0.05, within(1e-9));
        assertThat(s.greso().pHard()).as("no hard group: the hard tasks are explored more").isCloseTo(0.95, within(1e-9));
        for (int k = 0; k < 30; k++) s.greso().observe(report(tasks, new int[] {4, 4, 4, 4}));
        assertThat(s.greso().pEasy()).isCloseTo(0.35, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aWalkSkipsEachSolvedTaskAtItsKeepRate(long seed) {
        Setup s = setup(200, D, seed);
        int[] solved = new int[100];
        for (int i = 0; i < 100; i++) solved[i] = i;
        int[] all8 = new int[100];
        java.util.Arrays.fill(all8, 8);
        s.greso().observe(report(solved, all8)); // streak 1 at p_easy 0.5: each kept with probability 1/2
        int solvedPicks = 0, picks = 0;
        BatchBuilder b = new BatchBuilder();
        for (int batch = 0; batch < 600; batch++) {
            b.reset(10);
            b.forGroup(0);
            s.greso().pick(0, 10, b);
            assertThat(b.size()).isEqualTo(10);
            Set<Integer> distinct = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                assertThat(b.get(i)).isBetween(0, 199);
                assertThat(distinct.add(b.get(i))).isTrue();
                if (b.get(i) < 100) solvedPicks++;
            }
            picks += 10;
        }
        // Per epoch of the walk: all 100 unsolved and about 50 solved tasks ⇒ a solved share of 1/3
        // (sd ≈ 0.006 over 6,000 picks).
        assertThat((double) solvedPicks / picks).as("seed %d", seed).isCloseTo(1.0 / 3, within(0.03));
        assertThat(s.greso().keptShare(0)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aGroupWhoseTasksWouldAllBeSkippedStillFillsItsSlots() {
        SelectiveRollouts.Params never = new SelectiveRollouts.Params(0.0, 0.5, 0.25, 0.01, 0.0, 0.95, 0.0, 0.98, 0.11, true, false, true);
        Setup s = setup(12, never, 3);
        int[] tasks = new int[12];
        int[] all8 = new int[12];
        for (int i = 0; i < 12; i++) {
            tasks[i] = i;
            all8[i] = 8;
        }
        s.greso().observe(report(tasks, all8));
        assertThat(s.greso().keepProbability(5)).isZero();
        assertThat(s.greso().keptShare(0)).isZero();
        BatchBuilder b = new BatchBuilder();
        for (int k = 0; k < 20; k++) {
            b.reset(10);
            b.forGroup(0);
            s.greso().pick(0, 10, b);
            Set<Integer> distinct = new HashSet<>();
            for (int i = 0; i < b.size(); i++) distinct.add(b.get(i));
            assertThat(distinct).hasSize(10);
        }
    }

    @Test
    void acrossGroupsASolvedGroupGivesUpTheSlotsItWouldSkip() {
        List<TaskSpec> tasks = TeacherTestSupport.grouped(100, "a", "b");
        for (boolean across : new boolean[] {true, false}) {
            Curriculum c = TeacherTestSupport.curriculum("{\"seed\":5,\"recipe\":\"uniform\",\"itemPolicy\":{\"type\":\"greso\","
                    + "\"acrossGroups\":" + across + "}}", tasks);
            c.report(TeacherTestSupport.concat(TeacherTestSupport.outcomes("a", 100, 1, 1, 1, 1, 1, 1, 1, 1),
                    TeacherTestSupport.outcomes("b", 100, 1, 0, 1, 0, 1, 0, 1, 0)));
            // a: every task kept with probability 1/2, b: all kept ⇒ P(a) = 0.5 / (0.5 + 1) = 1/3.
            double[] p = TeacherTestSupport.probabilities(c, "a", "b");
            double expectedA = across ? 1.0 / 3 : 0.5;
            assertThat(p[0]).as("across %s", across).isCloseTo(expectedA, within(1e-12));
            assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
            // Group a's share of selections: its slots times the walk's keep rate inside a is not
            // needed here — the slots themselves are drawn with P(a) (sd ≈ 0.004 over 12,800 slots).
            double[] share = TeacherTestSupport.shares(c, 400, 32, "a", "b");
            assertThat(share[0]).as("across %s", across).isCloseTo(expectedA, within(0.02));
            Invariants.check(c);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomRunsKeepTheInvariantsAndReplayFromASnapshot(long seed) {
        Rng driver = new Rng(seed * 7919);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 90; i++) tasks.add(TaskSpec.of("t" + i, "g" + (i % 3)));
        String json = "{\"seed\":" + seed + ",\"recipe\":\"greso\"" + (seed % 2 == 0 ? ",\"itemPolicy\":{\"type\":\"greso\",\"skipHard\":true}" : "") + "}";
        Curriculum c = TeacherTestSupport.curriculum(json, tasks);
        Curriculum twin = TeacherTestSupport.curriculum(json, tasks);
        for (int step = 0; step < 60; step++) {
            Selection s = c.next(12);
            assertThat(twin.next(12)).as("same seed, same selections").isEqualTo(s);
            assertThat(new HashSet<>(s.taskIds())).hasSize(12);
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : s.tasks()) {
                int task = Integer.parseInt(t.taskId().substring(1));
                // A third of the pool is always solved, a third never, the rest a coin per rollout.
                double[] r = new double[t.rollouts()];
                for (int k = 0; k < r.length; k++) r[k] = task % 3 == 0 ? 1 : task % 3 == 1 ? 0 : driver.nextInt(2);
                out.add(Outcome.of(t.taskId(), r));
            }
            c.report(out);
            twin.report(out);
            double sum = 0;
            for (var g : c.stats().groups()) sum += g.probability();
            assertThat(sum).isCloseTo(1.0, within(1e-9));
        }
        assertThat(c.stats().teacher()).containsKeys("greso.pEasy", "greso.skippedEasy");
        assertThat(c.stats().teacher().get("greso.skippedEasy")).as("solved tasks were skipped").isPositive();
        byte[] snap = c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.next(12)).isEqualTo(c.next(12));
        Invariants.check(c);
    }

    @Test
    void stateRoundTripsThroughItsSnapshotBytes() {
        Setup s = setup(37, paper(), 4);
        int[] tasks = new int[37];
        int[] succ = new int[37];
        for (int i = 0; i < 37; i++) {
            tasks[i] = i;
            succ[i] = i % 3 == 0 ? 8 : i % 3 == 1 ? 0 : 3;
        }
        for (int k = 0; k < 3; k++) s.greso().observe(report(tasks, succ));
        SnapshotWriter w = new SnapshotWriter();
        s.greso().writeState(w);
        Setup back = setup(37, paper(), 4);
        back.greso().readState(new SnapshotReader(w.toByteArray()));
        for (int t = 0; t < 37; t++) {
            assertThat(back.greso().streak(t)).as("task %d", t).isEqualTo(s.greso().streak(t));
            assertThat(back.greso().keepProbability(t)).isEqualTo(s.greso().keepProbability(t));
        }
        assertThat(back.greso().pEasy()).isEqualTo(s.greso().pEasy());
        assertThat(back.greso().keptShare(0)).isEqualTo(s.greso().keptShare(0));
        SnapshotWriter again = new SnapshotWriter();
        back.greso().writeState(again);
        assertThat(again.toByteArray()).isEqualTo(w.toByteArray());
    }

    /** Reports every task of a two-group pool once per round: group 0 by {@code a(task, round)}, group 1 by {@code b}. */
    static void rounds(SelectiveRollouts greso, int perGroup, int rounds, java.util.function.IntBinaryOperator a,
                       java.util.function.IntBinaryOperator b) {
        for (int round = 0; round < rounds; round++) {
            int[] task = new int[2 * perGroup];
            int[] group = new int[2 * perGroup];
            double[][] rewards = new double[2 * perGroup][];
            for (int i = 0; i < 2 * perGroup; i++) {
                task[i] = i;
                group[i] = i < perGroup ? 0 : 1;
                int successes = (i < perGroup ? a : b).applyAsInt(i, round);
                rewards[i] = new double[8];
                for (int k = 0; k < successes; k++) rewards[i][k] = 1;
            }
            greso.observe(new ObservedBatch(round, task, group, rewards, new long[task.length], Advantages.Mode.STD));
        }
    }

    /** Successes of 8 fair coins, whatever the task and round (a broken verifier). */
    static java.util.function.IntBinaryOperator coins(Rng rng) {
        return (i, r) -> {
            int k = 0;
            for (int j = 0; j < 8; j++) k += rng.nextInt(2);
            return k;
        };
    }

    static Setup twoGroups(int perGroup, SelectiveRollouts.Params p) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 2 * perGroup; i++) specs.add(TaskSpec.of("t" + i, i < perGroup ? "coin" : "rule"));
        TaskPool pool = new TaskPool(0);
        pool.addAll(specs);
        io.proxima.core.estimate.GroupStats gs = new io.proxima.core.estimate.GroupStats();
        gs.ensureGroups(2);
        TeacherContext ctx = new TeacherContext(pool, new io.proxima.core.sample.EpochWalk(pool),
                new io.proxima.core.estimate.PassRates(pool, gs, io.proxima.core.estimate.PassRates.Params.DEFAULTS), gs,
                new Rng(1), 8, Advantages.Mode.STD);
        return new Setup(pool, ctx, new SelectiveRollouts(p, ctx));
    }

    @Test
    void theReliabilityGateThinsAGroupWhosePassRatesDoNotPersist() {
        Setup s = twoGroups(100, D);
        // "coin": 8 fair coins per group, whatever the task; "rule": task i solves (i mod 7) of 8, every time.
        rounds(s.greso(), 100, 4, coins(new Rng(42)), (i, r) -> i % 7);
        // 300 revisits per group: the coin group's correlation is ~0 (sd ~0.06), the rule group's exactly 1.
        assertThat(s.greso().reliability(1)).isCloseTo(1.0, within(1e-9));
        assertThat(s.greso().reliabilityWeight(1)).isEqualTo(1.0);
        assertThat(s.greso().reliability(0)).isBetween(-0.2, 0.2);
        assertThat(s.greso().reliabilityWeight(0)).isLessThan(1.0).isGreaterThanOrEqualTo(SelectiveRollouts.RELIABILITY_FLOOR);
        // The kept share times the weight; a coin group is rarely unanimous (2 · 0.5⁸), so its kept share is near 1.
        assertThat(s.greso().keptShare(0)).isLessThanOrEqualTo(s.greso().reliabilityWeight(0))
                .isCloseTo(s.greso().reliabilityWeight(0), within(0.01));
        assertThat(s.greso().view()).containsEntry("greso.unreliableGroups", 1.0);
        // Off: the paper's thinning only.
        SelectiveRollouts.Params off = new SelectiveRollouts.Params(D.pEasy(), D.pHard(), D.targetZeroVariance(), D.step(), D.minP(),
                D.maxP(), D.minKeep(), D.easyAbove(), D.hardBelow(), true, false, false);
        Setup plain = twoGroups(100, off);
        rounds(plain.greso(), 100, 4, coins(new Rng(42)), (i, r) -> i % 7);
        assertThat(plain.greso().keptShare(0)).isGreaterThan(0.98);
        assertThat(plain.greso().view()).doesNotContainKey("greso.unreliableGroups");
    }

    @Test
    void reliabilityIsTheCorrelationOfConsecutivePassRatesAndNeedsEvidence() {
        Setup s = twoGroups(60, D);
        // Group 0: task i alternates between i%2 and 1 − i%2 of... a fixed anti-persistent pattern; group 1 solved.
        rounds(s.greso(), 60, 2, (i, r) -> (i + r) % 2 == 0 ? 8 : 0, (i, r) -> 8);
        // 60 revisits: below the 100 the gate waits for.
        assertThat(s.greso().reliability(0)).isNaN();
        assertThat(s.greso().reliabilityWeight(0)).isEqualTo(1.0);
        rounds(s.greso(), 60, 2, (i, r) -> (i + r) % 2 == 0 ? 8 : 0, (i, r) -> 8);
        // Every revisit flips 1 ↔ 0: x and y perfectly anti-correlated (r = −1) ⇒ the floor.
        assertThat(s.greso().reliability(0)).isCloseTo(-1.0, within(1e-9));
        assertThat(s.greso().reliabilityWeight(0)).isEqualTo(SelectiveRollouts.RELIABILITY_FLOOR);
        // A solved group has no variance: nothing to say, full weight (its streaks thin it instead).
        assertThat(s.greso().reliability(1)).isNaN();
        assertThat(s.greso().reliabilityWeight(1)).isEqualTo(1.0);
    }

    @Test
    void badParametersAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"itemPolicy\":{\"type\":\"greso\",\"minP\":0.9,\"maxP\":0.5}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("itemPolicy.minP");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"itemPolicy\":{\"type\":\"greso\",\"hardBelow\":0.99}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("itemPolicy.hardBelow");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"itemPolicy\":{\"type\":\"greso\",\"pEasy\":1.5}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("itemPolicy.pEasy");
    }
}
