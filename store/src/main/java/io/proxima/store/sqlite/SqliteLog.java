package io.proxima.store.sqlite;

import io.proxima.store.CurriculumLog;
import io.proxima.store.Durability;
import io.proxima.store.Kind;
import io.proxima.store.StoreFailedException;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CurriculumLog} in one SQLite database ({@link SqliteDb}: WAL, one committer, group
 * commit). Tables: {@code curricula} (rows), {@code events} (keyed by cid and seq), {@code snapshots}
 * (state and key index), {@code checkpoints}, {@code quarantine}, {@code meta}. A transaction is one
 * SQLite transaction, so its writes are durable together or not at all.
 *
 * <p>A deleted curriculum's row goes in its transaction; its other rows are purged afterwards in
 * the background, a bounded chunk per transaction (a long log does not stall other curricula's
 * commits). A purge cut short by a stop is finished at the next open (orphans: rows of a number
 * without a row in {@code curricula}).
 */
public final class SqliteLog implements CurriculumLog {
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', '1')",
            "CREATE TABLE IF NOT EXISTS curricula(cid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL,"
                    + " kind TEXT NOT NULL DEFAULT 'discrete')",
            "CREATE TABLE IF NOT EXISTS events(cid INTEGER NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL, key TEXT,"
                    + " hash INTEGER, payload BLOB NOT NULL, crc INTEGER NOT NULL, response BLOB, PRIMARY KEY(cid, seq))",
            // Keys are found through each curriculum's in-memory KeyIndex (by seq); the SQL index of
            // earlier versions made every commit rewrite pages all over it.
            "DROP INDEX IF EXISTS events_key",
            "CREATE TABLE IF NOT EXISTS snapshots(cid INTEGER NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL, keys BLOB, PRIMARY KEY(cid, seq))",
            "CREATE TABLE IF NOT EXISTS checkpoints(cid INTEGER NOT NULL, step INTEGER NOT NULL, seq INTEGER NOT NULL,"
                    + " state BLOB NOT NULL, PRIMARY KEY(cid, step))",
            "CREATE TABLE IF NOT EXISTS quarantine(cid INTEGER NOT NULL, seq INTEGER NOT NULL, kind INTEGER, key TEXT,"
                    + " payload BLOB, reason TEXT NOT NULL)");

    private static final String INSERT_EVENT = "INSERT INTO events(cid, seq, kind, key, hash, payload, crc, response) VALUES (?,?,?,?,?,?,?,?)";
    private static final String INSERT_SNAPSHOT = "INSERT OR REPLACE INTO snapshots(cid, seq, state, keys) VALUES (?,?,?,?)";
    private static final List<String> AFTER_TABLES = List.of("events", "snapshots", "checkpoints");

    /** Tables holding rows of a curriculum besides its own row, with the rows purged per transaction (snapshots are large). */
    private static final Map<String, Integer> CID_TABLES = Map.of("events", 1, "quarantine", 1, "snapshots", 0, "checkpoints", 0);

    private final SqliteDb db;
    /** Purges deleted curricula's rows, one at a time, off the request path. */
    private final ExecutorService purger = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "proxima-purger");
        t.setDaemon(true);
        return t;
    });
    /** Rows deleted per transaction when a deleted curriculum's log is purged (tests make it small). */
    volatile int purgeChunk = 10_000;
    private long maxCid;

    private SqliteLog(SqliteDb db) {
        this.db = db;
    }

    /** Opens (or creates) the database {@code file}, brings it up to date and starts purging what deleted curricula left. */
    public static SqliteLog open(Path file, Durability durability, long groupWindowMicros) {
        SqliteDb db = new SqliteDb(file, durability, groupWindowMicros, SCHEMA);
        SqliteLog log = new SqliteLog(db);
        try {
            log.migrate();
            log.maxCid = log.purgeOrphans();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /**
     * Brings a database of an earlier version up to date: without a {@code kind} column (before
     * continuous curricula) every curriculum is discrete, the column's default; without
     * {@code snapshots.keys} (before the stored key index) restarts read keys from the log.
     */
    private void migrate() {
        if (!hasColumn("curricula", "kind")) db.write(tx -> tx.ps("ALTER TABLE curricula ADD COLUMN kind TEXT NOT NULL DEFAULT 'discrete'").executeUpdate());
        if (!hasColumn("snapshots", "keys")) db.write(tx -> tx.ps("ALTER TABLE snapshots ADD COLUMN keys BLOB").executeUpdate());
    }

    private boolean hasColumn(String table, String column) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
                p.setString(1, table);
                p.setString(2, column);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<Void> submit(List<Write> writes) {
        return submit(writes, false);
    }

    @Override
    public CompletableFuture<Void> submitQueued(List<Write> writes) {
        return submit(writes, true);
    }

    @Override
    public void commitQueued() {
        db.commitQueued();
    }

    private CompletableFuture<Void> submit(List<Write> writes, boolean queued) {
        List<Write> ws = List.copyOf(writes);
        SqliteDb.Op op = tx -> {
            for (Write w : ws) write(tx, w);
        };
        CompletableFuture<Void> done = queued ? db.submitQueued(op) : db.submit(op);
        for (Write w : ws) {
            if (w instanceof Write.Delete d) done.thenRun(() -> schedulePurge(d.cid()));
        }
        return done;
    }

    private static void write(SqliteDb.Tx tx, Write w) throws SQLException {
        PreparedStatement p;
        if (w instanceof Write.Guard g) {
            g.check().run();
        } else if (w instanceof Write.Create c) {
            p = tx.ps("INSERT INTO curricula(cid, name, config, kind) VALUES (?,?,?,?)");
            p.setLong(1, c.row().cid());
            p.setString(2, c.row().name());
            p.setString(3, c.row().config());
            p.setString(4, c.row().kind().key());
            p.executeUpdate();
        } else if (w instanceof Write.Delete d) {
            p = tx.ps("DELETE FROM curricula WHERE cid = ?");
            p.setLong(1, d.cid());
            p.executeUpdate();
        } else if (w instanceof Write.Append a) {
            StoredEvent e = a.event();
            p = tx.ps(INSERT_EVENT);
            p.setLong(1, a.cid());
            p.setLong(2, e.seq());
            p.setInt(3, e.kind());
            p.setString(4, e.key());
            p.setLong(5, e.hash());
            p.setBytes(6, e.payload());
            p.setLong(7, e.crc());
            p.setBytes(8, e.response());
            p.executeUpdate();
        } else if (w instanceof Write.PutSnapshot s) {
            p = tx.ps(INSERT_SNAPSHOT);
            p.setLong(1, s.cid());
            p.setLong(2, s.snapshot().seq());
            p.setBytes(3, s.snapshot().state());
            p.setBytes(4, s.snapshot().keys());
            p.executeUpdate();
        } else if (w instanceof Write.DropSnapshotsBefore s) {
            deleteWhere(tx, "snapshots", "seq <", s.cid(), s.seq());
        } else if (w instanceof Write.ForgetEventsUpTo f) {
            deleteWhere(tx, "events", "seq <=", f.cid(), f.seq());
        } else if (w instanceof Write.PutCheckpoint c) {
            p = tx.ps("INSERT OR REPLACE INTO checkpoints(cid, step, seq, state) VALUES (?,?,?,?)");
            p.setLong(1, c.cid());
            p.setLong(2, c.step());
            p.setLong(3, c.seq());
            p.setBytes(4, c.state());
            p.executeUpdate();
        } else if (w instanceof Write.TruncateAfter t) {
            for (String table : AFTER_TABLES) deleteWhere(tx, table, "seq >", t.cid(), t.seq());
        } else if (w instanceof Write.QuarantineAfter q) {
            p = tx.ps("INSERT INTO quarantine(cid, seq, kind, key, payload, reason) SELECT cid, seq, kind, key, payload, ? FROM events WHERE cid = ? AND seq > ?");
            p.setString(1, q.reason());
            p.setLong(2, q.cid());
            p.setLong(3, q.seq());
            p.executeUpdate();
            for (String table : AFTER_TABLES) deleteWhere(tx, table, "seq >", q.cid(), q.seq());
        } else {
            throw new IllegalArgumentException("unknown write " + w);
        }
    }

    private static void deleteWhere(SqliteDb.Tx tx, String table, String seqTest, long cid, long seq) throws SQLException {
        PreparedStatement p = tx.ps("DELETE FROM " + table + " WHERE cid = ? AND " + seqTest + " ?");
        p.setLong(1, cid);
        p.setLong(2, seq);
        p.executeUpdate();
    }

    // ---------------------------------------------------------------- purging deleted curricula

    private void schedulePurge(long cid) {
        try {
            purger.execute(() -> purge(cid));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closing: the next open finishes the purge
        }
    }

    /** Deletes every row of {@code cid}, a chunk per transaction. */
    private void purge(long cid) {
        for (Map.Entry<String, Integer> t : CID_TABLES.entrySet()) {
            int chunk = t.getValue() == 1 ? purgeChunk : 4;
            int[] deleted = new int[1];
            do {
                if (Thread.currentThread().isInterrupted()) return; // closing: the next start finishes the purge
                try {
                    db.write(tx -> {
                        PreparedStatement p = tx.ps("DELETE FROM " + t.getKey() + " WHERE rowid IN (SELECT rowid FROM " + t.getKey() + " WHERE cid = ? LIMIT ?)");
                        p.setLong(1, cid);
                        p.setInt(2, chunk);
                        deleted[0] = p.executeUpdate();
                    });
                } catch (StoreFailedException e) {
                    return; // the store is closed or failed: the next start finishes the purge
                }
            } while (deleted[0] == chunk);
        }
    }

    /**
     * Purges, in the background, the rows of curricula deleted before a purge finished (a stop, a
     * refused write); returns the largest curriculum number found, never to be reused. Called where
     * no curriculum is being created (at open; in {@link #resume}, under the caller's locks).
     */
    private long purgeOrphans() {
        Set<Long> live = new HashSet<>();
        long max = 0;
        for (Row r : curricula()) {
            live.add(r.cid());
            max = Math.max(max, r.cid());
        }
        for (long cid : cidsIn(0, Long.MAX_VALUE - 1)) {
            max = Math.max(max, cid);
            if (!live.contains(cid)) schedulePurge(cid);
        }
        return max;
    }

    /** Whether any row of curriculum number {@code cid} is left besides its own (tests). */
    public boolean hasRows(long cid) {
        return !cidsIn(cid, cid).isEmpty();
    }

    /** Sets the rows deleted per purge transaction (tests make it small to see a purge in chunks). */
    public void purgeChunk(int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        purgeChunk = rows;
    }

    /** Curriculum numbers in [from, to] that have rows in the log tables (an index jump per number found). */
    private SortedSet<Long> cidsIn(long from, long to) {
        SortedSet<Long> out = new TreeSet<>();
        db.read(c -> {
            for (String t : CID_TABLES.keySet()) {
                try (PreparedStatement p = c.prepareStatement("SELECT min(cid) FROM " + t + " WHERE cid >= ? AND cid <= ?")) {
                    long at = from;
                    while (at <= to) {
                        p.setLong(1, at);
                        p.setLong(2, to);
                        try (ResultSet rs = p.executeQuery()) {
                            if (!rs.next() || rs.getObject(1) == null) break;
                            long cid = rs.getLong(1);
                            out.add(cid);
                            at = cid + 1;
                        }
                    }
                }
            }
            return null;
        });
        return out;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<Row> curricula() {
        return db.read(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT cid, name, kind, config FROM curricula ORDER BY cid");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Row(rs.getLong(1), rs.getString(2), Kind.parse(rs.getString(3)), rs.getString(4)));
            }
            return out;
        });
    }

    @Override
    public boolean exists(long cid) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM curricula WHERE cid = ?")) {
                p.setLong(1, cid);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public long maxCid() {
        return maxCid;
    }

    @Override
    public List<Long> snapshotSeqs(long cid) {
        return db.read(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq FROM snapshots WHERE cid = ? ORDER BY seq DESC")) {
                p.setLong(1, cid);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    @Override
    public StoredSnapshot snapshot(long cid, long seq) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT state, keys FROM snapshots WHERE cid = ? AND seq = ?")) {
                p.setLong(1, cid);
                p.setLong(2, seq);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new StoredSnapshot(seq, rs.getBytes(1), rs.getBytes(2)) : null;
                }
            }
        });
    }

    @Override
    public void events(long cid, long afterSeq, long limit, Sink<StoredEvent> sink) {
        db.read(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // one read transaction: a consistent listing
            try (PreparedStatement p = c.prepareStatement("SELECT seq, kind, key, hash, payload, crc, response FROM events WHERE cid = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                p.setLong(1, cid);
                p.setLong(2, afterSeq);
                p.setLong(3, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        StoredEvent e = new StoredEvent(rs.getLong(1), (byte) rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getBytes(5), rs.getLong(6), rs.getBytes(7));
                        if (!sink.accept(e)) break;
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
            return null;
        });
    }

    @Override
    public void keyedEvents(long cid, long afterSeq, Sink<StoredEvent> sink) {
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq, kind, key FROM events WHERE cid = ? AND seq > ? AND key IS NOT NULL")) {
                p.setLong(1, cid);
                p.setLong(2, afterSeq);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        if (!sink.accept(new StoredEvent(rs.getLong(1), (byte) rs.getInt(2), rs.getString(3), 0, null, 0, null))) break;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public StoredEvent event(long cid, long seq) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT kind, key, hash, payload, crc, response FROM events WHERE cid = ? AND seq = ?")) {
                p.setLong(1, cid);
                p.setLong(2, seq);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new StoredEvent(seq, (byte) rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getBytes(4), rs.getLong(5), rs.getBytes(6)) : null;
                }
            }
        });
    }

    @Override
    public long firstSeq(long cid) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT min(seq) FROM events WHERE cid = ?")) {
                p.setLong(1, cid);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : Long.MAX_VALUE;
                }
            }
        });
    }

    @Override
    public List<StoredCheckpoint> checkpoints(long cid) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT step, seq, length(state) FROM checkpoints WHERE cid = ? ORDER BY step")) {
                p.setLong(1, cid);
                List<StoredCheckpoint> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
                }
                return out;
            }
        });
    }

    @Override
    public byte[] checkpoint(long cid, long step) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT state FROM checkpoints WHERE cid = ? AND step = ?")) {
                p.setLong(1, cid);
                p.setLong(2, step);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    // ---------------------------------------------------------------- failure

    @Override
    public StoreFailedException failure() {
        return db.failure();
    }

    @Override
    public boolean resume(Runnable guard) {
        if (db.failure() == null) return true;
        if (!db.resume(tx -> {
            guard.run();
            PreparedStatement p = tx.ps("INSERT OR REPLACE INTO meta(key, value) VALUES ('resumed', ?)");
            p.setString(1, Long.toString(db.commits()));
            p.executeUpdate();
        })) {
            return false;
        }
        purgeOrphans(); // the caller holds every lock: no curriculum is born between the two reads
        return true;
    }

    @Override
    public long commits() {
        return db.commits();
    }

    @Override
    public long committedOps() {
        return db.committedOps();
    }

    @Override
    public void close() {
        purger.shutdownNow(); // an unfinished purge is finished at the next open
        try {
            purger.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }

    @Override
    public String toString() {
        return "SqliteLog[" + db + "]";
    }
}
