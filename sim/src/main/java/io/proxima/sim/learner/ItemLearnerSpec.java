package io.proxima.sim.learner;

import java.util.List;

/** The description of an {@link ItemLearner} read from a learner file: what a comparison and its report need. */
public interface ItemLearnerSpec {
    String name();

    String description();

    /** Source names, in source order. */
    List<String> sourceNames();

    /** Items in the training pool. */
    int poolSize();

    /** Clean held-out items. */
    int heldOut();

    /** Share of the pool's items whose training label is wrong (expected, over seeds). */
    double mislabelledShare();

    /** A fresh learner for a run: the dataset and every random draw come from the seed. */
    ItemLearner create(long seed);

    /** Markdown (with a trailing newline) that describes the learner and its sources, for the report. */
    String sourceTable();
}
