package io.proxima.sim.learner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LearnerFilesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "lab");

    @Test
    void everyShippedExampleParses() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).peek(f -> {
                LearnerFiles.Description d = LearnerFiles.read(f);
                assertThat(d.name()).isNotBlank();
            }).count()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void supervisedDescriptionsAreStrict() {
        SupervisedLearnerSpec s = LearnerFiles.parse("""
                {"type": "supervised", "labelNoise": 0.2, "sources": [{"name": "a", "size": 10}, {"name": "b", "size": 5, "labelNoise": 0}]}""")
                .supervised();
        assertThat(s.poolSize()).isEqualTo(15);
        assertThat(s.sources().get(1).labelNoise()).isZero();
        assertThat(Double.isNaN(s.sources().get(0).labelNoise())).isTrue();
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"supervised\", \"sources\": [{\"name\": \"a\", \"size\": 10, \"sise\": 1}]}"))
                .hasMessageContaining("sources[0].sise");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"supervised\", \"labelNoise\": 2, \"sources\": [{\"name\": \"a\", \"size\": 10}]}"))
                .hasMessageContaining("labelNoise");
        assertThatThrownBy(() -> LearnerFiles.parse("{\"type\": \"tabular\"}")).hasMessageContaining("supervised");
    }

    @Test
    void mirrorMixMemorisesItsRandomLabelsWithoutGeneralisingThem() {
        // Walk the pool 10 times (G = 8, 32 prompts a step), as uniform does: the random-label
        // sources rise on the pool (memorisation) and not on held-out prompts; bin learns.
        PromptLearnerSpec spec = LearnerFiles.read(EXAMPLES.resolve("mirror-mix.json")).prompts();
        PromptLearner l = new PromptLearner(spec, 2);
        int labels = spec.sources().stream().map(PromptLearnerSpec.Source::name).toList().indexOf("labels");
        int bin = spec.sources().stream().map(PromptLearnerSpec.Source::name).toList().indexOf("bin");
        double labelsHeldOut = l.testScore(labels), binHeldOut = l.testScore(bin);
        double labelsPool = poolMean(l, labels);
        double[] rewards = new double[8];
        int[] tokens = new int[8];
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < l.size(); i++) order.add(i);
        java.util.Random r = new java.util.Random(7);
        for (int epoch = 0; epoch < 10; epoch++) {
            java.util.Collections.shuffle(order, r);
            for (int k = 0; k < order.size(); k++) {
                l.rollout(order.get(k), 8, rewards, tokens, 0);
                l.train(order.get(k), rewards, 8);
                if (k % 32 == 31) l.endStep();
            }
        }
        assertThat(poolMean(l, labels)).isGreaterThan(labelsPool + 0.05);
        assertThat(l.testScore(labels)).isLessThanOrEqualTo(labelsHeldOut);
        assertThat(l.testScore(bin)).isGreaterThan(binHeldOut + 0.1);
    }

    private static double poolMean(PromptLearner l, int source) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < l.size(); i++) {
            if (l.group(i) != source) continue;
            sum += l.successProbability(i);
            n++;
        }
        return sum / n;
    }

    @Test
    void mathMixHasTenThousandPromptsAndColdStartStartsNearChance() {
        PromptLearnerSpec mix = LearnerFiles.read(EXAMPLES.resolve("math-mix.json")).prompts();
        assertThat(mix.poolSize()).isEqualTo(10_000);
        PromptLearnerSpec cold = LearnerFiles.read(EXAMPLES.resolve("cold-start.json")).prompts();
        assertThat(new PromptLearner(cold, 1).testScore()).isLessThan(0.1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"sources\": [{\"name\": \"a\", \"size\": 10, \"colour\": 1}]}|sources[0].colour: unknown key",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10}], \"learningrate\": 1}|learningrate: unknown key",
            "{\"sources\": [{\"name\": \"a\", \"size\": 0}]}|sources[0].size",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10, \"unlearnable\": 1.5}]}|sources[0].unlearnable: must be in",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10, \"difficulty\": {\"mean\": \"high\"}}]}|sources[0].difficulty.mean: must be a number",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10}, {\"name\": \"a\", \"size\": 5}]}|sources[1].name: duplicate",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10, \"transfer\": {\"b\": 0.3}}]}|sources[0].transfer.b: names no source",
            "{\"sources\": []}|sources: must hold at least one",
            "{\"heldOut\": 10}|sources: is required",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10}], \"memorisation\": {\"rate\": -1}}|memorisation.rate: must be in",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10}], \"tokens\": {\"bas\": 1}}|tokens.bas: unknown key",
            "{\"type\": \"grid\"}|type: must be one of",
            "{\"sources\": [{\"name\": \"a\", \"size\": 10}], \"sources\": []}|Duplicate field",
            "{\"type\": \"continuous\", \"parameters\": [{\"name\": \"x\", \"min\": 1, \"max\": 0}]}|parameters[0].max: must be > min",
            "{\"type\": \"continuous\", \"parameters\": [{\"name\": \"x\"}], \"unlearnable\": [{\"lower\": [0]}]}|unlearnable[0].upper: is required",
            "{\"type\": \"continuous\", \"parameters\": [{\"name\": \"x\"}], \"start\": {\"lower\": [0, 1]}}|start.lower: must be an array of 1",
    })
    void badFilesAreRejectedWithThePath(String row) {
        String[] parts = row.split("\\|");
        assertThatThrownBy(() -> LearnerFiles.parse(parts[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(parts[1]);
    }

    @Test
    void heldOutIsDrawnLikeThePool() {
        PromptLearnerSpec s = LearnerFiles.parse("""
                {"heldOut": 1000, "sources": [{"name": "a", "size": 300, "difficulty": {"mean": -3, "sd": 0.1}},
                                              {"name": "b", "size": 700, "difficulty": {"mean": 3, "sd": 0.1}}]}""").prompts();
        PromptLearner l = new PromptLearner(s, 1);
        // 30% of held-out prompts at p ≈ σ(3) ≈ 0.95, 70% at σ(−3) ≈ 0.05.
        assertThat(l.testScore()).isBetween(0.30 * 0.95 + 0.70 * 0.04, 0.30 * 0.96 + 0.70 * 0.05);
    }
}
