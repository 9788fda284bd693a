package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.sample.Rng;
import io.proxima.sim.run.ContinuousRun;
import io.proxima.sim.run.LabOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The teachDeepRL toy environment as a lab learner (spec §4): rules by hand, files, determinism. */
class CubeLearnerTest {
    static CubeLearnerSpec file(String name) {
        return LearnerFiles.read(Path.of("..", "examples", "lab", name + ".json")).cubes();
    }

    static double[] at(double x, double y) {
        return new double[] {x, y};
    }

    @Test
    void unlockingAndMasteryByHand() {
        CubeLearner env = CubeLearnerSpec.reference(0).learner(1);
        // cube (1,0) is locked: its only previous neighbour (0,0) has c = 0 < 75 → no progress, r = 0
        assertThat(env.learnable(env.cell(at(0.15, 0.05)))).isFalse();
        assertThat(env.play(at(0.15, 0.05))).isZero();
        // the origin learns from the start: 75 episodes → c = 75, reward c/100 after the increment
        for (int i = 1; i <= 75; i++) assertThat(env.play(at(0.05, 0.05))).isEqualTo(i / 100.0);
        // c = 75 unlocks neighbours (≥ 75) but is not yet mastered (> 75)
        assertThat(env.mastered(0)).isFalse();
        assertThat(env.testScore()).isZero();
        assertThat(env.play(at(0.15, 0.05))).isEqualTo(0.01);   // right neighbour of the origin
        assertThat(env.play(at(0.05, 0.15))).isEqualTo(0.01);   // upper neighbour
        assertThat(env.play(at(0.15, 0.15))).isEqualTo(0.01);   // diagonal: the origin is its lower-left neighbour
        assertThat(env.play(at(0.25, 0.05))).isZero();          // two cubes away: (1,0) is at 1 < 75
        assertThat(env.learnable(env.cell(at(0.25, 0.05)))).isFalse();
        env.play(at(0.0, 0.0));
        assertThat(env.mastered(0)).isTrue();
        assertThat(env.testScore()).isEqualTo(0.01);             // 1 cube of 100
        // 1.0 falls in the last cube (bins closed on the right), whose neighbours are locked
        assertThat(env.cell(at(1.0, 1.0))).isEqualTo(99);
        assertThat(env.play(at(1.0, 1.0))).isZero();
        // bins are half-open: 0.1 is the first point of cube 1
        assertThat(env.cell(at(0.1, 0.0))).isEqualTo(1);
        assertThat(env.cell(at(0.0999, 0.0))).isEqualTo(0);
        // competence saturates at 100
        for (int i = 0; i < 50; i++) env.play(at(0.05, 0.05));
        assertThat(env.competence(0)).isEqualTo(100);
        assertThat(env.learnable(0)).isFalse();
        assertThat(env.play(at(0.05, 0.05))).isEqualTo(1.0);
    }

    @Test
    void aChainOfMasteredCubesUnlocksTheFarCorner() {
        CubeLearner env = CubeLearnerSpec.reference(0).learner(1);
        // walk the diagonal: each cube needs 76 episodes to be mastered, the next unlocks at 75
        for (int k = 0; k < 10; k++) {
            double v = (k + 0.5) / 10;
            for (int i = 0; i < 76; i++) env.play(at(v, v));
            assertThat(env.competence(k * 10 + k)).as("cube (%d,%d)", k, k).isEqualTo(76);
        }
        assertThat(env.testScore()).isEqualTo(0.10);
        // (9,8) and (8,9) lie next to mastered diagonal cubes: unlocked; (9,0) is not
        assertThat(env.learnable(env.cell(at(0.95, 0.85)))).isTrue();
        assertThat(env.learnable(env.cell(at(0.85, 0.95)))).isTrue();
        assertThat(env.learnable(env.cell(at(0.95, 0.05)))).isFalse();
        // an upper or right neighbour does not unlock: (0,1) is above the mastered origin, (1,0) right of it —
        // (0,2)'s previous neighbours are (0,1) at 0 and never (0,3)
        assertThat(env.learnable(env.cell(at(0.05, 0.25)))).isFalse();
    }

    @Test
    void threeDimensionsUseEveryPreviousNeighbour() {
        CubeLearner env = new CubeLearnerSpec("t", "", 3, 4, 0, 100, 75).learner(0);
        for (int i = 0; i < 75; i++) env.play(new double[] {0.1, 0.1, 0.1});
        // (1,1,1)'s previous neighbours are the 7 cubes of {0,1}^3 other than itself; the origin is one
        assertThat(env.play(new double[] {0.3, 0.3, 0.3})).isEqualTo(0.01);
        assertThat(env.play(new double[] {0.3, 0.1, 0.1})).isEqualTo(0.01);
        assertThat(env.play(new double[] {0.6, 0.1, 0.1})).isZero();
        assertThat(env.cubes()).isEqualTo(64);
    }

