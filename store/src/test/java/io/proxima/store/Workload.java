package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A seeded trainer: tasks, then next/report rounds with rewards drawn from a per-task success rate. */
final class Workload {
    static final String CONFIG = "{\"recipe\": \"sec\", \"seed\": 11, \"rollouts\": 4}";

    static CurriculumConfig config(String recipe, long seed) {
        return CurriculumConfig.fromJson("{\"recipe\": \"" + recipe + "\", \"seed\": " + seed + ", \"rollouts\": 4}");
    }

    static List<TaskSpec> tasks(String prefix, int n) {
        List<TaskSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TaskSpec.of(prefix + i, "g" + (i % 4), (i % 10) / 10.0));
        return out;
    }

    /** Outcomes for a selection: task i succeeds with probability ((hash % 10) / 10). */
    static List<Outcome> outcomes(Selection s, SplittableRandom rnd, long step) {
        List<Outcome> out = new ArrayList<>();
        for (SelectedTask t : s.tasks()) {
            double p = Math.floorMod(t.taskId().hashCode(), 10) / 10.0;
            double[] r = new double[t.rollouts()];
            for (int k = 0; k < r.length; k++) r[k] = rnd.nextDouble() < p ? 1 : 0;
            out.add(new Outcome(t.taskId(), r, Outcome.NO_LENGTHS, step, null));
        }
        return out;
    }

    static byte[] bytes(Selection s) {
        return (s.batch() + ":" + s.taskIds()).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(io.proxima.core.outcome.ReportResult r) {
        return (r.accepted() + "/" + r.kept() + "/" + r.verdicts()).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code rounds} next+report rounds on both the store and a reference curriculum. */
    static void run(Curricula store, String id, Curriculum reference, int rounds, int batch, SplittableRandom rnd, String batchPrefix) {
        for (int i = 0; i < rounds; i++) {
            Selection s = reference.next(batch);
            byte[] got = store.next(id, batch, null, Workload::bytes).body();
            if (!java.util.Arrays.equals(got, bytes(s))) throw new AssertionError("selection differs at round " + i);
            List<Outcome> o = outcomes(s, rnd, i);
            reference.report(o);
            store.report(id, batchPrefix + i, o, Workload::bytes);
        }
    }

    private Workload() {}
}
