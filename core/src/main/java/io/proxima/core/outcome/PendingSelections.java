package io.proxima.core.outcome;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import io.proxima.core.space.IntIntMap;

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
 * <p><b>Layout.</b> A small map from task to one packed {@code int}, holding only the tasks with
 * selections awaiting: a few batches' worth, so it stays in cache (a column over the pool cost a
 * cache miss per selected and per reported task: a third of {@code report}'s throughput at 1M
 * tasks). Per task:
 * <pre>
 *   bits  0–12  rollouts of the oldest selection awaiting a report (0: none)
 *   bits 13–25  rollouts of the next one (0: none)
 *   bits 26–31  further selections awaiting, whose rollouts are not kept (saturates at 63)
 * </pre>
 * A report settles one of the two remembered selections by its rollouts; if neither matches and
 * further ones wait, it settles one of those unflagged (their rollouts are unknown). Snapshots of
 * version 1 knew nothing of this: restored, each task has one selection of unknown rollouts
 * awaiting (a bit per task until its first use), so the first report of each task is not flagged.
 */
public final class PendingSelections {
    private static final int BITS = 13;
    private static final int MASK = (1 << BITS) - 1;
    private static final int MAX_MORE = 63;
    /** One selection of unknown rollouts awaiting (what a version-1 snapshot restores to). */
    private static final int ONE_UNKNOWN = 1 << (2 * BITS);

    /** Past this many tasks with selections awaiting, a column over the pool replaces the map (4 B a task, bounded). */
    static final int DENSE_ABOVE = 1 << 16;

    private final IntIntMap sparse = new IntIntMap();
    /** The column once selections pile up unreported (next without report); null while the map suffices. */
    private int[] dense;
    private int denseCount;
    private int tasks;
    /** After a version-1 restore: bit t set = task t may have one selection of unknown rollouts awaiting (null: none). */
    private long[] legacy;
    private long notSelected;
    private long rolloutsMismatch;

    /** Room for {@code n} tasks (the column, once there is one; the map needs none). */
    public void ensureCapacity(int n) {
        tasks = Math.max(tasks, n);
        if (dense != null && n > dense.length) dense = Arrays.copyOf(dense, Math.max(n, dense.length + (dense.length >> 1)));
    }

    private int get(int t) {
        return dense != null ? (t < dense.length ? dense[t] : 0) : sparse.get(t);
    }

    private void put(int t, int v) {
        if (dense != null) {
            if (t >= dense.length) ensureCapacity(t + 1);
            if ((dense[t] == 0) != (v == 0)) denseCount += v == 0 ? -1 : 1;
            dense[t] = v;
            return;
        }
        sparse.put(t, v);
        if (sparse.size() > DENSE_ABOVE) {
            dense = new int[Math.max(tasks, t + 1)];
            for (int k : sparse.sortedKeys()) dense[k] = sparse.get(k);
            denseCount = sparse.size();
            sparse.clear();
        }
    }

    /** Tasks with selections awaiting, ascending. */
    private int[] keys() {
        if (dense == null) return sparse.sortedKeys();
        int[] out = new int[denseCount];
        int n = 0;
        for (int t = 0; t < dense.length && n < out.length; t++) if (dense[t] != 0) out[n++] = t;
        return out;
    }

    /** The packed state of {@code t}, a pending legacy bit folded in (and cleared). */
    private int load(int t) {
        int v = get(t);
        if (legacy != null && (t >>> 6) < legacy.length && (legacy[t >>> 6] & (1L << t)) != 0) {
            legacy[t >>> 6] &= ~(1L << t);
            if ((v >>> (2 * BITS)) < MAX_MORE) v += ONE_UNKNOWN;
        }
        return v;
    }

    /** Task {@code t} was selected with {@code rollouts} rollouts. */
    public void select(int t, int rollouts) {
        int v = load(t);
        int r = rollouts >= 1 && rollouts <= MASK ? rollouts : 0; // 0: kept as one of unknown rollouts
        if (r != 0 && (v & MASK) == 0 && ((v >>> BITS) & MASK) == 0) {
            v = (v & ~MASK) | r;
        } else if (r != 0 && ((v >>> BITS) & MASK) == 0 && (v & MASK) != 0) {
            v = v | (r << BITS);
        } else if ((v >>> (2 * BITS)) < MAX_MORE) {
            v += ONE_UNKNOWN;
        }
        put(t, v);
    }

