package io.proxima.core.compose;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

/** A piece whose memory goes into snapshots. Stateless pieces keep the no-op defaults. */
public interface Stateful {
    default void writeState(SnapshotWriter w) {}

    default void readState(SnapshotReader r) {}

    /** Bytes of per-task state this piece holds (columns by task id); 0 for per-group or no state. */
    default long footprintBytes() {
        return 0;
    }
}
