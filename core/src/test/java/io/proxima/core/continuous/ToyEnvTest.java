package io.proxima.core.continuous;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToyEnvTest {
    @Test
    void unlockRuleByHand() {
        ToyEnv env = new ToyEnv();
        // cube (1,0) is locked: its neighbour (0,0) has c = 0 < 75 → no progress, r = 0
        assertThat(env.episode(new double[] {0.15, 0.05})).isZero();
        // the origin learns from the start: 75 episodes → c = 75
        for (int i = 1; i <= 75; i++) assertThat(env.episode(new double[] {0.05, 0.05})).isEqualTo(i / 100.0);
        // c = 75 unlocks neighbours (≥ 75) but is not yet mastered (> 75)
        assertThat(env.score()).isZero();
        assertThat(env.episode(new double[] {0.15, 0.05})).isEqualTo(0.01);
        assertThat(env.episode(new double[] {0.15, 0.15})).isEqualTo(0.01);   // lower-left neighbour
        assertThat(env.episode(new double[] {0.25, 0.05})).isZero();          // two cubes away: locked
        env.episode(new double[] {0.0, 0.0});
        assertThat(env.score()).isEqualTo(1.0);                                // 1 of 100 cubes
        // 1.0 falls in the last cube, whose neighbours are locked
        assertThat(env.episode(new double[] {1.0, 1.0})).isZero();
        // useless extra dimensions are ignored
        assertThat(env.episode(new double[] {0.05, 0.05, 0.7})).isEqualTo(0.77);
    }

    static double run(String teacher, long seed, int episodes) {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 0, 1)
                .teacher(teacher).seed(seed).build());
        ToyEnv env = new ToyEnv();
        for (int e = 0; e < episodes; e += 10) {
            List<ParamOutcome> out = new ArrayList<>(10);
            for (ParamTask t : c.next(10)) out.add(ParamOutcome.of(t.id(), env.episode(t.params())));
            c.report(out);
        }
        return env.score();
    }

    /**
     * The reference demo's protocol, shortened (spec §4): uniform sampling needs ≈ 7,600 episodes
     * for the origin cube alone, so after 6,000 it has mastered nothing, while the
     * learning-progress teachers have climbed the frontier.
     */
    @Test
    void learningProgressTeachersClimbTheFrontierUniformDoesNot() {
        double random = run("random", 1, 6000);
        double alpGmm = run("alp-gmm", 1, 6000);
        double riac = run("riac", 1, 6000);
        System.out.printf("toy env, %% mastered after 6000 episodes: random %.0f, alp-gmm %.0f, riac %.0f%n", random, alpGmm, riac);
        assertThat(random).isZero();
        assertThat(alpGmm).isGreaterThanOrEqualTo(3);
        assertThat(riac).isGreaterThanOrEqualTo(3);
    }
}
