package io.proxima.core.compose;

import io.proxima.core.space.IntList;

import java.util.Arrays;

/**
 * The batch being assembled by {@code next(n)}: the chosen tasks in order and a small open-addressing
 * set to refuse duplicates in O(1). Reused across calls; no per-task objects.
 */
public final class BatchBuilder {
    private final IntList tasks = new IntList(64);
    private int[] set = new int[128];

    /** Empties the builder for a batch of up to {@code n} tasks. */
    public void reset(int n) {
        tasks.clear();
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
