package io.proxima.store;

/**
 * A test seam of {@link Curricula}: called at each stage of every mutating call, it throws to
 * inject a fault there. Production uses {@link #NONE}. The store's rule under test: a call that
 * fails at any stage answers an error and leaves memory and log as they were before it.
 */
@FunctionalInterface
public interface Faults {
    /** Where in a mutating call a fault is injected. */
    enum Stage {
        /** After the curriculum applied the call in memory (its answer rendered), before anything else. */
        APPLY,
        /** While the snapshot due with the event (or the checkpoint's) is taken. */
        SNAPSHOT,
        /** While the event is encoded for the log. */
        ENCODE,
        /** Inside the database transaction: the transaction fails (a full disk, an I/O error). */
        COMMIT
    }

    /**
     * Throws to inject a fault; returns to let the call go on.
     *
     * @param curriculum the curriculum's id (null for the store's own probe write)
     * @param operation the store method: create, delete, addTasks, next, report, nextParams,
     *     reportParams, checkpoint, restore; a part of a step: step.report, step.next,
     *     stepParams.report, stepParams.next (both parts commit in one transaction: its commit fault
     *     names the first part it writes); or probe (the write that tests whether a failed store can
     *     write again)
     */
    void check(Stage stage, String curriculum, String operation);

    /** No faults. */
    Faults NONE = (stage, curriculum, operation) -> {};
}
