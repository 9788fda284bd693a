package io.proxima.store;

/**
 * How a {@link Curricula} store behaves.
 *
 * @param durability when a request counts as durable (default {@link Durability#SYNC})
 * @param groupWindowMicros with {@link Durability#GROUP}, how long the committer waits for more
 *     requests to join a transaction once it has some (default 0: none; the requests that arrive
 *     during one commit's fsync form the next group, so groups grow with the load by themselves;
 *     measured on 2 cores, a 1 ms wait cost a quarter of the throughput and added 1 ms to p50)
 * @param snapshotEvery a snapshot is written (in the same transaction as the event) once this many
 *     events have passed since the last one (default 1000) and the log written since is at least
 *     half the last snapshot's size (so a large pool is not rewritten for every few small reports);
 *     recovery replays the events since
 * @param idempotencyMemory recent answers to keyed requests (batch ids, request ids) kept in memory
 *     per curriculum; a repeat of an older key reads its answer from the database. Whether a key
 *     is new is always known without a read (an in-memory index, 16–32 B per keyed event)
 * @param keepEvents how many events of a curriculum's log are kept before its second-newest
 *     snapshot (default {@link #KEEP_ALL}: the whole log). With a bound, older events are deleted
 *     when a snapshot is written: the disk holds the two newest snapshots and a bounded log, and
 *     what goes is the export's history and the answers to retries of batch ids that old (beyond
 *     the {@code idempotencyMemory} answers held in memory, such a retry is applied as new).
 *     Recovery needs only the newest readable snapshot and the events after it, which are kept.
 */
public record StoreOptions(Durability durability, long groupWindowMicros, int snapshotEvery, int idempotencyMemory, long keepEvents) {
    /** {@code keepEvents} that keeps the whole log. */
    public static final long KEEP_ALL = Long.MAX_VALUE;
    public static final StoreOptions DEFAULTS = new StoreOptions(Durability.SYNC, 0, 1000, 4096, KEEP_ALL);

    public StoreOptions {
        if (durability == null) throw new IllegalArgumentException("durability must not be null");
        if (groupWindowMicros < 0 || groupWindowMicros > 1_000_000) {
            throw new IllegalArgumentException("groupWindowMicros must be in [0, 1000000], got " + groupWindowMicros);
        }
        if (snapshotEvery < 1) throw new IllegalArgumentException("snapshotEvery must be >= 1, got " + snapshotEvery);
        if (idempotencyMemory < 1) throw new IllegalArgumentException("idempotencyMemory must be >= 1, got " + idempotencyMemory);
        if (keepEvents < 0) throw new IllegalArgumentException("keepEvents must be >= 0, got " + keepEvents);
    }

    public StoreOptions(Durability durability, long groupWindowMicros, int snapshotEvery, int idempotencyMemory) {
        this(durability, groupWindowMicros, snapshotEvery, idempotencyMemory, KEEP_ALL);
    }

    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(d, groupWindowMicros, snapshotEvery, idempotencyMemory, keepEvents);
    }

    public StoreOptions withGroupWindowMicros(long us) {
        return new StoreOptions(durability, us, snapshotEvery, idempotencyMemory, keepEvents);
    }

    public StoreOptions withSnapshotEvery(int n) {
        return new StoreOptions(durability, groupWindowMicros, n, idempotencyMemory, keepEvents);
    }

    public StoreOptions withKeepEvents(long n) {
        return new StoreOptions(durability, groupWindowMicros, snapshotEvery, idempotencyMemory, n);
    }
}
