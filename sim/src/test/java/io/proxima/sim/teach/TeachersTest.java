package io.proxima.sim.teach;

import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.PromptLearner;
import io.proxima.sim.learner.PromptLearnerSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TeachersTest {
    static final PromptLearnerSpec SPEC = LearnerFiles.parse("""
            {"heldOut": 200, "sources": [
              {"name": "ok", "size": 100, "difficulty": {"mean": 0, "sd": 1}},
              {"name": "bad", "size": 100, "difficulty": {"mean": 0, "sd": 1}, "unlearnable": 0.5, "noisy": 0.5},
              {"name": "done", "size": 100, "difficulty": {"mean": -12, "sd": 0.5}}]}""").prompts();

    @Test
    void theOracleNeverPicksNoisyUnlearnableOrSaturatedPrompts() {
        PromptLearner l = new PromptLearner(SPEC, 1);
        Oracle o = new Oracle(l, 8, 1);
        for (int step = 0; step < 20; step++) {
            List<Pick> picks = o.next(16);
            Set<Integer> distinct = new HashSet<>();
            for (Pick p : picks) {
                assertThat(distinct.add(p.task())).isTrue();
                assertThat(p.rollouts()).isEqualTo(8);
                assertThat(l.kind(p.task())).isEqualTo(PromptLearner.NORMAL);
                assertThat(l.group(p.task())).isZero();
                assertThat(o.expectedGain(p.task())).isPositive();
            }
        }
        for (int i = 100; i < 200; i++) assertThat(o.expectedGain(i)).isZero();
    }

    @Test
    void theOraclePrefersPassRatesNearOneHalf() {
        PromptLearner l = new PromptLearner(SPEC, 2);
        Oracle o = new Oracle(l, 8, 2);
        double worstPicked = 1;
        for (Pick p : o.next(10)) worstPicked = Math.min(worstPicked, l.successProbability(p.task()) * (1 - l.successProbability(p.task())));
        int better = 0;
        for (int i = 0; i < 100; i++) {
            double p = l.successProbability(i);
            if (p * (1 - p) > worstPicked + 1e-12) better++;
        }
        assertThat(better).isLessThan(10);
    }

    @Test
    void aCurriculumTeacherMapsTasksBothWays() {
        // At verl's tolerance the keep-share guard is not triggered here: DAPO keeps exactly the
        // groups that carry gradient.
        assertThat(mapsTasksAndFilters(CurriculumConfig.fromJson("{\"recipe\":\"dapo\",\"seed\":3,\"filter\":{\"minKeepShare\":0.1}}"), 0.1))
                .as("guard triggered at 0.1").isFalse();
        // At the default (0.5) it lets every group through while fewer than half of the last 256 carry gradient.
        assertThat(mapsTasksAndFilters(CurriculumConfig.builder().recipe("dapo").seed(3).build(), 0.5))
                .as("guard triggered at the default 0.5 (less than half of this learner's groups carry gradient)").isTrue();
        assertThat(CurriculumTeacher.index("a/b/17")).isEqualTo(17);
    }

    /** One batch of all 300 tasks through a DAPO teacher; returns whether its guard let everything through. */
    private static boolean mapsTasksAndFilters(CurriculumConfig config, double minKeepShare) {
        PromptLearner l = new PromptLearner(SPEC, 1);
        CurriculumTeacher t = new CurriculumTeacher(config, l);
        assertThat(t.curriculum().size()).isEqualTo(300);
        List<Pick> picks = t.next(300);
        Set<Integer> seen = new HashSet<>();
        for (Pick p : picks) seen.add(p.task());
        assertThat(seen).hasSize(300);
        double[][] rewards = new double[300][8];
        int[][] tokens = new int[300][8];
        for (int i = 0; i < 300; i++) l.rollout(picks.get(i).task(), 8, rewards[i], tokens[i]);
        boolean[] keep = new boolean[300];
        t.report(picks, rewards, tokens, 0, keep);
        assertThat(t.curriculum().stats().group("done").selections()).isEqualTo(100);
        boolean[] effective = new boolean[300];
        int window = 256; // the guard's default window: the last 256 verdicts of this report
        int effectiveInWindow = 0;
        for (int i = 0; i < 300; i++) {
            boolean agree = true;
            for (int k = 1; k < 8; k++) agree &= rewards[i][k] == rewards[i][0];
            effective[i] = !agree;
            if (i >= 300 - window && effective[i]) effectiveInWindow++;
        }
        boolean bypassed = effectiveInWindow < minKeepShare * window;
        for (int i = 0; i < 300; i++) assertThat(keep[i]).as("task %d", i).isEqualTo(bypassed || effective[i]);
        return bypassed;
    }
}
