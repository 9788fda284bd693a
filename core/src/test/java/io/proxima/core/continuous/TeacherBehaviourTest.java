package io.proxima.core.continuous;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour on a tiny learner: the box [0,1]² whose right half (x ≥ 0.5) is unlearnable (return
 * always 0) and whose left half is cut into 5 × 10 cells of competence c ∈ [0, 1], each rising by
 * 0.01 per episode spent in it (return = c after the episode). Learning progress exists only on
 * the left; a learning-progress teacher should spend most of its episodes there, uniform sampling
 * half of them.
 */
class TeacherBehaviourTest {
    static final class HalfLearnable {
        final double[] competence = new double[50];

        double episode(double[] p) {
            if (p[0] >= 0.5) return 0.0;
            int cell = Math.min(4, (int) (p[0] * 10)) * 10 + Math.min(9, (int) (p[1] * 10));
            competence[cell] = Math.min(1.0, competence[cell] + 0.01);
            return competence[cell];
        }
    }

    /** Share of episodes [from, to) proposed in the learnable half. */
    static double learnableShare(String teacher, long seed, int from, int to) {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 0, 1)
                .teacher(teacher).seed(seed).build());
        HalfLearnable env = new HalfLearnable();
        int inside = 0;
        int batch = 10;
        for (int e = 0; e < to; e += batch) {
            List<ParamTask> tasks = c.next(batch);
            List<ParamOutcome> out = new ArrayList<>(batch);
            for (ParamTask t : tasks) {
                if (t.id() >= from && t.params()[0] < 0.5) inside++;
                out.add(ParamOutcome.of(t.id(), env.episode(t.params())));
            }
            c.report(out);
        }
        return (double) inside / (to - from);
    }

    @Test
    void alpGmmConcentratesOnTheLearnableHalf() {
        double random = learnableShare("random", 1, 1000, 4000);
        double alpGmm = learnableShare("alp-gmm", 1, 1000, 4000);
        double riac = learnableShare("riac", 1, 1000, 4000);
        double covar = learnableShare("covar-gmm", 1, 1000, 4000);
        System.out.printf("learnable share, episodes 1000-4000: random %.3f, alp-gmm %.3f, riac %.3f, covar-gmm %.3f%n",
                random, alpGmm, riac, covar);
        assertThat(random).isBetween(0.45, 0.55);
        assertThat(alpGmm).isGreaterThan(random + 0.2);
    }
}
