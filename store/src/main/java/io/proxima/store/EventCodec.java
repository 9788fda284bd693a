package io.proxima.store;

import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.Derivation;
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
 * int     (version &lt;&lt; 8) | kind
 *   version 1: kinds 1 addTasks, 2 next, 3 report                  (discrete curricula)
 *   version 2: version 1 + kinds 4 paramNext, 5 paramReport        (continuous curricula)
 *   version 3: version 2 + the links of generated tasks in addTasks
 * addTasks:    int count, then per task: string id, string group, double priorDifficulty, floats features
 *              [version 3: then string parent ("" = none), int derivation (its code, 0 = none)]
 * next:        int n
 * report:      int count, then per outcome: string taskId, doubles rewards, ints tokenLengths, long step,
 *              int directives, then per directive: string name, double value; double loss (NaN = none)
 * paramNext:   int n
 * paramReport: int count, then per outcome: long taskId (-1 = none), boolean hasParams,
 *              [doubles params, if hasParams], doubles returns
 * </pre>
 * Strings, arrays and numbers use {@link SnapshotWriter}'s encoding (big-endian, length-prefixed).
 *
 * <p><b>Versions.</b> An event is written with the lowest version that has its kind and content:
 * kinds 1–3 are byte-for-byte what version 1 always wrote, so logs of discrete curricula stay
 * readable by builds that only know version 1, and such a build refuses a continuous event by its
 * version ("version 2 is not supported") instead of misreading it. An addTasks whose tasks carry
 * a parent is written in version 3 (every other addTasks stays version 1), so an older build
 * refuses it rather than dropping the links. Decoding reads versions 1 to 3, rejects unknown
 * versions, kinds a version does not have, and trailing bytes.
 */
public final class EventCodec {
    /** The newest format version: what this build writes for kinds that need it, and the highest it reads. */
    public static final byte VERSION = 3;
    /** The version that introduced continuous events (kinds 4 and 5). */
    static final byte CONTINUOUS_VERSION = 2;
    /** The version that introduced the links of generated tasks (in addTasks). */
    static final byte LINKS_VERSION = 3;
    public static final byte ADD_TASKS = 1;
    public static final byte NEXT = 2;
    public static final byte REPORT = 3;
    public static final byte PARAM_NEXT = 4;
    public static final byte PARAM_REPORT = 5;

    private EventCodec() {}

    public static byte kind(Event e) {
        if (e instanceof Event.AddTasks) return ADD_TASKS;
        if (e instanceof Event.Next) return NEXT;
        if (e instanceof Event.Report) return REPORT;
        if (e instanceof Event.ParamNext) return PARAM_NEXT;
        return PARAM_REPORT;
    }

    /** The lowest format version that has {@code kind}. */
    static byte version(int kind) {
        return kind >= PARAM_NEXT ? CONTINUOUS_VERSION : 1;
    }

    /** Whether {@code kind} is a report (its key is a batch id) rather than a next (a request id). */
    static boolean isReport(int kind) {
        return kind == REPORT || kind == PARAM_REPORT;
    }

    public static String kindName(int kind) {
        return switch (kind) {
            case ADD_TASKS -> "addTasks";
            case NEXT -> "next";
            case REPORT -> "report";
            case PARAM_NEXT -> "paramNext";
            case PARAM_REPORT -> "paramReport";
            default -> "unknown(" + kind + ")";
        };
    }