    @Test
    void uselessDimensionsAreIgnored() {
        CubeLearnerSpec spec = file("toy-2d-useless10");
        assertThat(spec.dims()).isEqualTo(2);
        assertThat(spec.parameters()).hasSize(12);
        assertThat(spec.parameters().get(2).name()).isEqualTo("useless0");
        CubeLearner env = spec.learner(3);
        Rng g = new Rng(5);
        for (int i = 1; i <= 30; i++) {
            double[] p = new double[12];
            for (int k = 0; k < 12; k++) p[k] = g.nextDouble();
            p[0] = 0.05;
            p[1] = 0.07;
            assertThat(env.play(p)).isEqualTo(i / 100.0);
        }
        assertThatThrownBy(() -> env.play(new double[] {0.05, 0.05})).hasMessageContaining("12");
        assertThatThrownBy(() -> env.play(new double[] {0.05, 0.05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5})).hasMessageContaining("out of [0, 1]");
    }

    @Test
    void theFilesAreTheReferenceEnvironment() {
        CubeLearnerSpec plain = file("toy-2d");
        assertThat(List.of(plain.dims(), plain.cubes(), plain.uselessDims(), plain.maxCompetence(), plain.unlockAt()))
                .isEqualTo(List.of(2, 10, 0, 100, 75));
        assertThat(file("toy-2d-useless10").uselessDims()).isEqualTo(10);
        assertThat(plain.shape()).isEqualTo("2 parameters (2 used, 0 useless), 10 cubes per used parameter");
    }

    @Test
    void badFilesNameTheField() {
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"cubes\", \"cubes\": 0}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cubes");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"cubes\", \"uselessDims\": 31}")).hasMessageContaining("uselessDims");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"cubes\", \"unlockAt\": 120}")).hasMessageContaining("unlockAt");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"cubes\", \"cube\": 10}")).hasMessageContaining("cube");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"cube\"}")).hasMessageContaining("cubes");
    }

    /** The lab's continuous teacher files (examples/lab/configs/continuous): 2-D ones fit toy-2d, "-12d" ones toy-2d-useless10. */
    @Test
    void everyShippedContinuousConfigurationIsValid() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of("..", "examples", "lab", "configs", "continuous"))) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(4);
            for (Path f : all) {
                String name = f.getFileName().toString().replace(".json", "");
                java.util.Map<String, Object> m = new StrictJson().object(java.nio.file.Files.readString(f), name);
                CubeLearnerSpec learner = file(name.endsWith("-12d") ? "toy-2d-useless10" : "toy-2d");
                assertThat(ContinuousRun.Spec.config(name, m, learner).name()).as(name).isEqualTo(name);
            }
        }
    }

    static LabOptions options(long budget) {
        return new LabOptions(budget, 32, 1, 1, 10, 1, 1, 1, Double.NaN);
    }

    /** No noise in the environment: a run is a function of the teacher's seed. */
    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "riac"})
    void runsAreDeterministicPerSeed(String teacher) {
        CubeLearnerSpec spec = file("toy-2d-useless10");
        ContinuousRun.Curve a = ContinuousRun.run(spec, teacher, options(1_200), 4);
        ContinuousRun.Curve b = ContinuousRun.run(spec, teacher, options(1_200), 4);
        ContinuousRun.Curve c = ContinuousRun.run(spec, teacher, options(1_200), 5);
        assertThat(b.mastery()).containsExactly(a.mastery());
        assertThat(b.frontierShare()).isEqualTo(a.frontierShare());
        assertThat(b.masteredShare()).isEqualTo(a.masteredShare());
        assertThat(c.frontierShare()).isNotEqualTo(a.frontierShare());
        assertThat(a.unlearnableShare()).isZero();
    }

    /**
     * The reference demo's protocol, shortened (spec §4): uniform sampling needs ≈ 7,600 episodes
     * for the origin cube alone, so after 6,000 it has mastered nothing, while the
     * learning-progress teachers have climbed the frontier.
     */
    @Test
    void learningProgressTeachersClimbTheFrontierUniformDoesNot() {
        CubeLearnerSpec spec = file("toy-2d");
        double random = last(ContinuousRun.run(spec, "random", options(6_000), 1));
        double alpGmm = last(ContinuousRun.run(spec, "alp-gmm", options(6_000), 1));
        double riac = last(ContinuousRun.run(spec, "riac", options(6_000), 1));
        assertThat(random).isZero();
        assertThat(alpGmm).isGreaterThanOrEqualTo(0.03);
        assertThat(riac).isGreaterThanOrEqualTo(0.03);
    }

    static double last(ContinuousRun.Curve c) {
        return c.mastery()[c.mastery().length - 1];
    }
}
