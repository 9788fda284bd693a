package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Map;

/**
 * Random: every task is a uniform draw in the box, each dimension independent
 * [CODE teachDeepRL teachers/algos/random_teacher.py]. The baseline of the ALP-GMM papers
 * (Portelas et al., CoRL 2019; Romac et al., ICML 2021). It has no state beyond the curriculum's
 * generator and ignores what it observes.
 */
public final class RandomTeacher implements ContinuousTeacher {
    /** Random takes no parameters. */
    public record Params() implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params();

        @Override
        public String type() {
            return "random";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new RandomTeacher(space, rng);
        }
    }

    private final ParameterSpace space;
    private final Rng rng;
    private long observed;

    public RandomTeacher(ParameterSpace space, Rng rng) {
        this.space = space;
        this.rng = rng;
    }

    @Override
    public void propose(double[] out) {
        space.uniform(rng, out);
    }

    @Override
    public void observe(double[] task, double reward) {
        observed++;
    }

    @Override
    public Map<String, Double> view() {
        return Map.of("episodes", (double) observed);
    }

    @Override
    public void writeState(SnapshotWriter w) {
        w.writeLong(observed);
    }

    @Override
    public void readState(SnapshotReader r) {
        observed = r.readLong();
    }
}
