package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * ODF's selection half with fixed evidence (no report during selection). The pass-rate prior is
 * flat (priorStrength 0) so that a task's estimate is exactly (1 + s) / (2 + G):
 * 4 of 8 → .5 (in band), 0 of 8 → .1 (below, distance .1).
 */
class DifficultyBandTest {
    private static Curriculum band(String itemPolicy, long seed, List<TaskSpec> tasks) {
        return TeacherTestSupport.curriculum("{\"seed\":" + seed + ",\"passRate\":{\"priorStrength\":0},"
                + "\"itemPolicy\":{\"type\":\"odf\"," + (itemPolicy.contains("freshShare") ? "" : "\"freshShare\":0,") + itemPolicy + "}}", tasks);
    }

    /** The band as the paper-like skip: passed-over candidates are spent for the epoch (coverage off). */
    private static Curriculum skipping(String itemPolicy, long seed, List<TaskSpec> tasks) {
        return band("\"coverage\":false," + itemPolicy, seed, tasks);
    }

    private static List<TaskSpec> tasks(String prefix, int n) {
        List<TaskSpec> t = new ArrayList<>();
        for (int i = 0; i < n; i++) t.add(TaskSpec.of(prefix + i, "g"));
        return t;
    }

    private static List<TaskSpec> concat(List<TaskSpec> a, List<TaskSpec> b) {
        List<TaskSpec> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void evidence(Curriculum c, String prefix, int n, int successes, int rollouts) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Outcome.binary(prefix + i, successes, rollouts));
        c.report(out);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void inBandTasksArePreferredAndOutOfBandRecheckedAtTheRecheckRate(long seed) {
        double recheck = 0.1;
        Curriculum c = skipping("\"recheck\":" + recheck, seed, concat(tasks("in", 150), tasks("out", 50)));
        evidence(c, "in", 150, 4, 8);
        evidence(c, "out", 50, 0, 8);
        assertThat(c.passRate("in0")).isCloseTo(0.5, within(1e-9));
        assertThat(c.passRate("out0")).isCloseTo(0.1, within(1e-9));
        int in = 0, out = 0;
        for (int b = 0; b < 800; b++) {
            for (String id : c.next(10).taskIds()) {
                if (id.startsWith("in")) in++;
                else out++;
            }
        }
        // Each epoch of the walk examines every task once: all 150 in-band are taken, each of the 50
        // out-of-band with probability `recheck`. So out/in ≈ 50·recheck/150 and 3·out/in estimates
        // recheck (sd ≈ .006 over 8000 selections).
        assertThat(out).as("seed %d", seed).isPositive();
        assertThat(3.0 * out / in).as("seed %d: out=%d in=%d", seed, out, in).isCloseTo(recheck, within(0.025));
    }

