package io.proxima.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable log and snapshots of every curriculum a {@link Curricula} store holds: what must
 * survive a crash, and nothing else. {@link Curricula} keeps the curricula in memory, decides what
 * to log and when to snapshot, and answers a call only once the log says its writes are durable;
 * an implementation only stores and reads back. Two exist: SQLite in a data directory
 * ({@link io.proxima.store.sqlite.SqliteLog}, the embedded default) and Kafka topics (module
 * {@code store-kafka}). Both pass one contract suite ({@code CurriculumLogContract} in the tests).
 *
 * <p><b>Contract.</b>
 * <ul>
 * <li>{@link #submit} takes a list of {@link Write}s that is one atomic transaction: once its future
 *     completes normally, every write in it survives a crash (kill -9) of this process; if it
 *     completes exceptionally, none of them is visible to any read, now or after a restart.
 *     Transactions become durable in submission order.</li>
 * <li>After a failed transaction the log refuses every later one ({@link StoreFailedException})
 *     until {@link #resume} commits a probe: nothing submitted after a failure lands behind a gap.</li>
 * <li>Reads see every transaction whose future has completed normally.</li>
 * <li>A curriculum's records are addressed by its number ({@code cid}, never reused) and carry its
 *     name, which a distributed log uses as the key that places them.</li>
 * </ul>
 */
public interface CurriculumLog extends AutoCloseable {
    /** A curriculum as created: number, id, kind and canonical configuration JSON. */
    record Row(long cid, String name, Kind kind, String config) {}

    /**
     * One logged event as stored.
     *
     * @param seq the curriculum's event count after the call ({@link Event})
     * @param kind the {@link EventCodec} kind byte
     * @param key the batch id or request id of a keyed call, or null
     * @param hash the fingerprint of a keyed call's content (tells a retry from a reused key)
     * @param payload the {@link EventCodec} bytes; {@code crc} their checksum
     * @param response the stored answer of a keyed call (null for an unkeyed one, and in
     *     {@link #keyedEvents} listings)
     */
    record StoredEvent(long seq, byte kind, String key, long hash, byte[] payload, long crc, byte[] response) {}

    /** A snapshot: the curriculum's state after event {@code seq}, and its key index then (or null: none stored). */
    record StoredSnapshot(long seq, byte[] state, byte[] keys) {}

    /** A checkpoint named by the trainer's step: the event it covers and its size. */
    record StoredCheckpoint(long step, long seq, int bytes) {}

    /** One write of a transaction. Each names its curriculum by number and id. */
    sealed interface Write {
        /** The curriculum's row. */
        record Create(Row row) implements Write {}

        /** Deletes the curriculum: its row at once (it is gone for every read), its other records when the log gets to them. */
        record Delete(long cid, String name) implements Write {}

        /** Appends an event; its {@code seq} is one past the curriculum's last. */
        record Append(long cid, String name, StoredEvent event) implements Write {}

        /** Stores a snapshot (replacing one at the same seq). */
        record PutSnapshot(long cid, String name, StoredSnapshot snapshot) implements Write {}

        /** Drops the curriculum's snapshots older than {@code seq} (the newest two are kept by the caller). */
        record DropSnapshotsBefore(long cid, String name, long seq) implements Write {}

        /** Drops the curriculum's events with a sequence number at or below {@code seq} (a bounded log). */
        record ForgetEventsUpTo(long cid, String name, long seq) implements Write {}

        /** Stores the checkpoint of trainer step {@code step} (replacing one of the same step). */
        record PutCheckpoint(long cid, String name, long step, long seq, byte[] state) implements Write {}

        /** Drops the curriculum's events, snapshots and checkpoints after event {@code seq} (a restore). */
        record TruncateAfter(long cid, String name, long seq) implements Write {}

        /**
         * Moves the curriculum's events after {@code seq} to quarantine (kept for inspection, never
         * replayed) and drops its snapshots and checkpoints after it (recovery of a bad tail).
         */
        record QuarantineAfter(long cid, String name, long seq, String reason) implements Write {}

        /** Runs inside the transaction, before the writes after it: throwing fails the transaction (tests inject faults here). */
        record Guard(Runnable check) implements Write {}
    }

    /** Stops a listing early: return false to stop. */
    @FunctionalInterface
    interface Sink<T> {
        boolean accept(T item);
    }

    /** Queues one atomic transaction; the future completes once it is durable, or fails with {@link StoreFailedException}. */
    CompletableFuture<Void> submit(List<Write> writes);

    /**
     * {@link #submit}, except that a log whose commits run on the submitting thread (SQLite with
     * {@link Durability#PROCESS}) may leave the transaction queued, in order, until the next
     * {@link #commitQueued} of any thread: for a caller that submits under a lock and would rather
     * not commit (and answer other callers) while holding it. The caller must call
     * {@link #commitQueued} once it released its locks, and before it waits for the future.
     */
    default CompletableFuture<Void> submitQueued(List<Write> writes) {
        return submit(writes);
    }

    /** Commits what {@link #submitQueued} left queued, on this thread, unless another thread is committing (which then does). */
    default void commitQueued() {
        // a log with a committer of its own has nothing queued for the caller
    }

    /** Every curriculum's row, by number. */
    List<Row> curricula();

    /** Whether curriculum {@code cid}'s row exists (a refused create has none). */
    boolean exists(long cid);

    /** The largest curriculum number the log has ever held (0: none): a new curriculum takes a larger one. */
    long maxCid();

    /**
     * The number a new curriculum {@code name} takes, at least {@code atLeast} (the next unused one).
     * A log shared by several writers (Kafka, one owner per partition) picks a number no other
     * writer can pick; one writer takes {@code atLeast} as it is.
     */
    default long cidFor(String name, long atLeast) {
        return atLeast;
    }

    /** The sequence numbers of the curriculum's snapshots, newest first. */
    List<Long> snapshotSeqs(long cid);

    /** The snapshot at {@code seq}, or null. */
    StoredSnapshot snapshot(long cid, long seq);

    /** The curriculum's events after {@code afterSeq}, in order, at most {@code limit}, until {@code sink} returns false. */
    void events(long cid, long afterSeq, long limit, Sink<StoredEvent> sink);

    /** The keyed events after {@code afterSeq}, in order, without payload and response (rebuilding the key index). */
    void keyedEvents(long cid, long afterSeq, Sink<StoredEvent> sink);

    /** The event at {@code seq} with its stored answer, or null (forgotten, or never logged). */
    StoredEvent event(long cid, long seq);

    /** The smallest sequence number of the curriculum's events still kept, or {@link Long#MAX_VALUE} if none is. */
    long firstSeq(long cid);

    /** The curriculum's checkpoints, by step. */
    List<StoredCheckpoint> checkpoints(long cid);

    /** The state of the checkpoint at {@code step}, or null. */
    byte[] checkpoint(long cid, long step);

    /** Why the log refuses writes (a transaction failed and none has committed since), or null. */
    StoreFailedException failure();

    /**
     * After a failure: commits a probe transaction (running {@code guard} inside it), in order after
     * everything queued before; if it commits, writes are accepted again. The caller holds every
     * curriculum's lock. Returns whether the log accepts writes (true at once if it never failed).
     */
    boolean resume(Runnable guard);

    /**
     * Whether a transaction answered as failed may still have landed (a distributed commit whose
     * answer was lost). Such a log re-reads itself in {@link #resume}, and the caller then rebuilds
     * every curriculum from it. SQLite knows its outcome: false.
     */
    default boolean failedCommitsMayHaveLanded() {
        return false;
    }

    /** Transactions committed so far (for metrics). */
    long commits();

    /** Writes committed so far, counted as submitted lists (for metrics). */
    long committedOps();

    @Override
    void close();
}
