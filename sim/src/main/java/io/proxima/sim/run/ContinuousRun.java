package io.proxima.sim.run;

import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.sim.learner.BoxLearner;
import io.proxima.sim.learner.BoxLearnerSpec;
import io.proxima.sim.teach.BoxTeacher;
import io.proxima.sim.teach.SpaceTeacher;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the teachers of core's {@code ContinuousCurriculum} ({@code random}, {@code alp-gmm},
 * {@code covar-gmm}, {@code riac}, …) on a {@link BoxLearner} (the lab's continuous learner or the
 * teachDeepRL toy environment): per step {@code batch} tasks
 * from {@code next(batch)}, one episode and one training update each, then one {@code report} of
 * the batch, until {@code budget} episodes; the mastery of the test grid is recorded at each
 * curve point, and where the episodes went (unlearnable, already mastered, out of reach, on the
 * frontier) is counted at the moment each episode is played.
 */
public final class ContinuousRun {
    /** Teachers available for continuous learners (core's continuous teachers). */
    public static final List<String> TEACHERS = ContinuousConfig.TEACHERS;

    private ContinuousRun() {}

    /** A continuous teacher of a comparison: its name in the report and the {@code "teacher"} object of its configuration. */
    public record Spec(String name, Map<String, Object> teacher) {
        public Spec {
            teacher = Map.copyOf(teacher);
        }

        /** A teacher of core by its type, all parameters at their defaults. */
        public static Spec named(String name) {
            if (!TEACHERS.contains(name)) {
                throw new IllegalArgumentException("teacher '" + name + "' does not run on a continuous learner; continuous teachers: " + TEACHERS);
            }
            return new Spec(name, Map.of("type", name));
        }

        /** A user's teacher object, validated now (not inside a worker thread). */
        public static Spec config(String name, Map<String, Object> teacher, BoxLearnerSpec learner) {
            SpaceTeacher.config(learner, teacher, 0);
            return new Spec(name, new LinkedHashMap<>(teacher));
        }
    }

    /**
     * Curve of one run: {@code x[k]} episodes, {@code mastery[k]} share of the test grid mastered;
     * shares of the run's episodes played in unlearnable cells, in cells already mastered, in cells
     * not yet reachable, and on the frontier (learnable, not mastered: the only useful ones).
     */
    public record Curve(String teacher, long seed, long[] x, double[] mastery, double unlearnableShare, double masteredShare,
                        double unreachedShare, double frontierShare) {}

    public static BoxTeacher teacher(String name, BoxLearnerSpec spec, long seed) {
        return new SpaceTeacher(spec, Spec.named(name).teacher(), seed);
    }

    public static Curve run(BoxLearnerSpec spec, String teacherName, LabOptions o, long seed) {
        return run(spec, Spec.named(teacherName), o, seed);
    }

    public static Curve run(BoxLearnerSpec spec, Spec teacherSpec, LabOptions o, long seed) {
        BoxLearner learner = spec.learner(seed);
        BoxTeacher teacher = new SpaceTeacher(spec, teacherSpec.teacher(), seed);
        int points = o.evalPoints() + 1;
        long[] x = new long[points];
        double[] m = new double[points];
        m[0] = learner.testScore();
        int next = 1;
        long episodes = 0, unlearnable = 0, mastered = 0, unreached = 0, frontier = 0;
        double[] rewards = new double[o.batch()];
        while (episodes < o.budget()) {
            int n = (int) Math.min(o.batch(), o.budget() - episodes);
            List<double[]> tasks = teacher.next(n);
            for (int i = 0; i < tasks.size(); i++) {
                double[] task = tasks.get(i);
                int cell = learner.cell(task);
                if (learner.unlearnableCell(cell)) unlearnable++;
                else if (learner.mastered(cell)) mastered++;
                else if (!learner.learnable(cell)) unreached++;
                else frontier++;
                rewards[i] = learner.play(task);
            }
            teacher.report(tasks, rewards);
            episodes += tasks.size();
            learner.endStep();
            while (next < points && episodes >= o.x(next)) {
                x[next] = o.x(next);
                m[next++] = learner.testScore();
            }
        }
        double e = Math.max(1, episodes);
        return new Curve(teacherSpec.name(), seed, x, m, unlearnable / e, mastered / e, unreached / e, frontier / e);
    }

    /** Teachers × seeds in parallel; results in the order asked (teacher-major), independent of threads. */
    public static List<Curve> compare(BoxLearnerSpec spec, List<Spec> teachers, LabOptions o, PrintWriter progress) {
        List<String> names = ParallelRuns.names(teachers.stream().map(Spec::name).toList());
        List<List<Curve>> runs = ParallelRuns.run(names, o, (k, seed) -> run(spec, teachers.get(k), o, seed), "mastery",
                c -> c.mastery()[c.mastery().length - 1], progress);
        List<Curve> out = new ArrayList<>();
        for (List<Curve> row : runs) out.addAll(row);
        return out;
    }
}
