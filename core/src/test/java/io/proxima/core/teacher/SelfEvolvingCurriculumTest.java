package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import org.junit.jupiter.api.Test;

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

/** SEC, the worked example of shared/algorithms/llm-rl.md §3, driven through a Curriculum. */
class SelfEvolvingCurriculumTest {
    private static final String[] ARMS = {"L1", "L2", "L3"};
    // mean|A| under GRPO std-normalisation (AdvantagesTest): [1,1,1,0] → 0.75, [1,0,1,0] → 0.866
    private static final double A75 = 0.375 / (0.5 + 1e-6);
    private static final double A866 = 0.5 / (Math.sqrt(1.0 / 3) + 1e-6);

    private static Curriculum sec(double tau, boolean decayUnsampled) {
        return curriculum("{\"recipe\":\"sec\",\"seed\":1,\"groupPolicy\":{\"alpha\":0.5,\"tau\":" + tau
                + ",\"decayUnsampled\":" + decayUnsampled + "}}", grouped(20, ARMS));
    }

    /** Step 1: L1 groups [1,1,1,0], L2 groups [1,0,1,0], no L3. */
    private static List<Outcome> step1() {
        return concat(outcomes("L1", 3, 1, 1, 1, 0), outcomes("L2", 2, 1, 0, 1, 0));
    }

    /** Step 2: L2 groups [1,1,1,0], L3 groups [1,0,1,0], no L1. */
    private static List<Outcome> step2() {
        return concat(outcomes("L2", 2, 1, 1, 1, 0), outcomes("L3", 4, 1, 0, 1, 0));
    }

    @Test
    void startsUniform() {
        Curriculum c = sec(1.0, true);
        assertThat(scores(c, ARMS)).containsExactly(0, 0, 0);
        assertThat(probabilities(c, ARMS)).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, within(1e-12));
    }

    @Test
    void workedExampleAtTauOne() {
        Curriculum c = sec(1.0, true);
        c.report(step1());
        // Q = α·r + (1 − α)·Q = .5·[.75, .866, 0 (absent, decayed)] = [.375, .433, 0]
        assertThat(scores(c, ARMS)).containsExactly(new double[] {0.5 * A75, 0.5 * A866, 0}, within(1e-12));
        assertThat(scores(c, ARMS)).containsExactly(new double[] {0.375, 0.433, 0}, within(1e-3));
        // π = softmax(Q/1): e^.375 = 1.45499, e^.433 = 1.54186, e^0 = 1 → / 3.99685 = [.3640, .3858, .2502]
        assertThat(probabilities(c, ARMS)).containsExactly(new double[] {0.3640, 0.3858, 0.2502}, within(1e-4));
    }

    @Test
    void workedExampleAtTauPointFour() {
        Curriculum c = sec(0.4, true);
        c.report(step1());
        // e^(.375/.4) = 2.5536, e^(.433/.4) = 2.9521, 1 → / 6.5057 = [.3925, .4538, .1537]
        assertThat(probabilities(c, ARMS)).containsExactly(new double[] {0.3925, 0.4538, 0.1537}, within(1e-4));
    }

    @Test
    void stepTwoCodeVariantDecaysUnsampledArms() {
        Curriculum c = sec(1.0, true);
        c.report(step1());
        c.report(step2());
        // L1 absent: .5·.375 = .1875; L2: .5·.75 + .5·.433 = .5915; L3: .5·.866 + .5·0 = .4330
        assertThat(scores(c, ARMS)).containsExactly(new double[] {0.1875, 0.5915, 0.4330}, within(1e-4));
        assertThat(scores(c, ARMS)).containsExactly(
                new double[] {0.25 * A75, 0.5 * A75 + 0.25 * A866, 0.5 * A866}, within(1e-12));
    }

    @Test
    void stepTwoSampledOnlyVariantKeepsAbsentArms() {
        Curriculum c = sec(1.0, false);
        c.report(step1());
        c.report(step2());
        // L1 keeps .375; the others as in the code variant
        assertThat(scores(c, ARMS)).containsExactly(new double[] {0.375, 0.5915, 0.4330}, within(1e-4));
    }

    @Test
    void rewardIsMeanOverTrajectoriesNotOverGroups() {
        Curriculum c = sec(1.0, true);
        // L1: [1,1,1,0] (4 trajectories, Σ|A| = 4·A75) and [1,0] (2 trajectories: mean .5,
        // std₁ = sqrt(.5), |A| = .5/(.7071 + ε) each): r = (4·A75 + 2·a2) / 6
        double a2 = 0.5 / (Math.sqrt(0.5) + 1e-6);
        c.report(List.of(Outcome.of("L1-0", 1, 1, 1, 0), Outcome.of("L1-1", 1, 0)));
        assertThat(scores(c, ARMS)[0]).isCloseTo(0.5 * (4 * A75 + 2 * a2) / 6, within(1e-12));
    }

    @Test
    void slotsFollowTheBoltzmannProbabilitiesInTheLongRun() {
        Curriculum c = sec(0.4, true);
        c.report(step1());
        double[] p = probabilities(c, ARMS);
        // no further report: the policy is fixed; 400 batches of 12 = 4800 slots, sd ≤ .0072
        double[] share = shares(c, 400, 12, ARMS);
        assertThat(share).containsExactly(p, within(0.03));
        assertThat(probabilities(c, ARMS)).containsExactly(p, within(0.0));
    }

    @Test
    void snapshotKeepsQValues() {
        Curriculum c = sec(1.0, true);
        c.report(step1());
        Curriculum back = Curriculum.restore(c.snapshot());
        assertThat(scores(back, ARMS)).containsExactly(scores(c, ARMS), within(0.0));
        assertThat(back.snapshot()).isEqualTo(c.snapshot());
    }
}
