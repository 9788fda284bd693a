package io.proxima.store;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The byte format of one logged event. Never Java serialization; every payload starts with its
 * format version and kind, and the store keeps a CRC-32 of the payload beside it.
 *
 * <pre>
 * byte    version                      1
 * byte    kind                         1 addTasks, 2 next, 3 report
 * addTasks: int count, then per task: string id, string group, double priorDifficulty, floats features
 * next:     int n
 * report:   int count, then per outcome: string taskId, doubles rewards, ints tokenLengths, long step,
 *           int directives, then per directive: string name, double value; double loss (NaN = none)
 * </pre>
 * Strings, arrays and numbers use {@link SnapshotWriter}'s encoding (big-endian, length-prefixed).
 * Decoding rejects unknown versions and kinds and trailing bytes.
 */
public final class EventCodec {
    public static final byte VERSION = 1;
    public static final byte ADD_TASKS = 1;
    public static final byte NEXT = 2;
    public static final byte REPORT = 3;

    private EventCodec() {}

    public static byte kind(Event e) {
        if (e instanceof Event.AddTasks) return ADD_TASKS;
        if (e instanceof Event.Next) return NEXT;
        return REPORT;
    }

    public static String kindName(int kind) {
        return switch (kind) {
            case ADD_TASKS -> "addTasks";
            case NEXT -> "next";
            case REPORT -> "report";
            default -> "unknown(" + kind + ")";
        };
    }

    public static byte[] encode(Event e) {
        SnapshotWriter w = new SnapshotWriter();
        w.writeInt((VERSION << 8) | kind(e));
        if (e instanceof Event.AddTasks a) {
            w.writeInt(a.tasks().size());
            for (TaskSpec t : a.tasks()) {
                w.writeString(t.id());
                w.writeString(t.group());
                w.writeDouble(t.priorDifficulty());
                w.writeFloats(t.features(), t.features().length);
            }
        } else if (e instanceof Event.Next n) {
            w.writeInt(n.n());
        } else {
            List<Outcome> os = ((Event.Report) e).outcomes();
            w.writeInt(os.size());
            for (Outcome o : os) {
                w.writeString(o.taskId());
                w.writeDoubles(o.rewards(), o.rewards().length);
                w.writeInts(o.tokenLengths(), o.tokenLengths().length);
                w.writeLong(o.step());
                w.writeInt(o.directives().size());
                for (Map.Entry<String, Double> d : new java.util.TreeMap<>(o.directives()).entrySet()) {
                    w.writeString(d.getKey());
                    w.writeDouble(d.getValue());
                }
                w.writeDouble(o.loss());
            }
        }
        return w.toByteArray();
    }

    /** Decodes {@link #encode} bytes; throws {@link IllegalArgumentException} on anything malformed. */
    public static Event decode(byte[] bytes) {
        SnapshotReader r = new SnapshotReader(bytes);
        int head = r.readInt();
        int version = head >>> 8;
        int kind = head & 0xff;
        if (version != VERSION) throw new IllegalArgumentException("event format version " + version + " is not supported (this build reads " + VERSION + ")");
        Event e;
        switch (kind) {
            case ADD_TASKS -> {
                int n = count(r.readInt());
                List<TaskSpec> tasks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) tasks.add(new TaskSpec(r.readString(), r.readString(), r.readDouble(), r.readFloats()));
                e = new Event.AddTasks(tasks);
            }
            case NEXT -> e = new Event.Next(r.readInt());
            case REPORT -> {
                int n = count(r.readInt());
                List<Outcome> os = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String id = r.readString();
                    double[] rewards = r.readDoubles();
                    int[] lengths = r.readInts();
                    long step = r.readLong();
                    int dn = count(r.readInt());
                    Map<String, Double> d = new LinkedHashMap<>();
                    for (int k = 0; k < dn; k++) d.put(r.readString(), r.readDouble());
                    os.add(new Outcome(id, rewards, lengths, step, d, r.readDouble()));
                }
                e = new Event.Report(os);
            }
            default -> throw new IllegalArgumentException("unknown event kind " + kind);
        }
        if (!r.atEnd()) throw new IllegalArgumentException("corrupt event: trailing bytes after a " + kindName(kind) + " event");
        return e;
    }

    private static int count(int n) {
        if (n < 0) throw new IllegalArgumentException("corrupt event: negative count " + n);
        return n;
    }

    public static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }
}
