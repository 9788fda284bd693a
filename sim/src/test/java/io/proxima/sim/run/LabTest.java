package io.proxima.sim.run;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.PromptLearnerSpec;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabTest {
    static final PromptLearnerSpec TINY = LearnerFiles.read(Path.of("..", "examples", "lab", "tiny.json")).prompts();

    static LabOptions small(long budget, int threads) {
        return new LabOptions(budget, 16, 8, 10, 20, 2, 1, threads, Double.NaN);
    }

    static List<TeacherSpec> all() {
        return List.of("uniform", "random", "odf", "dapo", "sec", "dump", "pcl", "oracle").stream().map(TeacherSpec::named).toList();
    }

    @Test
    void everyRecipeRuns300StepsAndTheOracleBeatsUniform() {
        Comparison c = Lab.compare(TINY, all(), small(40_000, 2), null); // 40k rollouts of 16 × 8: 312 steps
        assertThat(c.teachers()).containsExactly("uniform", "random", "odf", "dapo", "sec", "dump", "pcl", "oracle");
        for (List<RunResult> rs : c.runs()) {
            assertThat(rs).hasSize(2);
            for (RunResult r : rs) {
                assertThat(r.rollouts()).isGreaterThanOrEqualTo(40_000).isLessThan(40_000 + 16 * 8);
                assertThat(r.x()).hasSize(21);
                assertThat(r.trainedGroups()).isLessThanOrEqualTo(r.groups());
                for (double a : r.accuracy()) assertThat(a).isBetween(0.0, 1.0);
            }
        }
        double uniform = c.row(c.teacherIndex("uniform")).finalAccuracy().mean();
        double oracle = c.row(c.teacherIndex("oracle")).finalAccuracy().mean();
        assertThat(oracle).isGreaterThan(uniform);
        assertThat(c.row(c.teacherIndex("oracle")).effective().mean()).isGreaterThan(c.row(c.teacherIndex("uniform")).effective().mean());
    }

    @Test
    void filtersPayForWhatTheyDrop() {
        Comparison c = Lab.compare(TINY, List.of(TeacherSpec.named("dapo")), small(10_000, 1), null);
        RunResult dapo = c.runs().get(c.teacherIndex("dapo")).get(0);
        RunResult uniform = c.runs().get(c.teacherIndex("uniform")).get(0);
        // Same generated budget; DAPO trains on fewer groups, nearly all of them effective.
        assertThat(dapo.rollouts()).isGreaterThanOrEqualTo(10_000);
        assertThat(dapo.trainedGroups()).isLessThan(uniform.trainedGroups());
        assertThat(dapo.trainedEffectiveRatio()).isGreaterThan(uniform.trainedEffectiveRatio());
    }

    @Test
    void baselinesAreAlwaysIncluded() {
        Comparison c = Lab.compare(TINY, List.of(TeacherSpec.named("sec")), small(2_000, 1), null);
        assertThat(c.teachers()).containsExactly("uniform", "random", "sec");
    }

    @Test
    void sameSeedSameCurvesWhateverTheThreads() {
        Comparison a = Lab.compare(TINY, all(), small(4_000, 1), null);
        Comparison b = Lab.compare(TINY, all(), small(4_000, 2), null);
        for (int t = 0; t < a.teachers().size(); t++) {
            for (int s = 0; s < 2; s++) {
                RunResult x = a.runs().get(t).get(s);
                RunResult y = b.runs().get(t).get(s);
                assertThat(y.accuracy()).isEqualTo(x.accuracy());
                assertThat(y.effective()).isEqualTo(x.effective());
                assertThat(y.share()).isEqualTo(x.share());
                assertThat(y.totalTokens()).isEqualTo(x.totalTokens());
            }
        }
        // Different seeds give different curves.
        assertThat(a.runs().get(0).get(0).accuracy()).isNotEqualTo(a.runs().get(0).get(1).accuracy());
    }

    @Test
    void duplicateTeachersAndUnknownRecipesAreRejected() {
        assertThatThrownBy(() -> TeacherSpec.named("sac")).hasMessageContaining("unknown recipe");
        assertThatThrownBy(() -> Lab.compare(TINY, List.of(TeacherSpec.named("sec"), TeacherSpec.named("sec")), small(100, 1), null))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> TeacherSpec.config("x", java.util.Map.of("recipe", "sec", "seed", 3)))
                .hasMessageContaining("seed");
    }

    @Test
    void continuousRandomTeacherMastersTheBoxSlowly() {
        var spec = LearnerFiles.read(Path.of("..", "examples", "lab", "box-2d.json")).continuous();
        ContinuousRun.Curve c = ContinuousRun.run(spec, "random", new LabOptions(20_000, 32, 1, 1, 20, 1, 1, 1, Double.NaN), 1);
        assertThat(c.mastery()[0]).isZero();
        assertThat(c.mastery()[20]).isGreaterThan(0.0).isLessThanOrEqualTo(0.84 + 1e-9); // the unlearnable square is 16% of the grid
        assertThatThrownBy(() -> ContinuousRun.teacher("sec", spec, 1)).hasMessageContaining("continuous teachers");
    }
}
