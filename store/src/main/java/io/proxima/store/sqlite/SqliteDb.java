package io.proxima.store.sqlite;

import io.proxima.store.Durability;
import io.proxima.store.StoreFailedException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One SQLite database file in WAL mode with a single writer thread (the committer) and a small
 * pool of read connections.
 *
 * <p><b>Commits.</b> Writers {@link #submit} an operation and get a future that completes once the
 * transaction holding it is committed with {@code synchronous=FULL} (the WAL is fsynced). The
 * committer takes operations in submission order. Under {@link Durability#SYNC} each operation is
 * its own transaction. Under {@link Durability#GROUP} the committer drains everything queued,
 * waits up to the group window for more, and commits them in one transaction: requests of many
 * curricula share one fsync, and each is answered only after it.
 *
 * <p><b>Process durability.</b> Under {@link Durability#PROCESS} the connection commits with
 * {@code synchronous=NORMAL}: a commit is a {@code write()} of its WAL frames to the operating
 * system, with no fsync (the WAL is fsynced by each checkpoint, before it copies frames into the
 * database file). A committed transaction survives the process being killed; an OS crash or power
 * loss may take back the last ones — a suffix of them: SQLite recovers the WAL up to the last
 * intact commit frame. There is no committer thread: the thread that submits takes the commit lock
 * if it is free (leader-style group commit), commits everything queued (its own operation and any
 * that arrived meanwhile, in submission order) and completes their futures; a thread that finds
 * the lock taken leaves its operation to the leader, which looks at the queue again after it
 * releases the lock. Without an fsync a commit takes tens of microseconds, so handing it to
 * another thread and being woken by it would cost more than the commit itself.
 *
 * <p><b>Checkpoints.</b> SQLite's automatic WAL checkpoint copies the WAL into the database file
 * inside a committing transaction: every thousand pages, one group of requests waited for that
 * copy and its fsync. Here the copying is done by a background thread on its own connection, a
 * {@code PASSIVE} checkpoint every {@value #CHECKPOINT_MILLIS} ms (it never takes the write lock,
 * so the writer is never refused). A passive checkpoint racing a busy writer never finishes the
 * WAL, though, and SQLite only rewinds a fully copied WAL; so once the WAL passes
 * {@value #WAL_REWIND_BYTES} bytes the committer itself runs a passive checkpoint between two
 * commits: with the bulk already copied in the background it only copies the last few frames,
 * and the next commit starts the WAL from its beginning (no file growth, no unbounded WAL).
 *
 * <p><b>Failure.</b> If a transaction fails, every operation in it and every later one fails with
 * {@link StoreFailedException}: writers whose memory ran ahead of the log rebuild it from the
 * log, and nothing submitted after the failure can land behind a gap. The failure lasts until
 * {@link #resume}: its probe transaction commits (space is back) and writes are accepted again.
 * The caller resumes only once every writer has settled (none of its failed writes is still
 * reflected in memory).
 */
public final class SqliteDb implements AutoCloseable {
    /** Upper bound on operations per group transaction. */
    private static final int MAX_GROUP = 4096;
    /** Under {@link Durability#PROCESS}: commits a thread leads in a row before it hands the queue to {@link #handoff}. */
    static final int LEADER_ROUNDS = 8;
    /** Read connections kept open. */
    private static final int READERS = 4;
    /** Interval of background WAL checkpoints. */
    static final long CHECKPOINT_MILLIS = 100;
    /** Past this size the committer finishes a checkpoint so that the WAL rewinds. */
    static final long WAL_REWIND_BYTES = 16L << 20;

    /** A write, run on the committer thread inside a transaction. */
    @FunctionalInterface
    public interface Op {
        void run(Tx tx) throws SQLException;
    }

    /** A read on a pooled connection. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** The committer's connection with a statement cache. */
    public static final class Tx {
        private final Connection c;
        private final Map<String, PreparedStatement> cache = new HashMap<>();

        Tx(Connection c) {
            this.c = c;
        }

        public PreparedStatement ps(String sql) throws SQLException {
            PreparedStatement p = cache.get(sql);
            if (p == null) {
                p = c.prepareStatement(sql);
                cache.put(sql, p);
            }
            return p;
        }

        public Connection connection() {
            return c;
        }
    }

    /** {@code resume}: the probe of {@link #resume}, run even while the store is failed. */
    private record Write(Op op, CompletableFuture<Void> done, boolean resume) {}

    /** How a write ended: {@code error} null when committed. Futures are completed after the commit lock is released. */
    private record Outcome(Write write, Throwable error) {}

    private final String url;
    private final Durability durability;
    private final long windowNanos;
    private final Connection writer;
    private final Tx tx;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    /** The committer thread; null under {@link Durability#PROCESS}, where submitters commit ({@link #lead}). */
    private final Thread committer;
    /** Under {@link Durability#PROCESS}: held by the thread committing (only ever taken with tryLock, or by close). */
    private final java.util.concurrent.locks.ReentrantLock commitLock = new java.util.concurrent.locks.ReentrantLock();
    /** Under {@link Durability#PROCESS}: set by close under the commit lock; later leaders fail what they find. */
    private boolean closed;
    /**
     * Under {@link Durability#PROCESS}: takes over from a request thread that has led
     * {@value #LEADER_ROUNDS} commits in a row while the queue kept refilling, so that thread can
     * answer its own call; idle (and costing nothing) otherwise.
     */
    private final java.util.concurrent.ExecutorService handoff;
    private final Connection checkpointer;
    private final Thread checkpointThread;
    private final Path walFile;
    private final long walRewindBytes;
    /** The committer rewinds the WAL when the file grows past this (its size after the last rewind). */
    private long rewindAbove;
    private volatile long rewinds;
    private volatile boolean running = true;
    private volatile StoreFailedException failure;
    private volatile long commits;
    private volatile long committedOps;

    public SqliteDb(Path file, Durability durability, long groupWindowMicros, List<String> schema) {
        this(file, durability, groupWindowMicros, schema, WAL_REWIND_BYTES);
    }

    /** {@code walRewindBytes}: the WAL size past which the committer finishes a checkpoint (tests use a small one). */
    SqliteDb(Path file, Durability durability, long groupWindowMicros, List<String> schema, long walRewindBytes) {
        this.walRewindBytes = walRewindBytes;
        this.rewindAbove = walRewindBytes;
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.durability = durability;
        this.windowNanos = TimeUnit.MICROSECONDS.toNanos(groupWindowMicros);
        try {
            writer = connect(url);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // PROCESS: commit = write() into the WAL; the WAL is fsynced at checkpoints only
                s.execute(durability == Durability.PROCESS ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA wal_autocheckpoint=0");
                s.execute("PRAGMA journal_size_limit=" + (4 * walRewindBytes)); // a rewound WAL is cut back to this
                for (String ddl : schema) s.execute(ddl);
            }
            writer.setAutoCommit(false);
            writer.commit();
            for (int i = 0; i < READERS; i++) {
                Connection r = connect(url);
                try (Statement s = r.createStatement()) {
                    s.execute("PRAGMA busy_timeout=10000");
                    s.execute("PRAGMA query_only=1");
                }
                readers.add(r);
            }
            checkpointer = connect(url);
            try (Statement s = checkpointer.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
            }
        } catch (SQLException e) {
            throw new StoreFailedException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
        tx = new Tx(writer);
        if (durability == Durability.PROCESS) {
            committer = null;
            handoff = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "proxima-commit-handoff");
                t.setDaemon(true);
                return t;
            });
        } else {
            handoff = null;
            committer = new Thread(this::commitLoop, "proxima-committer");
            committer.setDaemon(true);
            committer.start();
        }
        walFile = Path.of(file.toAbsolutePath() + "-wal");
        checkpointThread = new Thread(this::checkpointLoop, "proxima-checkpointer");
        checkpointThread.setDaemon(true);
        checkpointThread.start();
    }

    private void checkpointLoop() {
        while (running) {
            try {
                Thread.sleep(CHECKPOINT_MILLIS);
            } catch (InterruptedException e) {
                continue; // close() interrupts: re-check running
            }
            checkpoint(checkpointer);
        }
    }

    private long walBytes() {
        try {
            return java.nio.file.Files.size(walFile);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** On the committer, between transactions: finishes the checkpoint so the next commit rewinds the WAL. */
    private void rewindWal() throws SQLException {
        writer.setAutoCommit(true); // a checkpoint cannot run inside the writer's transaction
        try {
            checkpoint(writer);
        } finally {
            writer.setAutoCommit(false);
        }
    }

    /** Copies committed WAL frames into the database file; a failure only delays that (the WAL keeps the data). */
    private static void checkpoint(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            java.util.logging.Logger.getLogger(SqliteDb.class.getName()).fine("WAL checkpoint skipped: " + e.getMessage());
        }
    }

    /** Opens a connection through the driver class itself (no DriverManager lookup: works shaded too). */
    private static Connection connect(String url) throws SQLException {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl(url);
        // No getGeneratedKeys (never used here): with it on, the driver follows every INSERT with a
        // regex over the SQL and a freshly prepared "SELECT last_insert_rowid()" — half the cost of
        // logging an event on the committer thread.
        ds.setGetGeneratedKeys(false);
        return ds.getConnection();
    }

    /**
     * Queues {@code op}; the future completes when it is durable (or fails with {@link StoreFailedException}).
     * Under {@link Durability#PROCESS} this thread commits it (with whatever else is queued) before
     * returning, unless another thread is committing, which then does.
     */
    public CompletableFuture<Void> submit(Op op) {
        CompletableFuture<Void> f = submitQueued(op);
        commitQueued();
        return f;
    }

    /**
     * {@link #submit} without committing on this thread: under {@link Durability#PROCESS} the
     * operation waits in the queue, in order, for the next {@link #commitQueued} (or
     * {@link #submit}) of any thread. The caller must call {@link #commitQueued} before it waits
     * for the future. With a committer thread it is {@link #submit}.
     */
    public CompletableFuture<Void> submitQueued(Op op) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        StoreFailedException failed = failure;
        if (failed != null || !running) {
            f.completeExceptionally(failed != null ? failed : new StoreFailedException("the store is closed", null));
            return f;
        }
        queue.add(new Write(op, f, false));
        return f;
    }

    /** Under {@link Durability#PROCESS}: commits what is queued on this thread unless another thread is committing; else nothing to do. */
    public void commitQueued() {
        if (committer == null) lead();
    }

    private void enqueue(Write w) {
        queue.add(w);
        commitQueued();
    }

    /**
     * Under {@link Durability#PROCESS}: commits what is queued on this thread, unless another
     * thread is committing — that one looks at the queue again once it released the lock, so
     * nothing queued is left behind. Futures are completed outside the lock: their dependents
     * (answers written to clients) may submit again, and then lead themselves.
     */
    private void lead() {
        List<Outcome> outcomes = new ArrayList<>();
        for (int round = 0; !queue.isEmpty() && commitLock.tryLock(); round++) {
            if (round == LEADER_ROUNDS) { // enough for this thread: its own call waits to be answered
                commitLock.unlock();
                try {
                    handoff.execute(this::lead);
                    return; // the hand-off thread looks at the queue (or a leader that took the lock meanwhile does)
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    round = 0; // closing: go on here
                    continue;
                }
            }
            try {
                List<Write> batch = new ArrayList<>();
                queue.drainTo(batch, MAX_GROUP);
                if (closed) {
                    for (Write w : batch) outcomes.add(new Outcome(w, new StoreFailedException("the store is closed", null)));
                } else {
                    commit(batch, outcomes);
                }
            } finally {
                commitLock.unlock();
            }
            complete(outcomes);
            outcomes.clear();
        }
    }

    private static void complete(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (o.error == null) o.write.done.complete(null);
            else o.write.done.completeExceptionally(o.error);
        }
    }

    /** Runs {@code op} now, as its own transaction, and waits for it. */
    public void write(Op op) {
        join(submit(op));
    }

    public static void join(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    public <T> T read(Read<T> fn) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFailedException("interrupted while waiting for a read connection", e);
        }
        try {
            return fn.run(c);
        } catch (SQLException e) {
            throw new StoreFailedException("database read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /** Transactions committed so far. */
    public long commits() {
        return commits;
    }

    /** The writer connection's {@code PRAGMA synchronous} (1 NORMAL, 2 FULL), read in a transaction of its own (tests). */
    int synchronous() {
        int[] out = new int[1];
        write(t -> {
            try (Statement st = t.connection().createStatement(); java.sql.ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                rs.next();
                out[0] = rs.getInt(1);
            }
        });
        return out[0];
    }

    /** Checkpoints the committer ran to rewind the WAL (tests). */
    long rewinds() {
        return rewinds;
    }

    /** Operations committed so far. */
    public long committedOps() {
        return committedOps;
    }

    public boolean failed() {
        return failure != null;
    }

    /** Why the store failed, or null. */
    public StoreFailedException failure() {
        return failure;
    }

    /**
     * After a failure: runs {@code probe} as a transaction of its own, in order after everything
     * queued before it; if it commits, the failure is cleared and writes are accepted again.
     * Returns whether the store accepts writes (true at once if it never failed).
     */
    public boolean resume(Op probe) {
        if (failure == null) return true;
        if (!running) return false;
        CompletableFuture<Void> f = new CompletableFuture<>();
        enqueue(new Write(probe, f, true));
        try {
            f.join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    private void commitLoop() {
        List<Write> batch = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Write first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) continue;
            batch.clear();
            batch.add(first);
            if (durability == Durability.GROUP) {
                queue.drainTo(batch, MAX_GROUP - batch.size());
                long deadline = System.nanoTime() + windowNanos;
                while (batch.size() < MAX_GROUP && windowNanos > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    Write w;
                    try {
                        w = queue.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        break;
                    }
                    if (w == null) break;
                    batch.add(w);
                    queue.drainTo(batch, MAX_GROUP - batch.size());
                }
            }
            commit(batch, outcomes);
            complete(outcomes);
            outcomes.clear();
        }
    }

    /** Commits a drained batch: runs of ordinary writes as one transaction each, a resume probe alone; adds how each ended to {@code outcomes}. */
    private void commit(List<Write> batch, List<Outcome> outcomes) {
        int i = 0;
        while (i < batch.size()) {
            if (batch.get(i).resume) {
                outcomes.add(probe(batch.get(i++)));
                continue;
            }
            int j = i;
            while (j < batch.size() && !batch.get(j).resume) j++;
            commitRun(batch.subList(i, j), outcomes);
            i = j;
        }
    }

    private Outcome probe(Write w) {
        if (failure == null) return new Outcome(w, null);
        try {
            w.op.run(tx);
            writer.commit();
            commits++;
            failure = null;
            return new Outcome(w, null);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // still failed: the probe's failure is what matters
            }
            return new Outcome(w, new StoreFailedException("the store still cannot write: " + e.getMessage(), e));
        }
    }

    private void commitRun(List<Write> batch, List<Outcome> outcomes) {
        StoreFailedException failed = failure;
        if (failed == null) {
            try {
                for (Write w : batch) w.op.run(tx);
                writer.commit();
                commits++;
                committedOps += batch.size();
                for (Write w : batch) outcomes.add(new Outcome(w, null));
                // The WAL file keeps its size when SQLite rewinds it (it is overwritten from the start),
                // so the trigger is the file growing past the size it had at the last rewind.
                if (walBytes() > rewindAbove) { // a stat per commit (~1–2 µs: ~0.5 ms commits with an fsync, ~20 µs without)
                    rewindWal();
                    rewinds++;
                    rewindAbove = Math.max(walRewindBytes, walBytes());
                }
                return;
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException ignored) {
                    // the failure below is what matters
                }
                failed = new StoreFailedException("a database write failed; the store refuses writes until one succeeds again: " + e.getMessage(), e);
                failure = failed;
            }
        }
        for (Write w : batch) outcomes.add(new Outcome(w, failed));
    }

    @Override
    public void close() {
        running = false;
        checkpointThread.interrupt();
        try {
            if (committer != null) committer.join(10_000);
            checkpointThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (committer == null) {
            handoff.shutdown();
            // waits for the leader in flight, then commits what was submitted before close (as the committer thread does)
            commitLock.lock();
            List<Outcome> outcomes = new ArrayList<>();
            try {
                List<Write> batch = new ArrayList<>();
                while (queue.drainTo(batch, MAX_GROUP) > 0) {
                    commit(batch, outcomes);
                    batch.clear();
                }
                closed = true;
            } finally {
                commitLock.unlock();
            }
            complete(outcomes);
        }
        for (Write w; (w = queue.poll()) != null; ) w.done.completeExceptionally(new StoreFailedException("the store is closed", null));
        try {
            for (PreparedStatement p : tx.cache.values()) p.close();
            writer.setAutoCommit(true);
            checkpoint(writer);
            checkpointer.close();
            writer.close();
            for (Connection c : readers) c.close();
        } catch (SQLException ignored) {
            // closing: nothing left to protect
        }
    }

    @Override
    public String toString() {
        return "SqliteDb[" + url + ", " + durability + "]";
    }
}
