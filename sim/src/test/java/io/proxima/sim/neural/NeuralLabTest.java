package io.proxima.sim.neural;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.Lab;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.PromptRun;
import io.proxima.sim.run.RunResult;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Short seeded runs of the neural learner through the lab, with wide, honest properties. */
class NeuralLabTest {
    static final NeuralLearnerSpec MIX = LearnerFiles.read(Path.of("..", "examples", "lab", "neural-mix.json")).neural();

    static LabOptions options(long budget, int seeds) {
        return new LabOptions(budget, 32, 8, 10, 10, seeds, 1, 2, Double.NaN);
    }

    /**
     * Walking the pool for 150k rollouts (~590 steps): the easy families leave chance by a wide
     * margin, the random-label family is memorised on the pool but stays near chance on held-out
     * prompts, and the policy's entropy falls.
     */
    @Test
    void uniformLearnsTheEasyFamiliesAndMemorisesRandomLabels() {
        RunResult r = PromptRun.run(MIX, TeacherSpec.named("uniform"), options(150_000, 1), 1);
        List<String> names = MIX.sourceNames();
        double chance = 1.0 / MIX.answers();
        assertThat(r.accuracy()[0]).isBetween(chance - 0.02, chance + 0.02);
        assertThat(r.sourceAccuracy()[names.indexOf("trivial")]).isGreaterThan(0.9);
        assertThat(r.sourceAccuracy()[names.indexOf("bin")]).isGreaterThan(3 * chance);
        assertThat(r.sourceAccuracy()[names.indexOf("labels")]).isLessThan(2 * chance);
        assertThat(r.sourceAccuracy()[names.indexOf("broken")]).isLessThan(2 * chance);
        double[] e = r.entropy();
        assertThat(e[e.length - 1]).isLessThan(e[0] - 0.3);

        NeuralPromptLearner after = MIX.create(1);
        // The same run again, to read the pool: the random-label prompts seen ~4 times each are partly memorised.
        RunResult again = PromptRun.run(MIX, TeacherSpec.named("uniform"), options(150_000, 1), 1);
        assertThat(again.accuracy()).containsExactly(r.accuracy());
        assertThat(r.poolAccuracy()[r.poolAccuracy().length - 1]).isGreaterThan(r.finalAccuracy());
        assertThat(after.testScore()).isEqualTo(r.accuracy()[0]);
    }

    /** Every standard recipe and the oracle run on the neural learner through the public API, and each seed repeats exactly. */
    @Test
    void everyRecipeRunsOnTheNeuralLearner() {
        List<TeacherSpec> teachers = List.of("uniform", "random", "odf", "dapo", "sec", "dump", "pcl", "plr", "lp", "lp-ema", "oracle")
                .stream().map(TeacherSpec::named).toList();
        Comparison c = Lab.compare(MIX, teachers, options(20_000, 1), null);
        for (List<RunResult> rs : c.runs()) {
            for (RunResult r : rs) {
                assertThat(r.rollouts()).isGreaterThanOrEqualTo(20_000);
                for (double a : r.accuracy()) assertThat(a).isBetween(0.0, 1.0);
            }
        }
        RunResult sec = PromptRun.run(MIX, TeacherSpec.named("sec"), options(20_000, 1), 1);
        assertThat(sec.accuracy()).containsExactly(c.runs().get(c.teacherIndex("sec")).get(0).accuracy());
        // The oracle never spends a rollout on random labels or the broken verifier.
        RunResult oracle = c.runs().get(c.teacherIndex("oracle")).get(0);
        assertThat(oracle.sourceRollouts()[MIX.sourceNames().indexOf("labels")]).isZero();
        assertThat(oracle.sourceRollouts()[MIX.sourceNames().indexOf("broken")]).isZero();
    }
}
