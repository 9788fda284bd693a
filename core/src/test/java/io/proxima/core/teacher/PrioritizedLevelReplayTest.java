package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrioritizedLevelReplayTest {
    record Setup(TaskPool pool, TeacherContext ctx, PrioritizedLevelReplay plr) {}

    static Setup setup(int n, PrioritizedLevelReplay.Params p, long seed) {
        TeacherContext ctx = TeacherTestSupport.oneGroupContext(n, seed);
        return new Setup(ctx.pool(), ctx, new PrioritizedLevelReplay(p, ctx));
    }

    /** Reports task i with {@code succ[i]} successes out of 8 (binary rewards). */
    static ObservedBatch report(int[] succ) {
        int n = succ.length;
        int[] task = new int[n];
        int[] group = new int[n];
        double[][] rewards = new double[n][];
        for (int i = 0; i < n; i++) {
            task[i] = i;
            rewards[i] = new double[8];
            for (int k = 0; k < succ[i]; k++) rewards[i][k] = 1;
        }
        return new ObservedBatch(0, task, group, rewards, new long[n], Advantages.Mode.STD);
    }

    /** How often each of the first {@code tasks} tasks comes out of {@code draws} picks of one task. */
    static int[] pickCounts(PrioritizedLevelReplay plr, int tasks, int draws) {
        int[] counts = new int[tasks];
        BatchBuilder b = new BatchBuilder();
        for (int i = 0; i < draws; i++) {
            b.reset(1);
            plr.pick(0, 1, b);
            counts[b.get(0)]++;
        }
        return counts;
    }

    @Test
    void scoresAreMeanAbsoluteDeviationOfRewards() {
        Setup s = setup(3, PrioritizedLevelReplay.Params.DEFAULTS, 1);
        s.plr().observe(report(new int[] {4, 2, 8}));
        // p = 0.5: mean |r - 0.5| = 0.5;  p = 0.25: (2·0.75 + 6·0.25)/8 = 0.375;  p = 1: 0
        assertThat(s.plr().score(0)).isCloseTo(0.5, within(1e-6));
        assertThat(s.plr().score(1)).isCloseTo(0.375, within(1e-6));
        assertThat(s.plr().score(2)).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void rankPrioritisationDrawsByRankWeights() {
        // beta = 1, no staleness; scores ranked t0 (0.5) > t1 (0.375) > t2 (0.2344) > t3 (0):
        // P = (1, 1/2, 1/3, 1/4) / (25/12) = 0.48, 0.24, 0.16, 0.12
        PrioritizedLevelReplay.Params p = new PrioritizedLevelReplay.Params("absAdvantage", "rank", 1.0, 0.0, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0);
        Setup s = setup(4, p, 7);
        s.plr().observe(report(new int[] {4, 2, 1, 0}));
        int draws = 60_000;
        int[] counts = pickCounts(s.plr(), 4, draws);
        double[] expected = {0.48, 0.24, 0.16, 0.12};
        for (int t = 0; t < 4; t++) assertThat((double) counts[t] / draws).as("task %d", t).isCloseTo(expected[t], within(0.01));
    }

    @Test
    void powerPrioritisationDrawsByScorePower() {
        // beta = 1: P ∝ S = 0.5, 0.375, 0.125·... : t2 has 1 success: mean|r - 1/8| = (7/8 + 7·1/8)/8 = 0.21875
        PrioritizedLevelReplay.Params p = new PrioritizedLevelReplay.Params("absAdvantage", "power", 1.0, 0.0, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0);
        Setup s = setup(4, p, 9);
        s.plr().observe(report(new int[] {4, 2, 1, 0}));
        double total = 0.5 + 0.375 + 0.21875;
        int draws = 60_000;
        int[] counts = pickCounts(s.plr(), 4, draws);
        assertThat(counts[3]).isZero();
        assertThat((double) counts[0] / draws).isCloseTo(0.5 / total, within(0.01));
        assertThat((double) counts[1] / draws).isCloseTo(0.375 / total, within(0.01));
    }

    @Test
    void stalenessPrefersTasksNotPickedForLong() {
        // staleness only (rho = 1): after picking t0 many times, t1..t3 (never picked since the report) dominate
        PrioritizedLevelReplay.Params p = new PrioritizedLevelReplay.Params("absAdvantage", "rank", 0.1, 1.0, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0);
        Setup s = setup(4, p, 3);
        s.plr().observe(report(new int[] {4, 4, 4, 4}));
        int[] counts = pickCounts(s.plr(), 4, 4000);
        // P_C ∝ age keeps ages balanced: every task gets about a quarter
        for (int t = 0; t < 4; t++) assertThat(counts[t]).as("task %d", t).isBetween(800, 1200);
    }

    @Test
    void newTasksBeforeReplayWhileLittleIsSeenAndBatchesAreDistinct() {
        Curriculum c = Curriculum.create(CurriculumConfig.builder().recipe("plr").seed(4).build(),
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> TaskSpec.of("t" + i)).toList());
        Selection first = c.next(20);
        c.report(first.taskIds().stream().map(id -> Outcome.binary(id, 4, 8)).collect(Collectors.toList()));
        for (int step = 0; step < 30; step++) {
            Selection s = c.next(20);
            assertThat(s.taskIds()).doesNotHaveDuplicates();
            c.report(s.taskIds().stream().map(id -> Outcome.binary(id, Integer.parseInt(id.substring(1)) % 9, 8)).collect(Collectors.toList()));
        }
        assertThat(c.stats().teacher().get("plr.explored")).isGreaterThan(0.0);
        assertThat(c.stats().teacher().get("plr.replayed")).isGreaterThan(0.0);
        byte[] snap = c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.next(20)).isEqualTo(c.next(20));
    }

    @Test
    void robustPlrDoesNotTrainOnNewTasks() {
        Curriculum c = Curriculum.create(CurriculumConfig.builder().recipe("robust-plr").seed(2).build(),
                java.util.stream.IntStream.range(0, 50).mapToObj(i -> TaskSpec.of("t" + i)).toList());
        Selection first = c.next(10); // nothing seen yet: every task is new
        ReportResult r = c.report(first.taskIds().stream().map(id -> Outcome.binary(id, 3, 8)).collect(Collectors.toList()));
        assertThat(r.kept()).isZero();
        assertThat(r.dropped()).isEqualTo(10);
        // later batches mix replayed (kept) and new (dropped) tasks
        int kept = 0;
        for (int step = 0; step < 20; step++) {
            Selection s = c.next(10);
            kept += c.report(s.taskIds().stream().map(id -> Outcome.binary(id, 3, 8)).collect(Collectors.toList())).kept();
        }
        assertThat(kept).isGreaterThan(0);
    }

    /**
     * The fresh floor (default): once every task was seen, the paper replays on every slot by rank
     * of |advantage| (β = 0.1: a few tasks); with freshShare ½ half the slots keep walking the pool,
     * so every task comes round at least once every two epochs' worth of picks.
     */
    @Test
    void freshShareKeepsTheWalkGoing() {
        int n = 100;
        Setup fresh = setup(n, PrioritizedLevelReplay.Params.DEFAULTS, 5);
        Setup paper = setup(n, new PrioritizedLevelReplay.Params("absAdvantage", "rank", 0.1, 0.0, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0), 5);
        int[] succ = new int[n];
        for (int t = 0; t < n; t++) succ[t] = t < 5 ? 4 : 0; // five tasks carry all the advantage
        for (Setup s : List.of(fresh, paper)) s.plr().observe(report(succ)); // every task seen once
        int[] f = pickCounts(fresh.plr(), n, 4 * n);
        int[] p = pickCounts(paper.plr(), n, 4 * n);
        for (int t = 0; t < n; t++) assertThat(f[t]).as("task %d with the fresh floor", t).isPositive();
        int neverPaper = 0;
        for (int t = 0; t < n; t++) if (p[t] == 0) neverPaper++;
        assertThat(neverPaper).as("tasks the paper's schedule never replays").isGreaterThan(n / 2);
    }
    /**
     * The replay gap: with the paper's schedule (no fresh floor, β = 0.1) the one task carrying
     * advantage is replayed on nearly every pick. With replayGap g a replay of it needs g·N picks
     * since its last pick, and a refused draw takes the walk, which brings it at most once per
     * pass: over P picks it comes back at most P/(g·N) + 1 times by replay plus P/N + 1 by the walk.
     */
    @Test
    void replayGapBoundsHowOftenTheTopTaskComesBack() {
        int n = 20;
        int draws = 20 * n;
        PrioritizedLevelReplay.Params paperParams = new PrioritizedLevelReplay.Params("absAdvantage", "rank", 0.1, 0.0, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0, 0.0);
        for (long seed = 1; seed <= 10; seed++) {
            Setup paper = setup(n, paperParams, seed);
            Setup gapped = setup(n, new PrioritizedLevelReplay.Params("absAdvantage", "rank", 0.1, 0.0, 1.0,
                    "proportionate", 0.5, 0.0, false, 0.0, 1.0), seed);
            int[] succ = new int[n];
            succ[0] = 4; // only t0 carries advantage
            for (Setup s : List.of(paper, gapped)) s.plr().observe(report(succ));
            int[] p = pickCounts(paper.plr(), n, draws);
            int[] g = pickCounts(gapped.plr(), n, draws);
            assertThat(p[0]).as("seed %d: the paper replays t0 on most picks", seed).isGreaterThan(draws / 2);
            assertThat(g[0]).as("seed %d: t0 with a gap of one pass", seed).isLessThanOrEqualTo(2 * (draws / n + 1));
            int total = 0;
            for (int t = 0; t < n; t++) {
                assertThat(g[t]).as("seed %d: t%d still comes round", seed, t).isPositive();
                total += g[t];
            }
            assertThat(total).isEqualTo(draws);
        }
    }

    @Test
    void replayGapIsReadFromTheConfigAndRangeChecked() {
        List<TaskSpec> tasks = java.util.stream.IntStream.range(0, 8).mapToObj(i -> TaskSpec.of("t" + i)).toList();
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"plr\",\"seed\":1,\"itemPolicy\":{\"replayGap\":0.5}}"), tasks);
        assertThat(c.next(4).taskIds()).hasSize(4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Curriculum.create(
                        CurriculumConfig.fromJson("{\"recipe\":\"plr\",\"seed\":1,\"itemPolicy\":{\"replayGap\":-1}}"), tasks))
                .hasMessageContaining("itemPolicy.replayGap");
    }

    /**
     * forEachSeen visits exactly the reported tasks with their score and staleness c − C_i, where c
     * counts the policy's picks and C_i is the pick count when task i was last picked (a task
     * reported before it was ever picked counts from its report).
     */
    @Test
    void forEachSeenGivesEachSeenTasksScoreAndStaleness() {
        Setup s = setup(4, new PrioritizedLevelReplay.Params("absAdvantage", "rank", 0.1, 0.1, 1.0,
                "proportionate", 0.5, 0.0, false, 0.0), 11);
        s.plr().observe(report(new int[] {4, 2, 8})); // t0..t2 reported before any pick: C_i = 0
        java.util.Map<Integer, double[]> seen = seen(s.plr());
        assertThat(seen.keySet()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(seen.get(0)).containsExactly(0.5, 0.0);
        assertThat(seen.get(1)).containsExactly(0.375, 0.0);
        assertThat(seen.get(2)).containsExactly(0.0, 0.0);
        // five picks of one task each: pick k (0-based) sets C_i = k, so after them c = 5
        BatchBuilder b = new BatchBuilder();
        int[] lastPick = {-1, -1, -1, -1};
        for (int k = 0; k < 5; k++) {
            b.reset(1);
            s.plr().pick(0, 1, b);
            lastPick[b.get(0)] = k;
        }
        seen = seen(s.plr());
        for (int t = 0; t < 3; t++) {
            long expected = 5 - Math.max(0, lastPick[t]);
            assertThat(seen.get(t)[1]).as("staleness of t%d (last picked at %d)", t, lastPick[t]).isEqualTo(expected);
        }
        assertThat(seen).as("t3 is never reported: not seen, whether picked or not").doesNotContainKey(3);
    }

    private static java.util.Map<Integer, double[]> seen(PrioritizedLevelReplay plr) {
        java.util.Map<Integer, double[]> out = new java.util.HashMap<>();
        plr.forEachSeen((task, group, score, staleness) -> {
            assertThat(group).isZero();
            assertThat(out.put(task, new double[] {score, staleness})).as("t%d visited once", task).isNull();
        });
        return out;
    }

    @Test
    void aCurriculumShowsTheScoresOfItsFirstPlrPipelineOnly() {
        List<TaskSpec> tasks = java.util.stream.IntStream.range(0, 12).mapToObj(i -> TaskSpec.of("t" + i, "g" + (i % 3))).toList();
        Curriculum sec = Curriculum.create(CurriculumConfig.builder().recipe("sec").seed(1).build(), tasks);
        assertThat(sec.replayScores((t, g, sc, st) -> { throw new AssertionError("sec has no replay scores"); })).isFalse();
        Curriculum meta = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"meta\",\"seed\":3,\"members\":"
                + "[{\"recipe\":\"sec\"},{\"recipe\":\"robust-plr\"}]}"), tasks);
        int[] visited = {0};
        assertThat(meta.replayScores((t, g, sc, st) -> visited[0]++)).isTrue();
        assertThat(visited[0]).as("nothing reported yet").isZero();
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (int step = 0; step < 6; step++) {
            Selection sel = meta.next(4);
            reported.addAll(sel.taskIds());
            meta.report(sel.taskIds().stream().map(id -> Outcome.binary(id, 3, 8)).collect(Collectors.toList()));
        }
        // every member observes every report: the PLR member has seen each reported task, once
        java.util.Set<Integer> tasksSeen = new java.util.HashSet<>();
        meta.replayScores((t, g, sc, st) -> {
            assertThat(tasksSeen.add(t)).isTrue();
            assertThat(sc).as("3 of 8: mean |r - 3/8| = 2·3·5/64").isCloseTo(30.0 / 64, within(1e-6));
            assertThat(st).isNotNegative();
        });
        assertThat(tasksSeen).hasSize(reported.size());
    }
}
