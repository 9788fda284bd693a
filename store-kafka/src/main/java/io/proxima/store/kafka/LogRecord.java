package io.proxima.store.kafka;

import io.proxima.store.CurriculumLog.Row;
import io.proxima.store.CurriculumLog.StoredEvent;
import io.proxima.store.CurriculumLog.StoredSnapshot;
import io.proxima.store.Kind;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One Kafka record of the log, and its bytes. Value format: magic {@code PK}, version byte (1),
 * type byte, then the type's fields (longs big-endian; strings as UTF-8 with an int length, -1 for
 * null; byte arrays the same). Unknown magic, version or type is refused, never guessed.
 *
 * <p><b>Events topic</b> (key: curriculum id; all records of one curriculum in one partition, in
 * order): {@link Append}, {@link Forget} (events at or below a seq dropped), {@link Truncate} (events
 * after a seq dropped), {@link Quarantine} (the same, kept aside), {@link Deleted} (the curriculum's
 * events dropped), {@link Probe} (a resumed store's first write; changes nothing).
 *
 * <p><b>State topic</b> (compacted; key names the slot, a null value deletes it):
 * {@code row/ID} → {@link RowRecord}; {@code snap/CID/SEQ} → {@link SnapshotRecord};
 * {@code cp/CID/STEP} → {@link CheckpointRecord}; for a bounded start (an owner reads the events
 * topic from where its curricula need it, not from offset 0): {@code from/CID/SEQ} →
 * {@link ReadFrom} (with the row, SEQ 0, and with each snapshot, SEQ its event),
 * {@code forget/CID} → {@link Forget} (the newest of the events topic's), {@code maxcid/P} →
 * {@link MaxCid} (the largest curriculum number partition P ever held). Types 13 and 14 are
 * additions of the same version: a build that does not know them refuses them at start.
 */
sealed interface LogRecord {
    byte[] MAGIC = {'P', 'K'};
    byte VERSION = 1;

    record Append(long cid, StoredEvent event) implements LogRecord {}

    record Forget(long cid, long upTo) implements LogRecord {}

    record Truncate(long cid, long after) implements LogRecord {}

    record Quarantine(long cid, long after, String reason) implements LogRecord {}

    record Deleted(long cid) implements LogRecord {}

    record Probe() implements LogRecord {}

    record RowRecord(Row row) implements LogRecord {}

    record SnapshotRecord(long cid, StoredSnapshot snapshot) implements LogRecord {}

    record CheckpointRecord(long cid, long step, long seq, byte[] state) implements LogRecord {}

    /**
     * Every event of curriculum {@code cid} after event {@code seq} (and every record about those
     * events) lies at or after {@code offset} of the curriculum's partition of the events topic:
     * the partition's end before the transaction that wrote the snapshot at {@code seq} (or the row,
     * {@code seq} 0), a lower bound of anything written with it or later.
     */
    record ReadFrom(long cid, long seq, long offset) implements LogRecord {}

    /** The largest curriculum number a partition ever held (a deleted one's too: numbers are never reused). */
    record MaxCid(long cid) implements LogRecord {}

    static String rowKey(String name) {
        return "row/" + name;
    }

    static String snapshotKey(long cid, long seq) {
        return "snap/" + cid + "/" + seq;
    }

    static String readFromKey(long cid, long seq) {
        return "from/" + cid + "/" + seq;
    }

    static String forgetKey(long cid) {
        return "forget/" + cid;
    }

    static String maxCidKey(int partition) {
        return "maxcid/" + partition;
    }

    static String checkpointKey(long cid, long step) {
        return "cp/" + cid + "/" + step;
    }

    static byte[] encode(LogRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            if (r instanceof Append a) {
                out.writeByte(1);
                StoredEvent e = a.event();
                out.writeLong(a.cid());
                out.writeLong(e.seq());
                out.writeByte(e.kind());
                string(out, e.key());
                out.writeLong(e.hash());
                bytes(out, e.payload());
                out.writeLong(e.crc());
                bytes(out, e.response());
            } else if (r instanceof Forget f) {
                out.writeByte(2);
                out.writeLong(f.cid());
                out.writeLong(f.upTo());
            } else if (r instanceof Truncate t) {
                out.writeByte(3);
                out.writeLong(t.cid());
                out.writeLong(t.after());
            } else if (r instanceof Quarantine q) {
                out.writeByte(4);
                out.writeLong(q.cid());
                out.writeLong(q.after());
                string(out, q.reason());
            } else if (r instanceof Deleted d) {
                out.writeByte(5);
                out.writeLong(d.cid());
            } else if (r instanceof Probe) {
                out.writeByte(6);
            } else if (r instanceof RowRecord row) {
                out.writeByte(10);
                out.writeLong(row.row().cid());
                string(out, row.row().name());
                string(out, row.row().kind().key());
                string(out, row.row().config());
            } else if (r instanceof SnapshotRecord s) {
                out.writeByte(11);
                out.writeLong(s.cid());
                out.writeLong(s.snapshot().seq());
                bytes(out, s.snapshot().state());
                bytes(out, s.snapshot().keys());
            } else if (r instanceof CheckpointRecord c) {
                out.writeByte(12);
                out.writeLong(c.cid());
                out.writeLong(c.step());
                out.writeLong(c.seq());
                bytes(out, c.state());
            } else if (r instanceof ReadFrom f) {
                out.writeByte(13);
                out.writeLong(f.cid());
                out.writeLong(f.seq());
                out.writeLong(f.offset());
            } else if (r instanceof MaxCid m) {
                out.writeByte(14);
                out.writeLong(m.cid());
            } else {
                throw new IllegalArgumentException("unknown record " + r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The record in {@code value}; an {@link IllegalArgumentException} naming what is wrong otherwise. */
    static LogRecord decode(byte[] value) {
        if (value == null || value.length < 4) throw new IllegalArgumentException("log record too short: " + (value == null ? "null" : value.length + " bytes"));
        if (value[0] != MAGIC[0] || value[1] != MAGIC[1]) throw new IllegalArgumentException("not a Proxima log record (bad magic)");
        if (value[2] != VERSION) throw new IllegalArgumentException("log record version " + value[2] + " is not supported (this build reads " + VERSION + ")");
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value, 4, value.length - 4))) {
            byte type = value[3];
            LogRecord r = switch (type) {
                case 1 -> new Append(in.readLong(), new StoredEvent(in.readLong(), in.readByte(), string(in), in.readLong(), bytes(in), in.readLong(), bytes(in)));
                case 2 -> new Forget(in.readLong(), in.readLong());
                case 3 -> new Truncate(in.readLong(), in.readLong());
                case 4 -> new Quarantine(in.readLong(), in.readLong(), string(in));
                case 5 -> new Deleted(in.readLong());
                case 6 -> new Probe();
                case 10 -> new RowRecord(new Row(in.readLong(), string(in), Kind.parse(string(in)), string(in)));
                case 11 -> new SnapshotRecord(in.readLong(), new StoredSnapshot(in.readLong(), bytes(in), bytes(in)));
                case 12 -> new CheckpointRecord(in.readLong(), in.readLong(), in.readLong(), bytes(in));
                case 13 -> new ReadFrom(in.readLong(), in.readLong(), in.readLong());
                case 14 -> new MaxCid(in.readLong());
                default -> throw new IllegalArgumentException("unknown log record type " + type);
            };
            if (in.available() != 0) throw new IllegalArgumentException("log record of type " + type + " has " + in.available() + " trailing bytes");
            return r;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated log record: " + e.getMessage(), e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        bytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] b = bytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n < 0 || n > in.available()) throw new IOException("field length " + n + " exceeds the record");
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
