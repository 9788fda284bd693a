package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** TSCL (window, online) and the fast/slow EMA variant, by hand. */
class LearningProgressTest {
    static Curriculum curriculum(CurriculumConfig.Builder b) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) tasks.add(TaskSpec.of("a" + i, "A"));
        for (int i = 0; i < 30; i++) tasks.add(TaskSpec.of("b" + i, "B"));
        for (int i = 0; i < 30; i++) tasks.add(TaskSpec.of("c" + i, "C"));
        return Curriculum.create(b.set("groupPolicy.shareBound", false).build(), tasks); // the papers' policy, unbounded
    }

    /** One report: group A's task scores x_A (successes of 8), group B's x_B; C is not reported. */
    static void report(Curriculum c, int step, int successesA, int successesB) {
        c.next(1); // advances the clock: reports are timed by the batch counter
        c.report(List.of(Outcome.binary("a" + step, successesA, 8), Outcome.binary("b" + step, successesB, 8)));
    }

    @Test
    void windowSlopeAndEpsilonGreedy() {
        Curriculum c = curriculum(CurriculumConfig.builder().recipe("lp"));
        // A: scores 0.25, 0.5, 0.75 at clocks 1, 2, 3 → slope 0.25;  B: 0.5, 0.5, 0.375 → slope −0.0625
        report(c, 0, 2, 4);
        report(c, 1, 4, 4);
        report(c, 2, 6, 3);
        CurriculumStats s = c.stats();
        assertThat(s.group("A").score()).isCloseTo(0.25, within(1e-12));
        assertThat(s.group("B").score()).isCloseTo(-0.0625, within(1e-12));
        // C was never reported: LP = 1, the maximum → ε-greedy gives C 1 − ε + ε/3, the others ε/3
        assertThat(s.group("C").score()).isEqualTo(1.0);
        assertThat(s.group("C").probability()).isCloseTo(0.9 + 0.1 / 3, within(1e-12));
        assertThat(s.group("A").probability()).isCloseTo(0.1 / 3, within(1e-12));
    }

    @Test
    void boltzmannOnAbsoluteSlopes() {
        Curriculum c = curriculum(CurriculumConfig.builder().recipe("lp").set("groupPolicy.policy", "boltzmann")
                .set("groupPolicy.tau", 0.1));
        report(c, 0, 2, 4);
        report(c, 1, 4, 4);
        report(c, 2, 6, 3);
        // values |LP| = 0.25, 0.0625, 1 → p ∝ exp((v − 1)/0.1)
        double a = Math.exp(-7.5), b = Math.exp(-9.375), cc = 1.0;
        double z = a + b + cc;
        CurriculumStats s = c.stats();
        assertThat(s.group("A").probability()).isCloseTo(a / z, within(1e-12));
        assertThat(s.group("B").probability()).isCloseTo(b / z, within(1e-12));
        assertThat(s.group("C").probability()).isCloseTo(cc / z, within(1e-12));
    }

    @Test
    void onlineVariantFollowsScoreDifferences() {
        Curriculum c = curriculum(CurriculumConfig.builder().recipe("lp").set("groupPolicy.variant", "online"));
        report(c, 0, 2, 4); // first score: r = 0 → Q = 0
        report(c, 1, 4, 4); // A: r = 0.25 → Q = 0.1·0.25 = 0.025
        report(c, 2, 6, 4); // A: r = 0.25 → Q = 0.025 + 0.1·(0.25 − 0.025) = 0.0475
        assertThat(c.stats().group("A").score()).isCloseTo(0.0475, within(1e-12));
        assertThat(c.stats().group("B").score()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void fastSlowGap() {
        Curriculum c = curriculum(CurriculumConfig.builder().recipe("lp-ema"));
        report(c, 0, 0, 4); // A: fast = slow = 0
        report(c, 1, 8, 4); // A: fast = 0.1, slow = 0.01 → LP 0.09;  B: LP 0
        CurriculumStats s = c.stats();
        assertThat(s.group("A").score()).isCloseTo(0.09, within(1e-12));
        assertThat(s.group("B").score()).isCloseTo(0.0, within(1e-12));
        // C unseen gets the largest LP (0.09): P = 0.9·0.09/0.18 + 0.1/3 for A and C, 0.1/3 for B
        assertThat(s.group("A").probability()).isCloseTo(0.45 + 0.1 / 3, within(1e-12));
        assertThat(s.group("C").probability()).isCloseTo(0.45 + 0.1 / 3, within(1e-12));
        assertThat(s.group("B").probability()).isCloseTo(0.1 / 3, within(1e-12));
    }

    @Test
    void fastMustBeAboveSlow() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CurriculumConfig.builder().recipe("lp-ema")
                .set("groupPolicy.slow", 0.5).build()).hasMessageContaining("groupPolicy.slow");
    }
}
