package io.proxima.core.compose;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

/**
 * Cold-start guard for filters (shared/algorithms.md, "Lessons from small real learners"): a
 * learner near chance has almost every group outside a filter's band, so the filter would keep
 * only lucky groups — and make the trainer generate many batches for each one it trains on. The
 * guard remembers the filter's verdicts on the last {@code window} outcomes; while the share it
 * would keep (this batch included) is below {@code minKeepShare}, the filter lets everything
 * through.
 */
public final class KeepShareGuard {
    private final double minKeepShare;
    private final boolean[] ring;
    private int next;
    private int filled;
    private int keptInRing;
    private boolean bypassed;

    public KeepShareGuard(double minKeepShare, int window) {
        if (!(minKeepShare >= 0 && minKeepShare <= 1)) throw new IllegalArgumentException("minKeepShare must be in [0, 1], got " + minKeepShare);
        if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
        this.minKeepShare = minKeepShare;
        this.ring = new boolean[window];
    }

    /**
     * Records the filter's verdicts {@code keep[0 .. n)} and, when the recent kept share is below
     * the minimum, overwrites them with {@code true}. Returns whether it did.
     */
    public boolean apply(boolean[] keep, int n) {
        for (int i = 0; i < n; i++) {
            if (filled == ring.length) {
                if (ring[next]) keptInRing--;
            } else {
                filled++;
            }
            ring[next] = keep[i];
            if (keep[i]) keptInRing++;
            next = (next + 1) % ring.length;
        }
        bypassed = filled > 0 && keptInRing < minKeepShare * filled;
        if (bypassed) java.util.Arrays.fill(keep, 0, n, true);
        return bypassed;
    }

    /** Share of the remembered verdicts that passed the filter. */
    public double keptShare() {
        return filled == 0 ? Double.NaN : (double) keptInRing / filled;
    }

    public boolean bypassed() {
        return bypassed;
    }

    public void write(SnapshotWriter w) {
        w.writeInt(ring.length);
        for (boolean b : ring) w.writeBoolean(b);
        w.writeInt(next);
        w.writeInt(filled);
        w.writeInt(keptInRing);
        w.writeBoolean(bypassed);
    }

    public void read(SnapshotReader r) {
        int n = r.readInt();
        if (n != ring.length) throw new IllegalArgumentException("snapshot guard window " + n + " differs from configured " + ring.length);
        for (int i = 0; i < n; i++) ring[i] = r.readBoolean();
        next = r.readInt();
        filled = r.readInt();
        keptInRing = r.readInt();
        bypassed = r.readBoolean();
    }
}
