package io.proxima.sim.run;

import io.proxima.sim.learner.ContinuousLearner;
import io.proxima.sim.learner.ContinuousLearnerSpec;
import io.proxima.sim.teach.BoxTeacher;
import io.proxima.sim.teach.RandomBoxTeacher;

import java.util.List;

/**
 * Runs box teachers on a {@link ContinuousLearner}: {@code batch} episodes per step until
 * {@code budget} episodes, recording the mastery of the test grid at each curve point. The teachers
 * of the ALP-GMM family come with a later issue; the baseline {@code random} is here.
 */
public final class ContinuousRun {
    /** Teachers available for continuous learners. */
    public static final List<String> TEACHERS = List.of("random");

    private ContinuousRun() {}

    /** Curve of one run: {@code x[k]} episodes, {@code mastery[k]}. */
    public record Curve(String teacher, long seed, long[] x, double[] mastery) {}

    public static BoxTeacher teacher(String name, ContinuousLearnerSpec spec, long seed) {
        if (name.equals("random")) return new RandomBoxTeacher(spec.parameters(), seed);
        throw new IllegalArgumentException("teacher '" + name + "' does not run on a continuous learner; available: " + TEACHERS
                + " (the ALP-GMM family comes later)");
    }

    public static Curve run(ContinuousLearnerSpec spec, String teacherName, LabOptions o, long seed) {
        ContinuousLearner learner = new ContinuousLearner(spec, seed);
        BoxTeacher teacher = teacher(teacherName, spec, seed);
        int points = o.evalPoints() + 1;
        long[] x = new long[points];
        double[] m = new double[points];
        m[0] = learner.testScore();
        int next = 1;
        long episodes = 0;
        while (episodes < o.budget()) {
            for (int i = 0; i < o.batch() && episodes < o.budget(); i++) {
                double[] task = teacher.next();
                double r = learner.episode(task);
                teacher.report(task, r);
                learner.train(task);
                episodes++;
            }
            learner.endStep();
            while (next < points && episodes >= o.x(next)) {
                x[next] = o.x(next);
                m[next++] = learner.testScore();
            }
        }
        return new Curve(teacherName, seed, x, m);
    }
}
