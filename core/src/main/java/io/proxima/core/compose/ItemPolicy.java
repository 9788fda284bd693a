package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/** Picks tasks inside one group. */
public interface ItemPolicy extends Stateful {
    /**
     * Appends up to {@code count} tasks of {@code group} that the batch does not hold yet. The
     * group holds at least {@code count} tasks not in the batch, so a policy returns exactly
     * {@code count}.
     */
    void pick(int group, int count, BatchBuilder batch);

    default void observe(ObservedBatch batch) {}

    /**
     * Whether this policy passes over tasks of a group as the walk reaches them ({@link #keptShare}
     * is not always 1). The pipeline then thins each group's probability by its kept share.
     */
    default boolean thinsGroups() {
        return false;
    }

    /**
     * The expected share of {@code group}'s tasks this policy takes when the walk reaches them
     * (1 = takes all). Why: a policy that skips tasks over a whole dataset (GRESO) skips a solved
     * source's slots too; inside one group it could only swap one solved task for another.
     */
    default double keptShare(int group) {
        return 1.0;
    }

    /**
     * After the filter: may turn a {@code keep} to false (robust PLR trains only on replayed
     * tasks; exploratory ones are evaluated, not trained on).
     */
    default void adviseKeep(ObservedBatch batch, boolean[] keep) {}

    /**
     * The numbers this policy used to choose {@code task} of the batch it just picked (score,
     * prediction, band distance…), by name, into {@code out}. Reads state only: no randomness,
     * no lazy growth of its columns.
     */
    default void explain(int task, java.util.Map<String, Double> out) {}

    /** A few named numbers for stats. */
    default java.util.Map<String, Double> view() {
        return java.util.Map.of();
    }

    /** The signals this piece learns from; outcomes without them are rejected. */
    default Set<Signal> consumes() {
        return Set.of();
    }
}
