package io.proxima.core.snapshot;

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
 *   int    END
 * </pre>
 * A reader accepts the versions it knows and rejects any other with a message naming both.
 */
public final class SnapshotFormat {
    public static final int MAGIC = 0x50525853; // "PRXS"
    public static final int VERSION = 1;
    public static final int END = 0x454E4421; // "END!"

    private SnapshotFormat() {}
}