    @Test
    void withoutRecheckOnlyInBandTasksAreTaken() {
        Curriculum c = skipping("\"recheck\":0", 4, concat(tasks("in", 150), tasks("out", 50)));
        evidence(c, "in", 150, 4, 8);
        evidence(c, "out", 50, 0, 8);
        Set<String> seen = new HashSet<>();
        for (int b = 0; b < 300; b++) seen.addAll(c.next(10).taskIds());
        assertThat(seen).allMatch(id -> id.startsWith("in")).hasSize(150); // every in-band task, none other
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void untriedTasksAreExplored(long seed) {
        Curriculum c = skipping("\"recheck\":0", seed, concat(tasks("old", 100), tasks("new", 20)));
        evidence(c, "old", 100, 0, 8);
        Set<String> seen = new HashSet<>();
        // every call walks at least 5 candidates, so 30 calls walk a whole epoch (120 tasks); an
        // untried candidate is always taken
        for (int b = 0; b < 30; b++) seen.addAll(c.next(5).taskIds());
        for (int i = 0; i < 20; i++) assertThat(seen).as("seed %d", seed).contains("new" + i);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void fillTakesTheNearestWhenNothingIsInBand(long seed) {
        List<TaskSpec> t = concat(tasks("near", 2), tasks("far", 8));
        Curriculum c = skipping("\"recheck\":0,\"candidates\":8", seed, t);
        // near0: 1 of 16 → 2/18 = .111, distance .089 below; near1: 15 of 16 → 16/18 = .889, .089 above
        // far*: 0 of 30 → 1/32, distance .169
        c.report(List.of(Outcome.binary("near0", 1, 16), Outcome.binary("near1", 15, 16)));
        evidence(c, "far", 8, 0, 30);
        // candidates·count = 16 ≥ 10: each call examines the whole group, nothing is in band, and
        // the fill takes the two nearest
        for (int b = 0; b < 20; b++) {
            assertThat(c.next(2).taskIds()).as("seed %d", seed).containsExactlyInAnyOrder("near0", "near1");
        }
    }

    @Test
    void batchStaysFullAndDistinctWhenTheGroupIsExhausted() {
        Curriculum c = skipping("\"recheck\":0", 9, tasks("t", 12));
        evidence(c, "t", 12, 8, 8);
        for (int b = 0; b < 20; b++) {
            List<String> ids = c.next(12).taskIds();
            assertThat(new HashSet<>(ids)).hasSize(12);
        }
    }

    /**
     * Coverage (the default): the band orders each epoch instead of skipping — every task comes
     * exactly once per epoch, the in-band ones first.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void withCoverageEveryTaskComesOncePerEpochInBandFirst(long seed) {
        Curriculum c = band("\"recheck\":0", seed, concat(tasks("in", 150), tasks("out", 50)));
        evidence(c, "in", 150, 4, 8);
        evidence(c, "out", 50, 0, 8);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<String> order = new ArrayList<>();
            for (int b = 0; b < 20; b++) order.addAll(c.next(10).taskIds());
            assertThat(new HashSet<>(order)).as("seed %d epoch %d", seed, epoch).hasSize(200);
            assertThat(order.subList(0, 100)).as("in-band first").allMatch(id -> id.startsWith("in"));
        }
    }

    /**
     * The fresh floor: with freshShare f, each slot is the walk's with probability f, so of the
     * first half of an epoch (100 of 200 tasks; 150 in band, 50 out) the band still fills the
     * other (1 − f) with in-band tasks while the walk's slots take out-of-band ones at their pool
     * share 50/200 as the epoch goes. f = 0: no out-of-band task in the first half; f = 1: about
     * 100 · 50/200 = 25, the walk's; every task still once per epoch.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void freshShareTakesPartOfEachBatchFromTheWalk(long seed) {
        int[] outFirstHalf = new int[3];
        double[] shares = {0.0, 0.5, 1.0};
        for (int k = 0; k < shares.length; k++) {
            Curriculum c = band("\"recheck\":0,\"freshShare\":" + shares[k], seed, concat(tasks("in", 150), tasks("out", 50)));
            evidence(c, "in", 150, 4, 8);
            evidence(c, "out", 50, 0, 8);
            for (int epoch = 0; epoch < 3; epoch++) {
                List<String> order = new ArrayList<>();
                for (int b = 0; b < 20; b++) order.addAll(c.next(10).taskIds());
                assertThat(new HashSet<>(order)).as("seed %d share %s epoch %d: once per epoch", seed, shares[k], epoch).hasSize(200);
                for (String id : order.subList(0, 100)) if (id.startsWith("out")) outFirstHalf[k]++;
            }
        }
        assertThat(outFirstHalf[0]).as("band alone: in-band first").isZero();
        // share 1: hypergeometric, 3 epochs of 100 draws from 200 with 50 out: mean 75, sd ≈ 7.5
        assertThat(outFirstHalf[2]).as("walk alone").isBetween(75 - 30, 75 + 30);
        assertThat(outFirstHalf[1]).as("half and half").isBetween(1, outFirstHalf[2] - 1);
    }
}
