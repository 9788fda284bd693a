package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.proxima.core.teacher.TeacherTestSupport.concat;
import static io.proxima.core.teacher.TeacherTestSupport.curriculum;
import static io.proxima.core.teacher.TeacherTestSupport.grouped;
import static io.proxima.core.teacher.TeacherTestSupport.outcomes;
import static io.proxima.core.teacher.TeacherTestSupport.probabilities;
import static io.proxima.core.teacher.TeacherTestSupport.scores;
import static io.proxima.core.teacher.TeacherTestSupport.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * DUMP, the worked example of shared/algorithms/llm-rl.md §4. Advantages are "mean" (Dr. GRPO)
 * so that crafted rewards give exact per-trajectory |a|: rewards [2μ, 0, 2μ, 0, …] have mean μ and
 * A = ±μ, so |a| = μ for every trajectory.
 */
class DistributionUcbTest {
    private static final String[] AB = {"A", "B"};

    private static Curriculum dump(String groupPolicy, int perGroup) {
        return curriculum("{\"recipe\":\"dump\",\"seed\":5,\"advantage\":\"mean\",\"groupPolicy\":{\"shareBound\":false"
                        + (groupPolicy.isEmpty() ? "" : ",") + groupPolicy + "}}",
                grouped(perGroup, AB));
    }

    /** G rollouts alternating 2μ and 0: every |a| = μ. */
    private static double[] absAdvantage(double mu, int g) {
        double[] r = new double[g];
        for (int i = 0; i < g; i += 2) r[i] = 2 * mu;
        return r;
    }

    @Test
    void beforeAnyReportEveryGroupHasTheSameScore() {
        Curriculum c = dump("", 10);
        // μ = 0, N = max(1, 0) = 1, bonus = sqrt(2 ln 2 / 1) = 1.17741
        assertThat(scores(c, AB)).containsExactly(new double[] {Math.sqrt(2 * Math.log(2)), Math.sqrt(2 * Math.log(2))}, within(1e-12));
        assertThat(probabilities(c, AB)).containsExactly(0.5, 0.5);
    }

    @Test
    void workedExampleFirstStep() {
        Curriculum c = dump("", 10);
        // one step, 8 trajectories each: mean|a| = .8 (A), .2 (B)
        c.report(concat(List.of(Outcome.of("A-0", absAdvantage(0.8, 8))), List.of(Outcome.of("B-0", absAdvantage(0.2, 8)))));
        // N = 16; bonus = sqrt(2 ln 17 / 9) = 0.79348 for both; scores 1.59348 and 0.99348
        double bonus = Math.sqrt(2 * Math.log(17) / 9);
        assertThat(bonus).isCloseTo(0.79348, within(1e-5));
        assertThat(scores(c, AB)).containsExactly(new double[] {0.8 + bonus, 0.2 + bonus}, within(1e-12));
        // softmax at T = 0.1: exp(−6) = .0024788 → [1, .0024788] / 1.0024788 = [.997527, .002473]
        assertThat(probabilities(c, AB)).containsExactly(new double[] {0.997527, 0.002473}, within(1e-6));
    }

    @Test
    void workedExampleExplorationFlipsThePreference() {
        Curriculum c = dump("", 30);
        // n_A = 200 trajectories with |a| = .30 (25 groups of 8), n_B = 40 with |a| = .25 (5 groups)
        c.report(concat(outcomes("A", 25, absAdvantage(0.30, 8)), outcomes("B", 5, absAdvantage(0.25, 8))));
        // N = 240: A = .30 + sqrt(2 ln 241 / 201) = .30 + .23361 = .53361
        //          B = .25 + sqrt(2 ln 241 / 41)  = .25 + .51725 = .76725
        assertThat(scores(c, AB)).containsExactly(new double[] {0.53361, 0.76725}, within(1e-5));
        // (.53361 − .76725)/.1 = −2.3364 → e^−2.3364 = .09667 → [.08815, .91185]
        assertThat(probabilities(c, AB)).containsExactly(new double[] {0.08815, 0.91185}, within(1e-5));
    }

    @Test
    void meanIsOverTheLast300TrajectoriesWhileCountsAreCumulative() {
        Curriculum c = dump("\"exploration\":0", 50);
        // 40 groups of 8 with |a| = 1 (320 trajectories), then one degenerate group (8 × |a| = 0):
        // the window keeps the last 300 = 292 ones and 8 zeros → μ = 292/300
        List<Outcome> out = new ArrayList<>(outcomes("A", 40, absAdvantage(1.0, 8)));
        c.report(out);
        assertThat(scores(c, AB)[0]).isCloseTo(1.0, within(1e-12));
        c.report(List.of(Outcome.of("A-41", 0, 0, 0, 0, 0, 0, 0, 0)));
        assertThat(scores(c, AB)[0]).isCloseTo(292 / 300.0, within(1e-12));
    }

    @Test
    void cumulativeCountDrivesTheBonus() {
        Curriculum c = dump("\"window\":4", 10);
        // window 4: after 8 × |a| = 1 then 4 × |a| = .5, μ_A = .5 (only the last four), n_A = 12
        c.report(List.of(Outcome.of("A-0", absAdvantage(1.0, 8))));
        c.report(List.of(Outcome.of("A-1", absAdvantage(0.5, 4))));
        // N = 12; A: .5 + sqrt(2 ln 13 / 13); B: 0 + sqrt(2 ln 13 / 1)
        assertThat(scores(c, AB)).containsExactly(
                new double[] {0.5 + Math.sqrt(2 * Math.log(13) / 13), Math.sqrt(2 * Math.log(13))}, within(1e-12));
    }

    @Test
    void stdModeUsesPerTrajectoryAdvantages() {
        Curriculum c = curriculum("{\"recipe\":\"dump\",\"groupPolicy\":{\"exploration\":0}}", grouped(4, AB));
        // GRPO [1,1,1,0]: |A| = [.5,.5,.5,1.5]/(.5+ε) → mean .75 (per trajectory, not per group)
        c.report(List.of(Outcome.of("A-0", 1, 1, 1, 0)));
        assertThat(scores(c, AB)[0]).isCloseTo(0.375 / (0.5 + 1e-6), within(1e-12));
    }

    @Test
    void slotsFollowTheWeightsInTheLongRun() {
        Curriculum c = dump("\"temperature\":1", 30);
        c.report(concat(outcomes("A", 25, absAdvantage(0.30, 8)), outcomes("B", 5, absAdvantage(0.25, 8))));
        double[] p = probabilities(c, AB);
        assertThat(p[1]).isBetween(0.55, 0.6); // e^.23364 → [.4419, .5581]
        double[] share = shares(c, 400, 10, AB);
        assertThat(share).containsExactly(p, within(0.03));
    }
}
