package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.recipe.Recipes;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 1: per-group state kept in arrays that grow lazily must still be written whole
 * when a snapshot is taken right after tasks of a new group arrive (SEC wrote
 * {@code pool.groupCount()} entries of a 4-slot array: "Index 4 out of bounds for length 4").
 * For every recipe and every piece: reports, then tasks in groups never seen (past every
 * capacity doubling), a snapshot after each addition, restore → same bytes, and the restored
 * curriculum's future equals the original's.
 */
class NewGroupSnapshotTest {
    /** Every recipe, every piece of every slot, and a meta-teacher over several. */
    static Map<String, String> configs() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Recipes.Recipe r : Recipes.standard().recipes()) m.put(r.name(), "{\"recipe\":\"" + r.name() + "\"}");
        m.put("mixture", "{\"groupPolicy\":{\"type\":\"mixture\",\"weights\":{\"g0\":2,\"g5\":1},\"others\":0.5}}");
        m.put("lp-online-greedy", "{\"recipe\":\"lp\",\"groupPolicy\":{\"variant\":\"online\",\"policy\":\"boltzmann\"}}");
        m.put("sec-no-gate", "{\"recipe\":\"sec\",\"groupPolicy\":{\"progressGate\":false,\"decayUnsampled\":false}}");
        m.put("dump+pcl+features", "{\"recipe\":\"dump\",\"featureDim\":2,\"itemPolicy\":{\"type\":\"pcl\"}}");
        m.put("sec+odf+odf-filter", "{\"recipe\":\"sec\",\"itemPolicy\":{\"type\":\"odf\"},\"filter\":{\"type\":\"odf\"}}");
        m.put("lp-ema+plr", "{\"recipe\":\"lp-ema\",\"itemPolicy\":{\"type\":\"plr\"}}");
        m.put("dump+robust-plr", "{\"recipe\":\"dump\",\"itemPolicy\":{\"type\":\"robust-plr\"}}");
        m.put("sec+greso-paper", "{\"recipe\":\"sec\",\"itemPolicy\":{\"type\":\"greso\",\"skipHard\":true}}");
        m.put("sec+spl", "{\"recipe\":\"sec\",\"itemPolicy\":{\"type\":\"spl\"}}");
        m.put("lp+pacing", "{\"recipe\":\"lp\",\"itemPolicy\":{\"type\":\"pacing\"}}");
        m.put("gvm", "{\"recipe\":\"sec\",\"allocator\":{\"type\":\"gvm\"}}");
        m.put("knapsack", "{\"recipe\":\"dump\",\"allocator\":{\"type\":\"knapsack\"}}");
        m.put("cures", "{\"recipe\":\"lp-ema\",\"allocator\":{\"type\":\"cures\"}}");
        m.put("directives", "{\"recipe\":\"sec\",\"directives\":[{\"type\":\"tokenBudget\"},{\"type\":\"hint\"},{\"type\":\"scaffold\"}]}");
        m.put("meta", "{\"recipe\":\"meta\",\"members\":[{\"recipe\":\"sec\"},{\"recipe\":\"dump\"},{\"recipe\":\"lp\"},"
                + "{\"recipe\":\"lp-ema\"},{\"recipe\":\"plr\"},{\"recipe\":\"odf\"}]}");
        return m;
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (Map.Entry<String, String> e : configs().entrySet()) {
            for (int groups : new int[] {1, 4, 8}) a.add(Arguments.of(e.getKey(), e.getValue(), groups));
        }
        return a.stream();
    }

    private static CurriculumConfig config(String json, long seed) {
        return CurriculumConfig.fromJson(json.substring(0, json.length() - 1) + ",\"seed\":" + seed + ",\"rollouts\":4}");
    }

    private static List<TaskSpec> tasks(String group, int from, int n, int featureDim) {
        List<TaskSpec> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            TaskSpec t = TaskSpec.of(group + "/" + i, group);
            if (featureDim > 0) {
                float[] f = new float[featureDim];
                for (int k = 0; k < featureDim; k++) f[k] = (float) Math.sin(i + k);
                t = t.withFeatures(f);
            }
            out.add(t);
        }
        return out;
    }

    /** A learner whose outcomes depend only on the task id and the round (the same for both curricula). */
    private static List<Outcome> outcomes(Selection s, int round) {
        List<Outcome> out = new ArrayList<>();
        for (SelectedTask t : s.tasks()) {
            int h = Math.floorMod(t.taskId().hashCode() + 31 * round, 97);
            double[] r = new double[t.rollouts()];
            for (int k = 0; k < r.length; k++) r[k] = (h + 13 * k) % 3 == 0 ? 1 : 0;
            out.add(new Outcome(t.taskId(), r, null, round, t.directives(), (h % 10) / 10.0));
        }
        return out;
    }

    private static void round(Curriculum c, int round) {
        Selection s = c.next(Math.min(c.size(), 3 + round % 4));
        c.report(outcomes(s, round));
    }

    @ParameterizedTest(name = "{0}, {2} groups first")
    @MethodSource("cases")
    void tasksInANewGroupAfterReportsSnapshotAndRestoreExactly(String name, String json, int initialGroups) {
        CurriculumConfig cfg = config(json, 11 + initialGroups);
        int dim = cfg.featureDim();
        Curriculum c = Curriculum.create(cfg);
        int next = 0;
        for (int g = 0; g < initialGroups; g++) {
            c.addTasks(tasks("g" + g, next, 5, dim));
            next += 5;
        }
        int round = 0;
        for (; round < 6; round++) round(c, round);
        // groups never seen, one at a time, a snapshot right after each (before any next or report)
        for (int g = initialGroups; g < initialGroups + 10; g++) {
            c.addTasks(tasks("g" + g, next, 2, dim));
            next += 2;
            byte[] snap = c.snapshot();
            Curriculum back = Curriculum.restore(snap);
            assertThat(back.snapshot()).as("%s: round trip after group %d", name, g).isEqualTo(snap);
            assertThat(back.stats()).as("%s: stats after group %d", name, g).isEqualTo(c.stats());
            if (g % 3 == 0) {
                // both go on from here the same way
                for (int k = 0; k < 3; k++, round++) {
                    Selection a = c.next(Math.min(c.size(), 4));
                    Selection b = back.next(Math.min(back.size(), 4));
                    assertThat(b).as("%s: selection after restore", name).isEqualTo(a);
                    c.report(outcomes(a, round));
                    back.report(outcomes(b, round));
                }
                assertThat(back.snapshot()).as("%s: state after replay", name).isEqualTo(c.snapshot());
            }
        }
        Invariants.check(c);
    }

    /** The exact script: a sec curriculum of 4 groups, reports, a 5th group, a snapshot. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void secFifthGroupThenSnapshot(long seed) {
        Rng rng = new Rng(seed);
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":" + seed + "}"));
        for (int g = 0; g < 4; g++) c.addTasks(tasks("g" + g, 10 * g, 1 + rng.nextInt(5), 0));
        for (int r = 0; r < 1 + rng.nextInt(4); r++) round(c, r);
        c.addTasks(tasks("g4", 100, 1, 0));
        byte[] snap = c.snapshot();
        assertThat(Curriculum.restore(snap).snapshot()).isEqualTo(snap);
        assertThat(Curriculum.restore(snap).stats().groups()).hasSize(5);
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 4L, 5L);
    }
}
