package io.proxima.sim.learner;

import java.util.List;

/** The description of a {@link RolloutLearner} read from a learner file: what a comparison and its report need. */
public interface RolloutLearnerSpec {
    String name();

    String description();

    /** Source names, in source order. */
    List<String> sourceNames();

    /** Prompts in the training pool. */
    int poolSize();

    /** Held-out prompts. */
    int heldOut();

    /** Cost of one generated rollout and of one generated token (the report's cost column). */
    double costPerRollout();

    double costPerToken();

    /** A fresh learner for a run: the dataset and every random draw come from the seed. */
    RolloutLearner create(long seed);

    /** A Markdown table (with a trailing newline) that describes the sources, for the report. */
    String sourceTable();
}
