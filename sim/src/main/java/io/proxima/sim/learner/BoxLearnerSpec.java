package io.proxima.sim.learner;

import java.util.List;

/** The description of a {@link BoxLearner}: its box of parameters and how to build one per seed. */
public interface BoxLearnerSpec {
    /** One task parameter with its range. */
    record Parameter(String name, double min, double max) {}

    String name();

    String description();

    /** The teacher's box, in order (a learner may ignore some of them). */
    List<Parameter> parameters();

    default int dims() {
        return parameters().size();
    }

    /** One line for reports: parameters and grid. */
    String shape();

    /** A fresh learner; {@code seed} drives its noise, if any. */
    BoxLearner learner(long seed);
}
