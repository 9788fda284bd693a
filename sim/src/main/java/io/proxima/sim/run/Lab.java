package io.proxima.sim.run;

import io.proxima.sim.learner.RolloutLearnerSpec;
import io.proxima.sim.teach.TeacherSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs teachers × seeds on a learner, in parallel. Each run owns its learner, teacher and
 * generators, seeded from its seed alone, so results do not depend on threads or scheduling;
 * they are collected in the order asked.
 */
public final class Lab {
    private Lab() {}

    /**
     * Compares the teachers; {@code progress} (nullable) gets one line per finished run. The
     * baselines {@code uniform} and {@code random} are added first when missing.
     */
    public static Comparison compare(RolloutLearnerSpec learner, List<TeacherSpec> teachers, LabOptions o, PrintWriter progress) {
        List<TeacherSpec> all = withBaselines(teachers);
        long t0 = System.nanoTime();
        List<String> names = all.stream().map(TeacherSpec::name).toList();
        List<List<RunResult>> runs = ParallelRuns.run(names, o, (k, seed) -> PromptRun.run(learner, all.get(k), o, seed),
                "held-out accuracy", RunResult::finalAccuracy, progress);
        double target = Double.isNaN(o.target()) ? autoTarget(runs.get(names.indexOf("uniform"))) : o.target();
        return new Comparison(learner, o, names, runs, target, (System.nanoTime() - t0) / 1e9);
    }

    /** Start + 90% of uniform's mean gain in held-out accuracy. */
    static double autoTarget(List<RunResult> uniform) {
        double start = 0, end = 0;
        for (RunResult r : uniform) {
            start += r.accuracy()[0];
            end += r.finalAccuracy();
        }
        start /= uniform.size();
        end /= uniform.size();
        return start + LabOptions.AUTO_TARGET_SHARE * (end - start);
    }

    /** uniform and random first (added when missing), then the others in the order given. */
    static List<TeacherSpec> withBaselines(List<TeacherSpec> teachers) {
        List<String> names = new ArrayList<>();
        for (TeacherSpec t : teachers) {
            if (names.contains(t.name())) throw new IllegalArgumentException("teacher '" + t.name() + "' is listed twice");
            names.add(t.name());
        }
        List<TeacherSpec> all = new ArrayList<>();
        for (String b : List.of("uniform", "random")) {
            int i = names.indexOf(b);
            all.add(i >= 0 ? teachers.get(i) : TeacherSpec.named(b));
        }
        for (TeacherSpec t : teachers) if (!t.name().equals("uniform") && !t.name().equals("random")) all.add(t);
        return all;
    }
}
