package io.proxima.core.outcome;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * Selections awaiting a report, per task — what a report is checked against ({@link ReportFlag}).
 *
 * <p><b>The rule.</b> Each time {@code next} selects a task, one selection of it (with the rollouts
 * allotted) awaits a report. A report of the task settles one of them: the one whose rollouts
 * equal the number of rewards if there is such, else the oldest, and then the outcome is flagged
 * {@link ReportFlag#ROLLOUTS_MISMATCH}. With none awaiting, the outcome is flagged
 * {@link ReportFlag#NOT_SELECTED} and settles nothing. An outcome with a loss and no rewards
 * settles the oldest and is never a mismatch. A task selected in several batches before being
 * reported has as many selections awaiting; a retried batch id is applied once (by the store), so
 * it settles nothing twice; a selection never reported keeps waiting (the next report of the task
 * settles it).
 *
 * <p><b>Layout.</b> One {@code int} per task, so the column costs 4 B a task:
 * <pre>
 *   bits  0–12  rollouts of the oldest selection awaiting a report (0: none)
 *   bits 13–25  rollouts of the next one (0: none)
 *   bits 26–31  further selections awaiting, whose rollouts are not kept (saturates at 63)
 * </pre>
 * A report settles one of the two remembered selections by its rollouts; if neither matches and
 * further ones wait, it settles one of those unflagged (their rollouts are unknown). Snapshots of
 * version 1 knew nothing of this: restored, each task has one selection of unknown rollouts
 * awaiting, so the first report of each task is not flagged.
 */
public final class PendingSelections {
    private static final int BITS = 13;
    private static final int MASK = (1 << BITS) - 1;
    private static final int MAX_MORE = 63;
    /** One selection of unknown rollouts awaiting (what a version-1 snapshot restores to). */
    private static final int ONE_UNKNOWN = 1 << (2 * BITS);

    private int[] col = new int[0];
    private long notSelected;
    private long rolloutsMismatch;

    public void ensureCapacity(int n) {
        if (n > col.length) col = Arrays.copyOf(col, Math.max(n, col.length + (col.length >> 1)));
    }

    /** Task {@code t} was selected with {@code rollouts} rollouts. */
    public void select(int t, int rollouts) {
        int v = col[t];
        int r = rollouts >= 1 && rollouts <= MASK ? rollouts : 0; // 0: kept as one of unknown rollouts
        if (r != 0 && (v & MASK) == 0 && ((v >>> BITS) & MASK) == 0) {
            col[t] = (v & ~MASK) | r;
        } else if (r != 0 && ((v >>> BITS) & MASK) == 0 && (v & MASK) != 0) {
            col[t] = v | (r << BITS);
        } else {
            int more = v >>> (2 * BITS);
            if (more < MAX_MORE) col[t] = v + ONE_UNKNOWN;
        }
    }

    /** The packed state of task {@code t} (to undo a {@link #settle}). */
    public int state(int t) {
        return col[t];
    }

    public void setState(int t, int state) {
        col[t] = state;
    }

    /**
     * Settles one selection of task {@code t} reported with {@code rewards} rewards (0: a loss-only
     * outcome); returns the flag ({@code null} when none). Counts nothing: see {@link #count}.
     */
    public ReportFlag settle(int t, int rewards) {
        int v = col[t];
        int a = v & MASK;
        int b = (v >>> BITS) & MASK;
        int more = v >>> (2 * BITS);
        if (a == 0 && b == 0 && more == 0) return ReportFlag.NOT_SELECTED;
        if (rewards == 0 || a == rewards) { // the oldest
            col[t] = a != 0 ? (v & ~(MASK | (MASK << BITS))) | b : b != 0 ? v & ~(MASK << BITS) : v - ONE_UNKNOWN;
            return null;
        }
        if (b == rewards) {
            col[t] = v & ~(MASK << BITS);
            return null;
        }
        if (more > 0) {
            col[t] = v - ONE_UNKNOWN;
            return null;
        }
        col[t] = a != 0 ? (v & ~(MASK | (MASK << BITS))) | b : v & ~(MASK << BITS);
        return ReportFlag.ROLLOUTS_MISMATCH;
    }

    /** Rollouts of the oldest remembered selection of {@code t} awaiting a report (0: none or unknown). */
    public int allotted(int t) {
        int v = col[t];
        return (v & MASK) != 0 ? v & MASK : (v >>> BITS) & MASK;
    }

    /** Counts a flagged outcome that was applied. */
    public void count(ReportFlag f) {
        if (f == ReportFlag.NOT_SELECTED) notSelected++;
        else if (f == ReportFlag.ROLLOUTS_MISMATCH) rolloutsMismatch++;
    }

    /** Outcomes applied that no selection awaited. */
    public long notSelected() {
        return notSelected;
    }

    /** Outcomes applied whose rewards differed from the rollouts allotted. */
    public long rolloutsMismatch() {
        return rolloutsMismatch;
    }

    /** Selections of task {@code t} awaiting a report (tests). */
    public int awaiting(int t) {
        int v = col[t];
        return ((v & MASK) != 0 ? 1 : 0) + (((v >>> BITS) & MASK) != 0 ? 1 : 0) + (v >>> (2 * BITS));
    }

    public long footprintBytes() {
        return 4L * col.length;
    }

    public void write(SnapshotWriter w, int tasks) {
        ensureCapacity(tasks);
        w.writeInts(col, tasks);
        w.writeLong(notSelected);
        w.writeLong(rolloutsMismatch);
    }

    public void read(SnapshotReader r, int tasks) {
        int[] v = r.readInts();
        if (v.length != tasks) throw new IllegalArgumentException("corrupt snapshot: " + v.length + " pending-selection entries for " + tasks + " tasks");
        ensureCapacity(tasks);
        System.arraycopy(v, 0, col, 0, tasks);
        notSelected = r.readLong();
        rolloutsMismatch = r.readLong();
        if (notSelected < 0 || rolloutsMismatch < 0) throw new IllegalArgumentException("corrupt snapshot: negative report flag counts");
    }

    /** What a snapshot written before this state existed restores to: each task, one selection of unknown rollouts awaiting. */
    public void readVersion1(int tasks) {
        ensureCapacity(tasks);
        Arrays.fill(col, 0, tasks, ONE_UNKNOWN);
    }
}
