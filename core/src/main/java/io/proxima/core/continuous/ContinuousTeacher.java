package io.proxima.core.continuous;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Map;

/**
 * A teacher over a continuous task space ({@link ParameterSpace}): proposes parameter vectors and
 * learns from (vector, episode return) pairs. The loop of the reference implementations is
 * {@code p = propose(); r = episode(p); observe(p, r)}; a batch of n proposals is n
 * {@code propose} calls on the same state. It only changes memory: {@link ContinuousCurriculum}
 * validates input, scales returns, assigns ids and writes snapshots.
 *
 * <p>Implementations take the curriculum's {@link io.proxima.core.sample.Rng} in their constructor
 * and draw from nothing else; they hold no static mutable state.
 */
public interface ContinuousTeacher {
    /** Writes one task into {@code out[0 .. d)}; it lies inside the box. */
    void propose(double[] out);

    /**
     * Learns from one episode: {@code task} is inside the box (validated, may be a vector the
     * teacher never proposed) and {@code reward} is finite (scaled by the curriculum if so
     * configured). The teacher copies what it keeps; the array is not retained.
     */
    void observe(double[] task, double reward);

    /** A few named numbers for stats. */
    Map<String, Double> view();

    void writeState(SnapshotWriter w);

    void readState(SnapshotReader r);

    /** Marker for the teachers' configuration records (parsed by {@link ContinuousConfig}). */
    interface Params {
        /** The configuration name of the teacher ({@code "alp-gmm"}, …). */
        String type();

        ContinuousTeacher create(ParameterSpace space, io.proxima.core.sample.Rng rng);
    }
}
