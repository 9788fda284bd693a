package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Map;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * A strategy that turns the curriculum's state into the next selection and learns from reports.
 * It only changes memory; the curriculum validates input, keeps the shared estimators, and logs.
 */
public interface Teacher {
    /**
     * Chooses {@code n} distinct tasks (the pool holds at least n) into {@code batch} and writes
     * their rollouts into {@code rollouts[0 .. n)}.
     */
    void propose(int n, BatchBuilder batch, int[] rollouts);

    /**
     * Learns from a validated report (the shared estimators are already updated) and writes the
     * filter's advice into {@code keep}; returns true when a cold-start guard bypassed the filter.
     */
    boolean observe(ObservedBatch batch, boolean[] keep);

    /** Writes the directives of a task it just proposed (token budget, hint level…); {@code step} is the learner's step. */
    void directives(int task, long step, Map<String, Double> out);

    /**
     * The teacher's part of the explanation of each task of the batch it just proposed, into
     * {@code out[i]} for {@code tasks[i]} of group {@code groups[i]}, given {@code rollouts[i]} (called only
     * right after {@link #propose}, before anything else changes the state): reads state, never
     * draws randomness or changes it.
     */
    void explain(int[] tasks, int[] groups, int[] rollouts, io.proxima.core.outcome.TaskExplanation.Pieces[] out);

    /** The teacher's probability and score per group, for stats and the dashboard. */
    void groupView(double[] probability, double[] score);

    /** A few named numbers for stats. */
    Map<String, Double> view();

    /** The signals the teacher learns from (the union of its pieces'); outcomes lacking one are rejected. */
    Set<Signal> consumes();

    /** Bytes of per-task state held by the teacher's pieces. */
    long footprintBytes();

    void writeState(SnapshotWriter w);

    void readState(SnapshotReader r);
}
