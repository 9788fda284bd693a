package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;

import java.util.ArrayList;
import java.util.List;

/** Small builders shared by the teacher tests. */
final class TeacherTestSupport {
    private TeacherTestSupport() {}

    /** {@code perGroup} tasks named {@code <group>-<i>} for each group. */
    static List<TaskSpec> grouped(int perGroup, String... groups) {
        List<TaskSpec> specs = new ArrayList<>();
        for (String g : groups) for (int i = 0; i < perGroup; i++) specs.add(TaskSpec.of(g + "-" + i, g));
        return specs;
    }

    /** A context over one group of {@code n} tasks {@code t0 … t(n-1)}, G = 8, seeded generator: for pieces built by hand. */
    static io.proxima.core.compose.TeacherContext oneGroupContext(int n, long seed) {
        io.proxima.core.space.TaskPool pool = new io.proxima.core.space.TaskPool(0);
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) specs.add(TaskSpec.of("t" + i));
        pool.addAll(specs);
        io.proxima.core.estimate.GroupStats gs = new io.proxima.core.estimate.GroupStats();
        gs.ensureGroups(1);
        io.proxima.core.estimate.PassRates pr = new io.proxima.core.estimate.PassRates(pool, gs, io.proxima.core.estimate.PassRates.Params.DEFAULTS);
        return new io.proxima.core.compose.TeacherContext(pool, new io.proxima.core.sample.EpochWalk(pool), pr, gs,
                new io.proxima.core.sample.Rng(seed), 8, io.proxima.core.estimate.Advantages.Mode.STD);
    }

    static Curriculum curriculum(String json, List<TaskSpec> tasks) {
        return Curriculum.create(CurriculumConfig.fromJson(json), tasks);
    }

    /** One outcome per listed task, each with the given rewards. */
    static List<Outcome> outcomes(String group, int count, double... rewards) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(Outcome.of(group + "-" + i, rewards.clone()));
        return out;
    }

    @SafeVarargs
    static List<Outcome> concat(List<Outcome>... parts) {
        List<Outcome> all = new ArrayList<>();
        for (List<Outcome> p : parts) all.addAll(p);
        return all;
    }

    static double[] probabilities(Curriculum c, String... groups) {
        CurriculumStats s = c.stats();
        double[] p = new double[groups.length];
        for (int i = 0; i < groups.length; i++) p[i] = s.group(groups[i]).probability();
        return p;
    }

    static double[] scores(Curriculum c, String... groups) {
        CurriculumStats s = c.stats();
        double[] p = new double[groups.length];
        for (int i = 0; i < groups.length; i++) p[i] = s.group(groups[i]).score();
        return p;
    }

    /** Selection share of each group over {@code batches} calls of next(n), without reports. */
    static double[] shares(Curriculum c, int batches, int n, String... groups) {
        long[] counts = new long[groups.length];
        for (int b = 0; b < batches; b++) {
            for (String id : c.next(n).taskIds()) {
                String g = id.substring(0, id.lastIndexOf('-'));
                for (int i = 0; i < groups.length; i++) if (groups[i].equals(g)) counts[i]++;
            }
        }
        double[] share = new double[groups.length];
        for (int i = 0; i < groups.length; i++) share[i] = (double) counts[i] / ((long) batches * n);
        return share;
    }
}
