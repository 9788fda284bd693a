package io.proxima.sim.run;

import io.proxima.sim.learner.ItemLearner;
import io.proxima.sim.learner.ItemLearnerSpec;
import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.SupervisedLearner;
import io.proxima.sim.learner.SupervisedLearnerSpec;
import io.proxima.sim.report.SupervisedReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SupervisedTest {
    static final SupervisedLearnerSpec NOISY = LearnerFiles.read(Path.of("..", "examples", "lab", "supervised-noisy.json")).supervised();

    static SupervisedLearnerSpec small(double noise) {
        return LearnerFiles.parse("""
                {"type": "supervised", "labelNoise": %s, "heldOut": 300,
                 "sources": [{"name": "a", "size": 400, "difficulty": {"mean": 0, "sd": 1}},
                             {"name": "b", "size": 200, "difficulty": {"mean": 2, "sd": 1}}]}""".formatted(noise)).supervised();
    }

    @Test
    void cleanLossFallsWithTrainingAndMislabelledLossNeverFalls() {
        SupervisedLearner l = new SupervisedLearner(small(0.3), 1);
        int clean = -1, noisy = -1;
        for (int i = 0; i < l.size() && (clean < 0 || noisy < 0); i++) {
            if (l.mislabelled(i)) noisy = i;
            else clean = i;
        }
        double clean0 = l.loss(clean), noisy0 = l.loss(noisy), acc0 = l.testScore();
        for (int e = 0; e < 30; e++) for (int i = 0; i < l.size(); i++) if (!l.mislabelled(i)) l.train(i);
        assertThat(l.loss(clean)).isLessThan(clean0);
        assertThat(l.testScore()).isGreaterThan(acc0);
        assertThat(l.loss(noisy)).isEqualTo(noisy0).isEqualTo(Math.log(10));
        double skill = l.skill();
        for (int e = 0; e < 30; e++) {
            assertThat(l.train(noisy)).isNegative(); // a wrong label costs skill
            assertThat(l.loss(noisy)).isEqualTo(noisy0); // and its loss never falls, however often it is trained on
        }
        assertThat(l.skill()).isLessThan(skill);
        long share = java.util.stream.IntStream.range(0, l.size()).filter(l::mislabelled).count();
        assertThat(share / (double) l.size()).isBetween(0.25, 0.35);
    }

    @Test
    void runsAreDeterministicAndSplKeepsMislabelledItemsOutEarly() {
        LabOptions o = new LabOptions(6_000, 32, 1, 1, 10, 1, 1, 1, Double.NaN);
        SupervisedRun.Spec uniform = SupervisedRun.Spec.named("uniform");
        SupervisedRun.Spec spl = new SupervisedRun.Spec("spl-slow", Map.of("recipe", "spl", "itemPolicy", Map.of("growEvery", 400)));
        SupervisedRun.Curve a = SupervisedRun.run(small(0.3), uniform, o, 1), b = SupervisedRun.run(small(0.3), uniform, o, 1);
        assertThat(b.accuracy()).containsExactly(a.accuracy());
        SupervisedRun.Curve s = SupervisedRun.run(small(0.3), spl, o, 1);
        assertThat(a.totalNoisyShare()).isBetween(0.25, 0.35);
        assertThat(s.totalNoisyShare()).isLessThan(a.totalNoisyShare() - 0.05);
        assertThatThrownBy(() -> new SupervisedRun.Spec("x", Map.of("recipe", "spl", "seed", 1))).hasMessageContaining("seed");
    }

    @Test
    void reportFilesExistAndParse(@TempDir Path dir) throws Exception {
        LabOptions o = new LabOptions(3_000, 32, 1, 1, 10, 2, 1, 2, Double.NaN);
        List<SupervisedRun.Curve> cs = SupervisedRun.compare(small(0.2), List.of(SupervisedRun.Spec.named("uniform"),
                SupervisedRun.Spec.named("spl"), SupervisedRun.Spec.named("pacing")), o, null);
        SupervisedReport.write(small(0.2), o, cs, dir);
        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        assertThat(curves).hasSize(1 + 3 * 2 * 11);
        for (String line : curves.subList(1, curves.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(8);
            assertThat(Double.parseDouble(f[4])).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(f[7])).isEqualTo(0.1); // the simulated learner never memorises a wrong label: chance
        }
        assertThat(Files.readAllLines(dir.resolve("summary.csv"))).hasSize(7);
        assertThat(ImageIO.read(dir.resolve("learning_curves.png").toFile())).isNotNull();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| spl |", "| pacing |", "20% mislabelled");
        assertThat(NOISY.poolSize()).isEqualTo(10_000);
    }

    static final ItemLearnerSpec NEURAL = LearnerFiles.parse("""
            {"type": "neural-supervised", "answers": 10, "operands": 30, "network": {"hidden": 32}, "labelNoise": 0.2,
             "families": [{"name": "a", "size": 300, "heldOut": 100, "rule": [1, 0], "divisor": 3},
                          {"name": "b", "size": 200, "heldOut": 100, "rule": [1, 1], "divisor": 6, "labelNoise": 0.4}]}""").items();

    static ItemLearnerSpec kind(String kind) {
        return kind.equals("simulated") ? small(0.2) : NEURAL;
    }

    /** One contract, both supervised learners: the same run and report code drives either. */
    @ParameterizedTest
    @ValueSource(strings = {"simulated", "neural"})
    void everyItemLearnerKeepsTheContract(String kind) {
        ItemLearnerSpec spec = kind(kind);
        ItemLearner l = spec.create(3);
        assertThat(l.size()).isEqualTo(spec.poolSize());
        int wrong = 0;
        for (int i = 0; i < l.size(); i++) {
            assertThat(l.group(i)).isBetween(0, spec.sourceNames().size() - 1);
            assertThat(l.loss(i)).isFinite().isNotNegative();
            assertThat(l.difficulty(i)).isFinite();
            if (l.mislabelled(i)) wrong++;
        }
        assertThat((double) wrong / l.size()).isCloseTo(spec.mislabelledShare(), within(0.05));
        assertThat(l.testScore()).isBetween(0.0, 1.0);
        for (int g = 0; g < spec.sourceNames().size(); g++) assertThat(l.testScore(g)).isBetween(0.0, 1.0);
        assertThat(l.mislabelledFit()).isBetween(0.0, 1.0);
        // Training on the clean items of the first source, step by step, lowers the clean held-out loss.
        double loss0 = l.testLoss();
        for (int e = 0; e < 20; e++) {
            for (int i = 0; i < l.size(); i++) if (l.group(i) == 0 && !l.mislabelled(i)) l.train(i);
            l.endStep();
        }
        assertThat(l.steps()).isEqualTo(20);
        assertThat(l.testLoss()).isLessThan(loss0);
        assertThat(l.testScore(0)).isGreaterThan(spec.create(3).testScore(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simulated", "neural"})
    void reportsOfBothKinds(String kind, @TempDir Path dir) throws Exception {
        ItemLearnerSpec spec = kind(kind);
        LabOptions o = new LabOptions(2_000, 32, 1, 1, 5, 2, 1, 2, Double.NaN);
        List<SupervisedRun.Curve> cs = SupervisedRun.compare(spec, List.of(SupervisedRun.Spec.named("uniform"),
                SupervisedRun.Spec.named("spl"), SupervisedRun.Spec.named("pacing")), o, null);
        assertThat(cs).hasSize(6);
        for (SupervisedRun.Curve c : cs) {
            assertThat(c.sourceAccuracy()).hasSize(2);
            assertThat(c.x()[c.x().length - 1]).isEqualTo(2_000);
        }
        SupervisedReport.write(spec, o, cs, dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| uniform |", "| spl |", "| pacing |", "Final clean held-out accuracy per source", "| teacher | a | b |",
                kind.equals("neural") ? "Neural classifier" : "Simulated learner", "wrong labels memorised");
        assertThat(md).contains(String.format(java.util.Locale.ROOT, "%.0f%% mislabelled", 100 * spec.mislabelledShare()));
        assertThat(Files.readAllLines(dir.resolve("summary.csv")).get(0)).endsWith(",mislabelled_share,mislabelled_fit");
    }
}
