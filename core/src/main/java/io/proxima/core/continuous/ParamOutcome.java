package io.proxima.core.continuous;

import java.util.Arrays;

/**
 * What the learner reports for one task of a continuous curriculum: the episode return of each
 * episode it ran on it, in order (one teacher update per return).
 *
 * <p>The task is named by the id of a proposal ({@code taskId ≥ 0}, {@code params} null: the
 * proposed vector is used), or by its vector ({@code params}, {@code taskId} = {@link #NO_ID}: a
 * task the curriculum did not propose, e.g. a hand-picked evaluation task). When both are given,
 * the id must be a known proposal and {@code params} are what was actually run (they win; a
 * client may have rounded them to float32).
 */
public record ParamOutcome(long taskId, double[] params, double[] returns) {
    /** "No id": the outcome names its task by its vector. */
    public static final long NO_ID = -1;

    /** Returns of a proposed task, by id. */
    public static ParamOutcome of(long taskId, double... returns) {
        return new ParamOutcome(taskId, null, returns);
    }

    /** Returns of any task of the box, by vector. */
    public static ParamOutcome at(double[] params, double... returns) {
        return new ParamOutcome(NO_ID, params, returns);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamOutcome p && p.taskId == taskId && Arrays.equals(p.params, params) && Arrays.equals(p.returns, returns);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(taskId) * 31 + Arrays.hashCode(params)) * 31 + Arrays.hashCode(returns);
    }

    @Override
    public String toString() {
        return "ParamOutcome[" + taskId + ", " + Arrays.toString(params) + ", " + Arrays.toString(returns) + "]";
    }
}
