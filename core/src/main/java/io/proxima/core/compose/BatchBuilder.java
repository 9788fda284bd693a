package io.proxima.core.compose;

import io.proxima.core.space.IntList;

import java.util.Arrays;

/**
 * The batch being assembled by {@code next(n)}: the chosen tasks in order and a small open-addressing
 * set to refuse duplicates in O(1). Reused across calls; no per-task objects.
 */
public final class BatchBuilder {
    private final IntList tasks = new IntList(64);
    /** The group of each task, as declared by {@link #forGroup}: saves a random read of the pool's group column per task. */
    private final IntList groups = new IntList(64);
    private int currentGroup = -1;
    private int[] set = new int[128];

    /** Tasks added from now on belong to {@code group} (item policies pick inside one group). */
    public void forGroup(int group) {
        currentGroup = group;
    }

    /** The group of the i-th task, or -1 when none was declared. */
    public int group(int i) {
        return groups.get(i);
    }

    /** Swaps two positions of the batch (tasks and their groups). */
    public void swap(int i, int j) {
        tasks.swap(i, j);
        groups.swap(i, j);
    }

    /** Empties the builder for a batch of up to {@code n} tasks. */
    public void reset(int n) {
        tasks.clear();
        groups.clear();
        currentGroup = -1;
        int len = Integer.highestOneBit(Math.max(16, 4 * n - 1)) << 1;
        if (set.length < len || set.length > 4 * len) set = new int[len];
        else Arrays.fill(set, 0);
    }

    public boolean contains(int task) {
        int mask = set.length - 1;
        for (int s = mix(task) & mask; ; s = (s + 1) & mask) {
            if (set[s] == 0) return false;
            if (set[s] == task + 1) return true;
        }
    }

    /** Adds the task unless present; returns whether it was added. */
    public boolean add(int task) {
        int mask = set.length - 1;
        int s = mix(task) & mask;
        for (; set[s] != 0; s = (s + 1) & mask) if (set[s] == task + 1) return false;
        set[s] = task + 1;
        tasks.add(task);
        groups.add(currentGroup);
        return true;
    }

    public int size() {
        return tasks.size();
    }

    public int get(int i) {
        return tasks.get(i);
    }

    /** The backing array, valid up to {@link #size()}. */
    public int[] raw() {
        return tasks.raw();
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 15);
    }
}
