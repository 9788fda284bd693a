package io.proxima.core.snapshot;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Byte format of a curriculum snapshot (never Java serialization). Big-endian.
 *
 * <pre>
 *   int    MAGIC  'PRXS'
 *   int    VERSION
 *   string configuration (canonical JSON)
 *   long   configuration hash (FNV-1a 64 of that JSON; checked on restore)
 *   long   event sequence: mutating calls applied (addTasks, next, report)
 *   long[4] generator state
 *   pool | walks | group stats | group progress | pass rates | teacher state (each piece in pipeline order)
 *   pending selections                                   (version 2 on)
 *   lineage | parent credit (if generation is configured) | generation requests (if configured)   (version 3 on)
 *   int    END
 * </pre>
 * A reader accepts the versions it knows and rejects any other with a message naming both.
 * Version 2 added the selections awaiting a report ({@code PendingSelections}); a version 1
 * snapshot restores with every task's pending selections unknown. Version 3 added the links of
 * generated tasks to their parents ({@code Lineage}) and the state of generation
 * ({@code ParentCredit}, {@code Generation}); an older snapshot restores with no links.
 */
public final class SnapshotFormat {
    public static final int MAGIC = 0x50525853; // "PRXS"
    public static final int VERSION = 3;
    /** The oldest version this build still reads. */
    public static final int OLDEST_VERSION = 1;
    public static final int END = 0x454E4421; // "END!"

    private SnapshotFormat() {}

    /**
     * The header both curriculum kinds share: magic, version, canonical configuration JSON and its
     * hash ({@code ContinuousCurriculum} uses its own magic and version).
     */
    public static void writeHeader(SnapshotWriter w, int magic, int version, String configJson, long configHash) {
        w.writeInt(magic);
        w.writeInt(version);
        w.writeString(configJson);
        w.writeLong(configHash);
    }

    /**
     * Reads a header written by {@link #writeHeader}: rejects another magic ("not a {@code kind}")
     * or version, parses the configuration and rejects it when its hash differs from the stored one.
     */
    public static <C> C readHeader(SnapshotReader r, int magic, int version, String kind, Function<String, C> parse, ToLongFunction<C> hash) {
        return readHeader(r, magic, version, version, kind, parse, hash).config();
    }

    /** A header read by {@link #readHeader(SnapshotReader, int, int, int, String, Function, ToLongFunction)}: the version tells the layout that follows. */
    public record Header<C>(int version, C config) {}

    /** As {@link #readHeader(SnapshotReader, int, int, String, Function, ToLongFunction)}, accepting the versions in [oldest, newest]. */
    public static <C> Header<C> readHeader(SnapshotReader r, int magic, int oldest, int newest, String kind, Function<String, C> parse,
                                           ToLongFunction<C> hash) {
        int m = r.readInt();
        if (m != magic) throw new IllegalArgumentException("not a " + kind + " (magic " + Integer.toHexString(m) + ")");
        int v = r.readInt();
        if (v < oldest || v > newest) {
            throw new IllegalArgumentException("snapshot version " + v + " is not supported (this build reads " + newest
                    + (oldest < newest ? " and earlier, from " + oldest : "") + ")");
        }
        C config = parse.apply(r.readString());
        if (r.readLong() != hash.applyAsLong(config)) throw new IllegalArgumentException("corrupt snapshot: configuration hash mismatch");
        return new Header<>(v, config);
    }

    public static void writeEnd(SnapshotWriter w) {
        w.writeInt(END);
    }

    /** Checks the end marker and that nothing follows it. */
    public static void readEnd(SnapshotReader r) {
        if (r.readInt() != END || !r.atEnd()) throw new IllegalArgumentException("corrupt snapshot: bad end marker");
    }
}
