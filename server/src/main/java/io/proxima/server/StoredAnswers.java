package io.proxima.server;

import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * The form in which the answer to a report is kept by the store (for replaying a retried batch
 * id): compact binary, rendered as JSON for each reply by {@link Codec#report}.
 *
 * <p>Why not the JSON itself: a verdict is ~110 bytes of JSON and ~25 here, and the stored answer
 * was most of what a keyed report wrote to the log. Rendering is deterministic, so a retry still
 * gets the very bytes of the first answer. Rendering also moves out of the curriculum's lock.
 *
 * <pre>
 * byte    0x01 (JSON starts with '{': answers stored as JSON by earlier versions are told apart)
 * int     format version (1)
 * int accepted, int kept, int dropped, boolean filterBypassed, int verdicts
 * per verdict: string taskId, double passRate, double meanAbsAdvantage, boolean effective, boolean keep
 * </pre>
 */
final class StoredAnswers {
    private static final byte MARK = 0x01;
    private static final int VERSION = 1;

    private StoredAnswers() {}

    static byte[] report(ReportResult r) {
        SnapshotWriter w = new SnapshotWriter(32 + 40 * r.verdicts().size());
        w.writeInt((MARK << 24) | VERSION); // the first byte is the mark
        w.writeInt(r.accepted());
        w.writeInt(r.kept());
        w.writeInt(r.dropped());
        w.writeBoolean(r.filterBypassed());
        w.writeInt(r.verdicts().size());
        for (Verdict v : r.verdicts()) {
            w.writeString(v.taskId());
            w.writeDouble(v.passRate());
            w.writeDouble(v.meanAbsAdvantage());
            w.writeBoolean(v.effective());
            w.writeBoolean(v.keep());
        }
        return w.toByteArray();
    }

    /** The JSON answer of a stored report answer (one stored as JSON by an earlier version is returned as it is). */
    static byte[] reportJson(byte[] stored, String batchId) {
        if (stored.length == 0 || stored[0] != MARK) return stored;
        SnapshotReader r = new SnapshotReader(stored);
        int head = r.readInt();
        if ((head & 0xffffff) != VERSION) throw new IllegalStateException("stored answer format " + (head & 0xffffff) + " is not supported");
        int accepted = r.readInt();
        int kept = r.readInt();
        int dropped = r.readInt();
        boolean bypassed = r.readBoolean();
        int n = r.readInt();
        List<Verdict> verdicts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) verdicts.add(new Verdict(r.readString(), r.readDouble(), r.readDouble(), r.readBoolean(), r.readBoolean()));
        if (!r.atEnd()) throw new IllegalStateException("stored answer has trailing bytes");
        return Codec.report(new ReportResult(accepted, kept, dropped, bypassed, verdicts), batchId);
    }
}