    public static byte[] encode(Event e) {
        SnapshotWriter w = new SnapshotWriter(sizeHint(e));
        byte kind = kind(e);
        boolean links = e instanceof Event.AddTasks a && hasLinks(a.tasks());
        w.writeInt(((links ? LINKS_VERSION : version(kind)) << 8) | kind);
        if (e instanceof Event.AddTasks a) {
            w.writeInt(a.tasks().size());
            for (TaskSpec t : a.tasks()) {
                w.writeString(t.id());
                w.writeString(t.group());
                w.writeDouble(t.priorDifficulty());
                w.writeFloats(t.features(), t.features().length);
                if (links) {
                    w.writeString(t.parent() == null ? "" : t.parent());
                    w.writeInt(t.derivation() == null ? 0 : t.derivation().code);
                }
            }
        } else if (e instanceof Event.Next n) {
            w.writeInt(n.n());
        } else if (e instanceof Event.ParamNext n) {
            w.writeInt(n.n());
        } else if (e instanceof Event.ParamReport pr) {
            w.writeInt(pr.outcomes().size());
            for (ParamOutcome o : pr.outcomes()) {
                w.writeLong(o.taskId());
                w.writeBoolean(o.params() != null);
                if (o.params() != null) w.writeDoubles(o.params(), o.params().length);
                w.writeDoubles(o.returns(), o.returns().length);
            }
        } else {
            List<Outcome> os = ((Event.Report) e).outcomes();
            w.writeInt(os.size());
            for (Outcome o : os) {
                w.writeString(o.taskId());
                w.writeDoubles(o.rewards(), o.rewards().length);
                w.writeInts(o.tokenLengths(), o.tokenLengths().length);
                w.writeLong(o.step());
                w.writeInt(o.directives().size());
                if (!o.directives().isEmpty()) for (Map.Entry<String, Double> d : new java.util.TreeMap<>(o.directives()).entrySet()) {
                    w.writeString(d.getKey());
                    w.writeDouble(d.getValue());
                }
                w.writeDouble(o.loss());
            }
        }
        return w.toByteArray();
    }

    private static boolean hasLinks(List<TaskSpec> tasks) {
        for (TaskSpec t : tasks) if (t != null && t.linked()) return true;
        return false;
    }

    /**
     * About the encoded size of a small event, so that encoding one writes into a buffer of its size
     * (a report of 16 outcomes is ~700 bytes; a default 4 KiB buffer per event was most of what a
     * trainer step allocated). Task uploads and large reports grow the buffer as they go.
     */
    private static int sizeHint(Event e) {
        if (e instanceof Event.Report r) {
            long bytes = 8;
            for (Outcome o : r.outcomes()) {
                bytes += 48 + (o.taskId() == null ? 0 : o.taskId().length()) + 8L * (o.rewards() == null ? 0 : o.rewards().length)
                        + 4L * o.tokenLengths().length + 32L * o.directives().size();
                if (bytes > 1 << 20) break; // large: let the writer grow
            }
            return (int) Math.min(bytes, 1 << 20);
        }
        if (e instanceof Event.ParamReport r) return (int) Math.min(1 << 20, 8 + 64L * r.outcomes().size());
        if (e instanceof Event.AddTasks a) return (int) Math.min(1 << 20, 8 + 48L * a.tasks().size());
        return 16; // next: a header and n
    }

    /** Decodes {@link #encode} bytes; throws {@link IllegalArgumentException} on anything malformed. */
    public static Event decode(byte[] bytes) {
        SnapshotReader r = new SnapshotReader(bytes);
        int head = r.readInt();
        int version = head >>> 8;
        int kind = head & 0xff;
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("event format version " + version + " is not supported (this build reads 1 to " + VERSION + ")");
        }
        if (kind >= 1 && kind <= PARAM_REPORT && version(kind) > version) {
            throw new IllegalArgumentException("corrupt event: kind " + kindName(kind) + " does not exist in format version " + version);
        }
        Event e;
        switch (kind) {
            case ADD_TASKS -> {
                int n = count(r.readInt());
                List<TaskSpec> tasks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    TaskSpec t = new TaskSpec(r.readString(), r.readString(), r.readDouble(), r.readFloats());
                    if (version >= LINKS_VERSION) {
                        String parent = r.readString();
                        int code = r.readInt();
                        Derivation d;
                        try {
                            d = code == (byte) code ? Derivation.ofCode((byte) code) : null;
                        } catch (IllegalArgumentException x) {
                            d = null;
                        }
                        if (code != 0 && d == null) throw new IllegalArgumentException("corrupt event: unknown derivation " + code);
                        if (parent.isEmpty() != (d == null)) throw new IllegalArgumentException("corrupt event: a parent without a derivation, or the reverse");
                        if (d != null) t = new TaskSpec(t.id(), t.group(), t.priorDifficulty(), t.features(), parent, d);
                    }
                    tasks.add(t);
                }
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
            case PARAM_NEXT -> e = new Event.ParamNext(r.readInt());
            case PARAM_REPORT -> {
                int n = count(r.readInt());
                List<ParamOutcome> os = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long id = r.readLong();
                    double[] params = r.readBoolean() ? r.readDoubles() : null;
                    os.add(new ParamOutcome(id, params, r.readDoubles()));
                }
                e = new Event.ParamReport(os);
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
