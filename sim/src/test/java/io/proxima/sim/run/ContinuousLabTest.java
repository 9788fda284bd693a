package io.proxima.sim.run;

import io.proxima.sim.learner.ContinuousLearner;
import io.proxima.sim.learner.ContinuousLearnerSpec;
import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.report.ContinuousReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinuousLabTest {
    static ContinuousLearnerSpec box(int unlearnable) {
        return LearnerFiles.read(Path.of("..", "examples", "lab", "box-" + unlearnable + ".json")).continuous();
    }

    static LabOptions small(long budget, int seeds, int threads) {
        return new LabOptions(budget, 32, 1, 1, 10, seeds, 1, threads, Double.NaN);
    }

    @Test
    void theThreeBoxesDifferOnlyInUnlearnableVolume() {
        assertThat(new ContinuousLearner(box(0), 1).learnableTestShare()).isEqualTo(1.0);
        assertThat(new ContinuousLearner(box(50), 1).learnableTestShare()).isEqualTo(0.5);
        assertThat(new ContinuousLearner(box(80), 1).learnableTestShare()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        ContinuousLearnerSpec a = box(0), b = box(80);
        assertThat(List.of(a.cells(), a.learningRate(), a.reach(), a.mastery(), a.rewardNoise(), a.testPoints()))
                .isEqualTo(List.of(b.cells(), b.learningRate(), b.reach(), b.mastery(), b.rewardNoise(), b.testPoints()));
    }

    @Test
    void runsAreDeterministicAndIndependentOfThreads() {
        List<ContinuousRun.Spec> ts = List.of(ContinuousRun.Spec.named("alp-gmm"), ContinuousRun.Spec.named("riac"));
        List<ContinuousRun.Curve> one = ContinuousRun.compare(box(50), ts, small(1_500, 2, 1), null);
        List<ContinuousRun.Curve> two = ContinuousRun.compare(box(50), ts, small(1_500, 2, 2), null);
        assertThat(one).hasSize(4);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i).mastery()).containsExactly(one.get(i).mastery());
            assertThat(two.get(i).frontierShare()).isEqualTo(one.get(i).frontierShare());
        }
        assertThat(one.get(0).mastery()).isNotEqualTo(one.get(1).mastery()); // seeds differ
    }

    @Test
    void aGmmTeacherAvoidsTheUnlearnableHalf() {
        ContinuousRun.Curve random = ContinuousRun.run(box(50), "random", small(3_000, 1, 1), 1);
        ContinuousRun.Curve alp = ContinuousRun.run(box(50), "alp-gmm", small(3_000, 1, 1), 1);
        assertThat(random.unlearnableShare()).isBetween(0.45, 0.55);
        assertThat(alp.unlearnableShare()).isLessThan(random.unlearnableShare() - 0.1);
        double sum = alp.unlearnableShare() + alp.masteredShare() + alp.unreachedShare() + alp.frontierShare();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void customTeacherParametersAreValidatedUpFront() {
        assertThat(ContinuousRun.Spec.config("alp-fast", Map.of("type", "alp-gmm", "fitRate", 100), box(0)).name()).isEqualTo("alp-fast");
        assertThatThrownBy(() -> ContinuousRun.Spec.config("x", Map.of("type", "alp-gmm", "fitRat", 100), box(0)))
                .hasMessageContaining("fitRat");
        assertThatThrownBy(() -> ContinuousRun.Spec.named("dump")).hasMessageContaining("continuous teachers");
    }

    @Test
    void reportFilesExistAndParse(@TempDir Path dir) throws Exception {
        LabOptions o = small(800, 2, 2);
        List<ContinuousRun.Curve> cs = ContinuousRun.compare(box(80), List.of(ContinuousRun.Spec.named("random"),
                ContinuousRun.Spec.named("covar-gmm")), o, null);
        ContinuousReport.write(box(80), o, cs, dir);
        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        assertThat(curves.get(0)).isEqualTo("teacher,seed,point,episodes,mastery");
        assertThat(curves).hasSize(1 + 2 * 2 * 11);
        for (String line : curves.subList(1, curves.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(5);
            assertThat(Double.parseDouble(f[4])).isBetween(0.0, 1.0);
        }
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(summary).hasSize(5);
        int cols = summary.get(0).split(",").length;
        for (String line : summary) assertThat(line.split(",", -1)).hasSize(cols);
        assertThat(ImageIO.read(dir.resolve("learning_curves.png").toFile())).isNotNull();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| covar-gmm |", "20% of the test grid is learnable");
    }
}
