package io.proxima.store.kafka;

import io.proxima.store.CurriculumLog.Row;
import io.proxima.store.CurriculumLog.StoredCheckpoint;
import io.proxima.store.CurriculumLog.StoredEvent;
import io.proxima.store.CurriculumLog.StoredSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the topics hold, folded into memory: the read side of {@link KafkaLog}. Filled by reading
 * both topics from the beginning at open, then by the records of each committed transaction, in
 * the same {@link #apply} either way, so memory is what a fresh read of the topics would give.
 *
 * <p>It holds every kept event of every curriculum (a bounded log, {@code keepEvents}, bounds it),
 * except, after a bounded start ({@link KafkaLog}), the events a curriculum's kept snapshots cover:
 * those of seq at most {@link #partial} may be missing until {@link #fillOlder} brings them (from a
 * read of the partition for that curriculum alone) — what recovery needs is always there.
 * Thread safety: every method is synchronized; listings are copied out, so a caller's sink runs
 * without the lock.
 */
final class Mirror {
    private record Checkpoint(long seq, byte[] state) {}

    private final Map<Long, Row> rows = new HashMap<>();
    private final Map<Long, NavigableMap<Long, StoredEvent>> events = new HashMap<>();
    private final Map<Long, NavigableMap<Long, StoredSnapshot>> snapshots = new HashMap<>();
    private final Map<Long, NavigableMap<Long, Checkpoint>> checkpoints = new HashMap<>();
    /** cid → (seq → offset): {@link LogRecord.ReadFrom} records of the state topic. */
    private final Map<Long, NavigableMap<Long, Long>> readFrom = new HashMap<>();
    /** cid → the seq up to which its events were forgotten (keepEvents), from either topic. */
    private final Map<Long, Long> forgotten = new HashMap<>();
    /** cid → seq: its events at or below it may be missing from memory (a bounded start); absent: none is. */
    private final Map<Long, Long> partial = new HashMap<>();
    private long maxCid;
    private long quarantined;

    /** Applies one record of the state topic ({@code value} null: the slot {@code key} was deleted). */
    synchronized void applyState(String key, byte[] value) {
        if (value == null) {
            String[] p = key.split("/");
            switch (p[0]) {
                case "row" -> rows.values().removeIf(r -> r.name().equals(p[1]));
                case "snap" -> remove(snapshots, Long.parseLong(p[1]), Long.parseLong(p[2]));
                case "cp" -> remove(checkpoints, Long.parseLong(p[1]), Long.parseLong(p[2]));
                case "from" -> remove(readFrom, Long.parseLong(p[1]), Long.parseLong(p[2]));
                case "forget" -> { } // the events stay forgotten; the curriculum is being deleted
                default -> throw new IllegalArgumentException("unknown state key " + key);
            }
            return;
        }
        LogRecord r = LogRecord.decode(value);
        if (r instanceof LogRecord.RowRecord row) {
            rows.values().removeIf(old -> old.name().equals(row.row().name()));
            rows.put(row.row().cid(), row.row());
            maxCid = Math.max(maxCid, row.row().cid());
        } else if (r instanceof LogRecord.SnapshotRecord s) {
            snapshots.computeIfAbsent(s.cid(), k -> new TreeMap<>()).put(s.snapshot().seq(), s.snapshot());
        } else if (r instanceof LogRecord.CheckpointRecord c) {
            checkpoints.computeIfAbsent(c.cid(), k -> new TreeMap<>()).put(c.step(), new Checkpoint(c.seq(), c.state()));
        } else if (r instanceof LogRecord.ReadFrom f) {
            readFrom.computeIfAbsent(f.cid(), k -> new TreeMap<>()).put(f.seq(), f.offset());
        } else if (r instanceof LogRecord.Forget f) {
            forgotten.merge(f.cid(), f.upTo(), Math::max);
        } else if (r instanceof LogRecord.MaxCid m) {
            maxCid = Math.max(maxCid, m.cid());
        } else {
            throw new IllegalArgumentException("record " + r.getClass().getSimpleName() + " does not belong in the state topic");
        }
    }

    /** Applies one record of the events topic. */
    synchronized void applyEvent(byte[] value) {
        LogRecord r = LogRecord.decode(value);
        if (r instanceof LogRecord.Append a) {
            NavigableMap<Long, StoredEvent> log = events.computeIfAbsent(a.cid(), k -> new TreeMap<>());
            log.tailMap(a.event().seq(), true).clear(); // an append continues the log from its seq: nothing after it survives
            log.put(a.event().seq(), a.event());
            maxCid = Math.max(maxCid, a.cid());
        } else if (r instanceof LogRecord.Forget f) {
            NavigableMap<Long, StoredEvent> log = events.get(f.cid());
            if (log != null) log.headMap(f.upTo(), true).clear();
            forgotten.merge(f.cid(), f.upTo(), Math::max);
        } else if (r instanceof LogRecord.Truncate t) {
            NavigableMap<Long, StoredEvent> log = events.get(t.cid());
            if (log != null) log.tailMap(t.after(), false).clear();
            partial.computeIfPresent(t.cid(), (k, v) -> Math.min(v, t.after())); // what was missing after it is gone for good
        } else if (r instanceof LogRecord.Quarantine q) {
            partial.computeIfPresent(q.cid(), (k, v) -> Math.min(v, q.after()));
            NavigableMap<Long, StoredEvent> log = events.get(q.cid());
            if (log != null) {
                NavigableMap<Long, StoredEvent> tail = log.tailMap(q.after(), false);
                quarantined += tail.size(); // kept in the topic; the record says why
                tail.clear();
            }
        } else if (r instanceof LogRecord.Deleted d) {
            events.remove(d.cid());
            partial.remove(d.cid());
            maxCid = Math.max(maxCid, d.cid());
        } else if (!(r instanceof LogRecord.Probe)) {
            throw new IllegalArgumentException("record " + r.getClass().getSimpleName() + " does not belong in the events topic");
        }
    }

    private static <V> void remove(Map<Long, NavigableMap<Long, V>> m, long cid, long k) {
        NavigableMap<Long, V> inner = m.get(cid);
        if (inner == null) return;
        inner.remove(k);
        if (inner.isEmpty()) m.remove(cid);
    }

    synchronized List<Row> rows() {
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(java.util.Comparator.comparingLong(Row::cid));
        return out;
    }

    synchronized boolean exists(long cid) {
        return rows.containsKey(cid);
    }

    synchronized long maxCid() {
        return maxCid;
    }

    synchronized long quarantined() {
        return quarantined;
    }

    synchronized List<Long> snapshotSeqs(long cid) {
        NavigableMap<Long, StoredSnapshot> m = snapshots.get(cid);
        return m == null ? List.of() : new ArrayList<>(m.descendingKeySet());
    }

    /** Snapshot seqs below {@code seq} (to delete). */
    synchronized List<Long> snapshotsBefore(long cid, long seq) {
        NavigableMap<Long, StoredSnapshot> m = snapshots.get(cid);
        return m == null ? List.of() : new ArrayList<>(m.headMap(seq, false).keySet());
    }

    /** Snapshot seqs after {@code seq} (to delete). */
    synchronized List<Long> snapshotsAfter(long cid, long seq) {
        NavigableMap<Long, StoredSnapshot> m = snapshots.get(cid);
        return m == null ? List.of() : new ArrayList<>(m.tailMap(seq, false).keySet());
    }

    /** Steps of checkpoints covering an event after {@code seq} (to delete). */
    synchronized List<Long> checkpointsAfter(long cid, long seq) {
        NavigableMap<Long, Checkpoint> m = checkpoints.get(cid);
        List<Long> out = new ArrayList<>();
        if (m != null) for (Map.Entry<Long, Checkpoint> e : m.entrySet()) if (e.getValue().seq() > seq) out.add(e.getKey());
        return out;
    }

    synchronized List<Long> checkpointSteps(long cid) {
        NavigableMap<Long, Checkpoint> m = checkpoints.get(cid);
        return m == null ? List.of() : new ArrayList<>(m.keySet());
    }

    synchronized StoredSnapshot snapshot(long cid, long seq) {
        NavigableMap<Long, StoredSnapshot> m = snapshots.get(cid);
        return m == null ? null : m.get(seq);
    }

    synchronized List<StoredEvent> events(long cid, long afterSeq, long limit) {
        NavigableMap<Long, StoredEvent> m = events.get(cid);
        if (m == null) return List.of();
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : m.tailMap(afterSeq, false).values()) {
            if (out.size() >= limit) break;
            out.add(e);
        }
        return out;
    }

    synchronized StoredEvent event(long cid, long seq) {
        NavigableMap<Long, StoredEvent> m = events.get(cid);
        return m == null ? null : m.get(seq);
    }

    /**
     * The smallest kept seq. For a curriculum whose older events are not in memory: the one after
     * the last forgotten (its kept snapshots prove events up to them were written), so the answer
     * is the same as after a full read without reading them.
     */
    synchronized long firstSeq(long cid) {
        NavigableMap<Long, StoredEvent> m = events.get(cid);
        long loaded = m == null || m.isEmpty() ? Long.MAX_VALUE : m.firstKey();
        Long upTo = partial.get(cid);
        if (upTo == null) return loaded;
        long first = forgotten.getOrDefault(cid, 0L) + 1;
        return first <= upTo ? Math.min(first, loaded) : loaded;
    }

    // ---------------------------------------------------------------- bounded start

    /**
     * Where the events of a curriculum must be read from for recovery: the offset recorded with
     * its oldest kept snapshot (a recovery falls back to it if the newest is unreadable), or with
     * its row if it has none; and the seq after which its events are then all read. Null: read
     * from offset 0 (a curriculum written by an earlier version, whose records carry no offset).
     */
    synchronized long[] readFrom(long cid) {
        NavigableMap<Long, Long> from = readFrom.get(cid);
        if (from == null || !from.containsKey(0L)) return null;
        NavigableMap<Long, StoredSnapshot> snaps = snapshots.get(cid);
        if (snaps == null || snaps.isEmpty()) return new long[] {from.get(0L), 0};
        long oldest = snaps.firstKey();
        Long offset = from.get(oldest);
        return offset == null ? null : new long[] {offset, oldest};
    }

    /** Marks curriculum {@code cid}'s events at or below {@code seq} as possibly missing (not read at start). */
    synchronized void markPartial(long cid, long seq) {
        if (seq > 0) partial.put(cid, seq);
    }

    /** Whether a read of {@code cid}'s events after {@code afterSeq} may miss some that are not in memory. */
    synchronized boolean missesAfter(long cid, long afterSeq) {
        Long upTo = partial.get(cid);
        return upTo != null && afterSeq < upTo && forgotten.getOrDefault(cid, 0L) < upTo;
    }

    /** Whether event {@code seq} of {@code cid} may exist though it is not in memory. */
    synchronized boolean misses(long cid, long seq) {
        Long upTo = partial.get(cid);
        if (upTo == null || seq > upTo || seq <= forgotten.getOrDefault(cid, 0L)) return false;
        NavigableMap<Long, StoredEvent> m = events.get(cid);
        return m == null || !m.containsKey(seq);
    }

    /** Curricula whose older events are not in memory (tests and logs). */
    synchronized int partialCount() {
        return partial.size();
    }

    /**
     * Brings in the older events of {@code cid} from {@code full}, a mirror of every record of
     * the curriculum's partition read for it alone: those at or below its partial mark and not
     * forgotten (both as they are now: a truncate or forget committed meanwhile wins).
     */
    synchronized void fillOlder(long cid, Mirror full) {
        Long upTo = partial.remove(cid);
        if (upTo == null) return;
        NavigableMap<Long, StoredEvent> got;
        synchronized (full) {
            NavigableMap<Long, StoredEvent> m = full.events.get(cid);
            got = m == null ? new TreeMap<>() : new TreeMap<>(m.headMap(upTo, true));
        }
        long forgot = forgotten.getOrDefault(cid, 0L);
        NavigableMap<Long, StoredEvent> log = events.computeIfAbsent(cid, k -> new TreeMap<>());
        for (Map.Entry<Long, StoredEvent> e : got.entrySet()) if (e.getKey() > forgot) log.putIfAbsent(e.getKey(), e.getValue());
    }

    synchronized List<StoredCheckpoint> checkpoints(long cid) {
        NavigableMap<Long, Checkpoint> m = checkpoints.get(cid);
        List<StoredCheckpoint> out = new ArrayList<>();
        if (m != null) for (Map.Entry<Long, Checkpoint> e : m.entrySet()) out.add(new StoredCheckpoint(e.getKey(), e.getValue().seq(), e.getValue().state().length));
        return out;
    }

    synchronized byte[] checkpoint(long cid, long step) {
        NavigableMap<Long, Checkpoint> m = checkpoints.get(cid);
        Checkpoint c = m == null ? null : m.get(step);
        return c == null ? null : c.state();
    }

    /** After a full read: drops what belongs to no curriculum (a deleted one's records the topics still hold). */
    synchronized void dropOrphans() {
        events.keySet().retainAll(rows.keySet());
        snapshots.keySet().retainAll(rows.keySet());
        checkpoints.keySet().retainAll(rows.keySet());
        readFrom.keySet().retainAll(rows.keySet());
        forgotten.keySet().retainAll(rows.keySet());
    }
}
