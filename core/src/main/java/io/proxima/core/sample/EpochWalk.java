package io.proxima.core.sample;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.IntList;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;

/**
 * Walks each group of a pool without replacement, one fresh random permutation per epoch.
 *
 * <p>Why: a learner that sees the same prompt again and again memorises it; walking the pool
 * epoch by epoch bounds repetition (every task at most once per epoch) and is itself a strong
 * baseline (see the repetition pitfall in shared/algorithms.md). Every item policy draws its
 * tasks or its candidates from here.
 *
 * <p>How: a lazy Fisher–Yates shuffle in place on the group's member list. Positions
 * {@code [0, cursor)} were visited this epoch; a draw swaps a uniform member of
 * {@code [cursor, size)} to {@code cursor} and advances. When the cursor reaches the end a new
 * epoch begins, with no O(n) reshuffle. Tasks added later are appended to the unvisited part.
 * O(1) per draw.
 */
public final class EpochWalk {
    private final TaskPool pool;
    private int[] cursor = new int[4];
    private long[] epoch = new long[4];

    public EpochWalk(TaskPool pool) {
        this.pool = pool;
    }

    /** Next task of the group's walk, or -1 if the group is empty. */
    public int next(int group, Rng rng) {
        ensureGroups(group + 1);
        IntList m = pool.members(group);
        int size = m.size();
        if (size == 0) return -1;
        if (cursor[group] >= size) {
            cursor[group] = 0;
            epoch[group]++;
        }
        int c = cursor[group];
        int j = c + rng.nextInt(size - c);
        m.swap(c, j);
        cursor[group] = c + 1;
        return m.get(c);
    }

    /**
     * Where the task the last {@link #next} of the group returned sits in the group's member
     * list: a draw stays at its position until the epoch turns.
     */
    public int lastPosition(int group) {
        return cursor[group] - 1;
    }

    /**
     * Returns a task drawn in the current epoch to the unvisited part, so the walk gives it again
     * this epoch. {@code position} is the task's {@link #lastPosition} when it was drawn; several
     * tasks go back in decreasing order of position (a swap with the last visited position, then
     * one step back of the cursor: O(1)).
     */
    public void putBack(int group, int position) {
        int c = cursor[group] - 1;
        if (position < 0 || position > c) throw new IllegalArgumentException("position " + position + " was not visited this epoch (cursor " + cursor[group] + ")");
        pool.members(group).swap(position, c);
        cursor[group] = c;
    }

    /** Completed passes over the group. */
    public long epoch(int group) {
        return group < epoch.length ? epoch[group] : 0;
    }

    /** Tasks of the group not yet visited in its current epoch. */
    public int remainingInEpoch(int group) {
        int c = group < cursor.length ? cursor[group] : 0;
        return pool.groupSize(group) - c;
    }

    private void ensureGroups(int n) {
        if (n > cursor.length) {
            int cap = Math.max(n, cursor.length * 2);
            cursor = Arrays.copyOf(cursor, cap);
            epoch = Arrays.copyOf(epoch, cap);
        }
    }

    public void write(SnapshotWriter w) {
        int g = pool.groupCount();
        ensureGroups(g);
        w.writeInts(cursor, g);
        w.writeLongs(epoch, g);
    }

    public void read(SnapshotReader r) {
        int[] c = r.readInts();
        long[] e = r.readLongs();
        ensureGroups(c.length);
        System.arraycopy(c, 0, cursor, 0, c.length);
        System.arraycopy(e, 0, epoch, 0, e.length);
    }
}
