package io.proxima.server;

import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.ReportFlag;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.Derivation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The form in which the answers to a discrete report and next are kept by the store (for
 * replaying a retried batch or request id): compact binary, rendered as JSON for each reply by
 * {@link Codec#report} and {@link Codec#selection}.
 *
 * <p>Why not the JSON itself: a verdict is ~110 bytes of JSON and ~25 here, and the stored answer
 * was most of what a keyed report wrote to the log. Rendering is deterministic, so a retry still
 * gets the very bytes of the first answer. Rendering also moves out of the curriculum's lock.
 *
 * <pre>
 * byte    0x01 (JSON starts with '{': answers stored as JSON by earlier versions are told apart)
 * int     format version (2; 1 is still read)
 * int accepted, int kept, int dropped, boolean filterBypassed, int verdicts
 * per verdict: string taskId, double passRate, double meanAbsAdvantage, boolean effective, boolean keep,
 *              int flag (version 2: 0 none, 1 notSelected, 2 rolloutsMismatch then int allotted)
 * </pre>
 * A selection: the mark, then {@code int} version with kind 2 in the second byte, {@code long batch},
 * {@code int tasks}, per task {@code string taskId, int rollouts, int directives} and per directive
 * {@code string name, double value} (in name order); format 2 (written only when the selection asks
 * for generated tasks, so other stored selections keep their bytes) then {@code int requests}, per
 * request {@code string from, int kind} ({@code Derivation} code).
 */
final class StoredAnswers {
    private static final byte MARK = 0x01;
    private static final int VERSION = 1;
    /** Reports with their verdicts' flags. */
    private static final int REPORT_VERSION = 2;
    /** Selections with generate requests. */
    private static final int SELECTION_VERSION = 2;

    private StoredAnswers() {}

    static byte[] report(ReportResult r) {
        SnapshotWriter w = new SnapshotWriter(32 + 40 * r.verdicts().size());
        w.writeInt((MARK << 24) | REPORT_VERSION); // the first byte is the mark
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
            w.writeInt(v.flag() == null ? 0 : v.flag().ordinal() + 1);
            if (v.flag() == ReportFlag.ROLLOUTS_MISMATCH) w.writeInt(v.allotted());
        }
        return w.toByteArray();
    }

    private static final int SELECTION = 2 << 16;

    static byte[] selection(Selection s) {
        SnapshotWriter w = new SnapshotWriter(32 + 24 * s.tasks().size());
        boolean generate = !s.generate().isEmpty();
        w.writeInt((MARK << 24) | SELECTION | (generate ? SELECTION_VERSION : VERSION));
        w.writeLong(s.batch());
        w.writeInt(s.tasks().size());
        for (SelectedTask t : s.tasks()) {
            w.writeString(t.taskId());
            w.writeInt(t.rollouts());
            w.writeInt(t.directives().size());
            for (Map.Entry<String, Double> d : t.directives().entrySet()) { // sorted by name
                w.writeString(d.getKey());
                w.writeDouble(d.getValue());
            }
        }
        if (generate) {
            w.writeInt(s.generate().size());
            for (GenerateRequest r : s.generate()) {
                w.writeString(r.from());
                w.writeInt(r.kind().code);
            }
        }
        return w.toByteArray();
    }

    /** The JSON answer of a stored selection (one stored as JSON by an earlier version is returned as it is). */
    static byte[] selectionJson(byte[] stored, String requestId) {
        if (stored.length == 0 || stored[0] != MARK) return stored;
        SnapshotReader r = new SnapshotReader(stored);
        int version = check(r.readInt(), SELECTION, SELECTION_VERSION);
        long batch = r.readLong();
        int n = r.readInt();
        List<SelectedTask> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.readString();
            int rollouts = r.readInt();
            int dn = r.readInt();
            Map<String, Double> d = dn == 0 ? Map.of() : new TreeMap<>();
            for (int k = 0; k < dn; k++) d.put(r.readString(), r.readDouble());
            tasks.add(new SelectedTask(id, rollouts, d));
        }
        List<GenerateRequest> generate = List.of();
        if (version >= 2) {
            int g = r.readInt();
            generate = new ArrayList<>(g);
            for (int i = 0; i < g; i++) {
                String from = r.readString();
                int code = r.readInt();
                Derivation kind = code == (byte) code && code != 0 ? Derivation.ofCode((byte) code) : null;
                if (kind == null) throw new IllegalStateException("stored answer has an unknown derivation " + code);
                generate.add(new GenerateRequest(from, kind));
            }
        }
        if (!r.atEnd()) throw new IllegalStateException("stored answer has trailing bytes");
        return Codec.selection(new Selection(batch, tasks, generate), requestId);
    }

    /** Checks the head of a stored answer; returns its format version (1 to {@code newest}). */
    private static int check(int head, int kind, int newest) {
        int version = head & 0xffff;
        if ((head & 0xff0000) != kind || version < 1 || version > newest) {
            throw new IllegalStateException("stored answer of kind " + ((head >> 16) & 0xff) + ", format " + (head & 0xffff) + " is not supported here");
        }
        return version;
    }

    /** The JSON answer of a stored report answer (one stored as JSON by an earlier version is returned as it is). */
    static byte[] reportJson(byte[] stored, String batchId) {
        if (stored.length == 0 || stored[0] != MARK) return stored;
        SnapshotReader r = new SnapshotReader(stored);
        int version = check(r.readInt(), 0, REPORT_VERSION);
        int accepted = r.readInt();
        int kept = r.readInt();
        int dropped = r.readInt();
        boolean bypassed = r.readBoolean();
        int n = r.readInt();
        List<Verdict> verdicts = new ArrayList<>(n);
        ReportFlag[] flags = ReportFlag.values();
        for (int i = 0; i < n; i++) {
            String id = r.readString();
            double pass = r.readDouble();
            double adv = r.readDouble();
            boolean effective = r.readBoolean();
            boolean keep = r.readBoolean();
            int f = version >= 2 ? r.readInt() : 0;
            if (f < 0 || f > flags.length) throw new IllegalStateException("stored answer has an unknown flag " + f);
            ReportFlag flag = f == 0 ? null : flags[f - 1];
            int allotted = flag == ReportFlag.ROLLOUTS_MISMATCH ? r.readInt() : 0;
            verdicts.add(new Verdict(id, pass, adv, effective, keep, flag, allotted));
        }
        if (!r.atEnd()) throw new IllegalStateException("stored answer has trailing bytes");
        return Codec.report(new ReportResult(accepted, kept, dropped, bypassed, verdicts), batchId);
    }
}
