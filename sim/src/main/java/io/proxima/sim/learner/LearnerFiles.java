package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import io.proxima.sim.neural.NeuralLearnerSpec;
import io.proxima.sim.neural.NeuralSupervisedLearnerSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a learner description (JSON). {@code "type"} chooses the learner: {@code "prompts"}
 * (default, a {@link PromptLearnerSpec}), {@code "neural"} (a {@link NeuralLearnerSpec}: a policy
 * network trained by GRPO), {@code "continuous"} (a {@link ContinuousLearnerSpec}) or
 * {@code "supervised"} (a {@link SupervisedLearnerSpec}) or {@code "neural-supervised"} (a
 * {@link NeuralSupervisedLearnerSpec}: a classifier network trained by cross-entropy on noisy labels) or
 * {@code "scaffold"} (a {@link ScaffoldLearnerSpec}: a pool that grows with generated variants).
 */
public final class LearnerFiles {
    /** A parsed description: exactly one of the seven is non-null. */
    public record Description(PromptLearnerSpec prompts, ContinuousLearnerSpec continuous, SupervisedLearnerSpec supervised,
                              NeuralLearnerSpec neural, NeuralSupervisedLearnerSpec neuralSupervised, CubeLearnerSpec cubes,
                              ScaffoldLearnerSpec scaffold) {
        public Description(PromptLearnerSpec prompts, ContinuousLearnerSpec continuous) {
            this(prompts, continuous, null, null, null, null, null);
        }

        public Description(PromptLearnerSpec prompts, ContinuousLearnerSpec continuous, SupervisedLearnerSpec supervised,
                           NeuralLearnerSpec neural, NeuralSupervisedLearnerSpec neuralSupervised, CubeLearnerSpec cubes) {
            this(prompts, continuous, supervised, neural, neuralSupervised, cubes, null);
        }

        /** The learner over a box of task parameters (continuous or cubes), or null. */
        public BoxLearnerSpec box() {
            return continuous != null ? continuous : cubes;
        }

        /** The learner trained on labelled items with a loss per item (simulated or neural), or null. */
        public ItemLearnerSpec items() {
            return supervised != null ? supervised : neuralSupervised;
        }

        /** The learner trained by GRPO on a prompt pool (simulated or neural), or null. */
        public RolloutLearnerSpec rollouts() {
            return prompts != null ? prompts : neural;
        }

        public String name() {
            if (scaffold != null) return scaffold.name();
            return prompts != null ? prompts.name() : box() != null ? box().name()
                    : supervised != null ? supervised.name() : neural != null ? neural.name() : neuralSupervised.name();
        }
    }

    private LearnerFiles() {}

    public static Description read(Path file) {
        return parse(readObject(file), file.toString());
    }

    /** The file's JSON object, not yet read as a learner (for {@link LearnerSweep} variants). */
    public static Map<String, Object> readObject(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read learner file " + file + ": " + e.getMessage());
        }
        try {
            return new StrictJson().object(text, "learner");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a learner from its JSON object; {@code source} names it in errors (a file, a variant). */
    public static Description parse(Map<String, Object> map, String source) {
        try {
            return parse(map);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    public static Description parse(String json) {
        return parse(new StrictJson().object(json, "learner"));
    }

    private static Description parse(Map<String, Object> map) {
        ConfigNode root = new ConfigNode("", map);
        Object type = map.getOrDefault("type", "prompts");
        if ("prompts".equals(type)) return new Description(PromptLearnerSpec.read(root), null);
        if ("continuous".equals(type)) return new Description(null, ContinuousLearnerSpec.read(root));
        if ("supervised".equals(type)) return new Description(null, null, SupervisedLearnerSpec.read(root), null, null, null);
        if ("neural".equals(type)) return new Description(null, null, null, NeuralLearnerSpec.read(root), null, null);
        if ("neural-supervised".equals(type)) return new Description(null, null, null, null, NeuralSupervisedLearnerSpec.read(root), null);
        if ("cubes".equals(type)) return new Description(null, null, null, null, null, CubeLearnerSpec.read(root));
        if ("scaffold".equals(type)) return new Description(null, null, null, null, null, null, ScaffoldLearnerSpec.read(root));
        throw new ConfigException("type", "must be one of " + List.of("prompts", "neural", "continuous", "cubes", "supervised", "neural-supervised",
                "scaffold")
                + ", got " + type);
    }
}