    /** The packed state of task {@code t} (to undo a {@link #settle}). */
    public int state(int t) {
        int v = load(t);
        put(t, v);
        return v;
    }

    public void setState(int t, int state) {
        put(t, state);
    }

    /**
     * Settles one selection of task {@code t} reported with {@code rewards} rewards (0: a loss-only
     * outcome); returns the flag ({@code null} when none). Counts nothing: see {@link #count}.
     */
    public ReportFlag settle(int t, int rewards) {
        int v = load(t);
        int a = v & MASK;
        int b = (v >>> BITS) & MASK;
        int more = v >>> (2 * BITS);
        if (a == 0 && b == 0 && more == 0) return ReportFlag.NOT_SELECTED;
        ReportFlag flag = null;
        if (rewards == 0 || a == rewards) { // the oldest
            v = a != 0 ? (v & ~(MASK | (MASK << BITS))) | b : b != 0 ? v & ~(MASK << BITS) : v - ONE_UNKNOWN;
        } else if (b == rewards) {
            v = v & ~(MASK << BITS);
        } else if (more > 0) {
            v = v - ONE_UNKNOWN;
        } else {
            v = a != 0 ? (v & ~(MASK | (MASK << BITS))) | b : v & ~(MASK << BITS);
            flag = ReportFlag.ROLLOUTS_MISMATCH;
        }
        put(t, v);
        return flag;
    }

    /** Rollouts of the oldest remembered selection of {@code t} awaiting a report (0: none or unknown). */
    public int allotted(int t) {
        int v = get(t);
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
        int v = get(t);
        boolean old = legacy != null && (t >>> 6) < legacy.length && (legacy[t >>> 6] & (1L << t)) != 0;
        return ((v & MASK) != 0 ? 1 : 0) + (((v >>> BITS) & MASK) != 0 ? 1 : 0) + (v >>> (2 * BITS)) + (old ? 1 : 0);
    }

    public long footprintBytes() {
        return (dense != null ? 4L * dense.length : sparse.footprintBytes()) + (legacy == null ? 0 : 8L * legacy.length);
    }

    /**
     * {@code int n}, then n × ({@code int task, int state}) by ascending task, {@code long[]} the
     * version-1 bits (empty when none), {@code long notSelected, long rolloutsMismatch}.
     */
    public void write(SnapshotWriter w, int tasks) {
        int[] keys = keys();
        w.writeInt(keys.length);
        for (int t : keys) {
            w.writeInt(t);
            w.writeInt(get(t));
        }
        long[] bits = legacy == null ? new long[0] : trimmed(legacy);
        w.writeLongs(bits, bits.length);
        w.writeLong(notSelected);
        w.writeLong(rolloutsMismatch);
    }

    /** Without trailing zero words: the same state writes the same bytes however it was reached. */
    private static long[] trimmed(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) n--;
        return Arrays.copyOf(words, n);
    }

    public void read(SnapshotReader r, int tasks) {
        int n = r.readInt();
        if (n < 0 || n > tasks) throw new IllegalArgumentException("corrupt snapshot: " + n + " tasks with selections awaiting, of " + tasks);
        sparse.clear();
        dense = null;
        denseCount = 0;
        ensureCapacity(tasks);
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int t = r.readInt();
            int v = r.readInt();
            if (t <= previous || t >= tasks || v == 0) throw new IllegalArgumentException("corrupt snapshot: pending selection entry " + i);
            put(t, v);
            previous = t;
        }
        long[] bits = r.readLongs();
        if (bits.length > (tasks + 63) / 64) throw new IllegalArgumentException("corrupt snapshot: too many pending-selection bits");
        legacy = bits.length == 0 ? null : bits;
        notSelected = r.readLong();
        rolloutsMismatch = r.readLong();
        if (notSelected < 0 || rolloutsMismatch < 0) throw new IllegalArgumentException("corrupt snapshot: negative report flag counts");
    }

    /** What a snapshot written before this state existed restores to: each task, one selection of unknown rollouts awaiting. */
    public void readVersion1(int tasks) {
        sparse.clear();
        dense = null;
        denseCount = 0;
        ensureCapacity(tasks);
        legacy = new long[(tasks + 63) / 64];
        Arrays.fill(legacy, -1L);
        if ((tasks & 63) != 0 && legacy.length > 0) legacy[legacy.length - 1] = (1L << (tasks & 63)) - 1;
        if (tasks == 0) legacy = null;
    }
}
