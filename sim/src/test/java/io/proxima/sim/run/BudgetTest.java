package io.proxima.sim.run;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.PromptLearner;
import io.proxima.sim.learner.PromptLearnerSpec;
import io.proxima.sim.learner.StrictJson;
import io.proxima.sim.teach.CurriculumTeacher;
import io.proxima.sim.teach.Pick;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Token budgets (max_tokens directives) and rollout allocators in the prompt runner. */
class BudgetTest {
    static final PromptLearnerSpec TINY = LearnerFiles.read(Path.of("..", "examples", "lab", "tiny.json")).prompts();

    static TeacherSpec config(String file) throws IOException {
        Map<String, Object> m = new StrictJson().object(Files.readString(Path.of("..", "examples", "lab", "configs", file + ".json")), file);
        return TeacherSpec.config(file, m);
    }

    @Test
    void everyShippedConfigurationIsValid() throws IOException {
        try (var files = Files.list(Path.of("..", "examples", "lab", "configs"))) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(10);
            for (Path f : all) {
                String name = f.getFileName().toString().replace(".json", "");
                assertThat(config(name).name()).isEqualTo(name);
            }
        }
    }

    @Test
    void aRolloutLongerThanItsBudgetIsCutAndFails() {
        PromptLearnerSpec spec = LearnerFiles.parse("""
                {"sources": [{"name": "a", "size": 10, "skill": 8, "difficulty": {"mean": 0, "sd": 0}}],
                 "tokens": {"base": 400, "perDifficulty": 0, "noise": 0.3}}""").prompts();
        PromptLearner free = new PromptLearner(spec, 3), cut = new PromptLearner(spec, 3);
        int g = 64;
        double[] r1 = new double[g], r2 = new double[g];
        int[] t1 = new int[g], t2 = new int[g];
        int s1 = free.rollout(0, g, r1, t1);
        int s2 = cut.rollout(0, g, r2, t2, 400);
        assertThat(s1).isEqualTo(g); // skill 8: every rollout succeeds unbudgeted
        int over = 0;
        for (int k = 0; k < g; k++) {
            if (t1[k] > 400) {
                over++;
                assertThat(r2[k]).isZero();
                assertThat(t2[k]).isEqualTo(400);
            } else {
                assertThat(r2[k]).isEqualTo(r1[k]);
                assertThat(t2[k]).isEqualTo(t1[k]);
            }
        }
        assertThat(over).isBetween(16, 48); // lognormal around 400: about half
        assertThat(s2).isEqualTo(g - over);
        assertThat(cut.truncatedRollouts()).isEqualTo(over);
        assertThat(free.truncatedRollouts()).isZero();
    }

    @Test
    void theRunnerHonoursMaxTokensAndReportsDirectivesBack() throws IOException {
        LabOptions o = new LabOptions(4_000, 16, 8, 10, 10, 1, 1, 1, Double.NaN);
        RunResult none = PromptRun.run(TINY, TeacherSpec.named("uniform"), o, 1);
        RunResult fixed = PromptRun.run(TINY, config("token-fixed"), o, 1);
        assertThat(none.truncated()).isZero();
        assertThat(fixed.truncated()).isPositive();
        assertThat(fixed.totalTokens()).isLessThan(none.totalTokens());
        assertThat(fixed.rollouts()).isEqualTo(none.rollouts());

        PromptLearner learner = new PromptLearner(TINY, 1);
        CurriculumTeacher t = (CurriculumTeacher) config("token-fixed").create(learner, 8, 1);
        List<Pick> picks = t.next(4);
        assertThat(picks).allSatisfy(p -> assertThat(p.maxTokens()).isEqualTo(1024));
        double[][] rewards = new double[4][8];
        int[][] tokens = new int[4][8];
        for (int i = 0; i < 4; i++) learner.rollout(picks.get(i).task(), 8, rewards[i], tokens[i], picks.get(i).maxTokens());
        t.report(picks, rewards, tokens, 0, new boolean[4]); // the curriculum accepts the directives reported back
        assertThat(t.curriculum().stats().toString()).isNotEmpty();
    }

    @Test
    void allocatorsSpendTheSameBudgetWithUnevenGroups() throws IOException {
        LabOptions o = new LabOptions(6_000, 16, 8, 10, 10, 1, 1, 1, Double.NaN);
        RunResult uniform = PromptRun.run(TINY, TeacherSpec.named("uniform"), o, 1);
        for (String a : List.of("gvm", "knapsack", "cures")) {
            RunResult r = PromptRun.run(TINY, config(a), o, 1);
            assertThat(r.rollouts()).as(a).isBetween(6_000L, 6_000L + 16 * 8 * 4);
            assertThat(r.finalAccuracy()).as(a).isBetween(0.0, 1.0);
            // uneven groups, same total per batch: tasks × rollouts
            PromptLearner learner = new PromptLearner(TINY, 1);
            CurriculumTeacher t = (CurriculumTeacher) config(a).create(learner, 8, 1);
            boolean uneven = false;
            for (int step = 0; step < 40; step++) {
                List<Pick> picks = t.next(16);
                double[][] rewards = new double[16][];
                int[][] tokens = new int[16][];
                int total = 0;
                for (int i = 0; i < picks.size(); i++) {
                    Pick p = picks.get(i);
                    rewards[i] = new double[Math.max(1, p.rollouts())];
                    tokens[i] = new int[Math.max(1, p.rollouts())];
                    learner.rollout(p.task(), p.rollouts(), rewards[i], tokens[i]);
                    total += p.rollouts();
                    uneven |= p.rollouts() != 8;
                }
                assertThat(total).as(a).isEqualTo(16 * 8);
                t.report(picks, rewards, tokens, step, new boolean[16]);
            }
            assertThat(uneven).as(a).isTrue();
        }
        assertThat(uniform.groups()).isEqualTo(uniform.rollouts() / 8);
    }
}
