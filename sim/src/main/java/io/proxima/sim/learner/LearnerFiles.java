package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a learner description (JSON). {@code "type"} chooses the learner: {@code "prompts"}
 * (default, a {@link PromptLearnerSpec}), {@code "continuous"} (a {@link ContinuousLearnerSpec}) or
 * {@code "supervised"} (a {@link SupervisedLearnerSpec}).
 */
public final class LearnerFiles {
    /** A parsed description: exactly one of the three is non-null. */
    public record Description(PromptLearnerSpec prompts, ContinuousLearnerSpec continuous, SupervisedLearnerSpec supervised) {
        public Description(PromptLearnerSpec prompts, ContinuousLearnerSpec continuous) {
            this(prompts, continuous, null);
        }

        public String name() {
            return prompts != null ? prompts.name() : continuous != null ? continuous.name() : supervised.name();
        }
    }

    private LearnerFiles() {}

    public static Description read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read learner file " + file + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Description parse(String json) {
        Map<String, Object> map = new StrictJson().object(json, "learner");
        ConfigNode root = new ConfigNode("", map);
        Object type = map.getOrDefault("type", "prompts");
        if ("prompts".equals(type)) return new Description(PromptLearnerSpec.read(root), null);
        if ("continuous".equals(type)) return new Description(null, ContinuousLearnerSpec.read(root));
        if ("supervised".equals(type)) return new Description(null, null, SupervisedLearnerSpec.read(root));
        throw new ConfigException("type", "must be one of " + List.of("prompts", "continuous", "supervised") + ", got " + type);
    }
}
