package io.proxima.core.sample;

import java.util.Arrays;

/**
 * Weighted sampling in O(log N) per draw and per weight update.
 *
 * <p>Invariant: every inner node holds the sum of its two children; every weight is finite and
 * &ge; 0. Layout: one {@code double[]} of 2·C slots for capacity C (a power of two); node 1 is the
 * root, node i has children 2i and 2i+1, leaf k sits at C + k. Slot 0 is unused.
 *
 * <p>Floating-point drift: updates add the difference along the path, so after many updates the
 * inner sums can drift from the exact sum of the leaves; {@link #rebuild()} recomputes them in
 * O(C) and callers do so every {@link #REBUILD_EVERY} updates. A draw never returns a leaf of
 * weight 0: it descends by comparing with the left child and, when rounding points it at an empty
 * leaf, steps to the nearest non-empty leaf.
 */
public final class SumTree {
    /** Updates between two full recomputations of the inner sums (bounds rounding drift). */
    public static final int REBUILD_EVERY = 1 << 20;

    private double[] tree;
    private int capacity;
    private int size;
    private int updatesSinceRebuild;

    public SumTree(int initialCapacity) {
        capacity = Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1;
        if (capacity < initialCapacity) capacity <<= 1;
        tree = new double[2 * capacity];
    }

    /** Number of leaves in use (ids 0..size-1). */
    public int size() {
        return size;
    }

    /** Append a leaf with the given weight; returns its index. */
    public int add(double weight) {
        checkWeight(size, weight); // before growing: a rejected add leaves the tree unchanged
        if (size == capacity) grow();
        int id = size++;
        set(id, weight);
        return id;
    }

    /**
     * Removes every leaf, keeping the capacity: afterwards the tree is exactly a new
     * {@code SumTree} of the same capacity (same zeros, same rebuild counter), so the same
     * {@link #add} calls give bit-identical sums and draws.
     */
    public void clear() {
        Arrays.fill(tree, 0.0);
        size = 0;
        updatesSinceRebuild = 0;
    }

    private void grow() {
        int newCapacity = capacity << 1;
        double[] next = new double[2 * newCapacity];
        System.arraycopy(tree, capacity, next, newCapacity, capacity);
        tree = next;
        capacity = newCapacity;
        rebuild();
    }

    public double get(int id) {
        checkId(id);
        return tree[capacity + id];
    }

    public void set(int id, double weight) {
        checkId(id);
        checkWeight(id, weight);
        int node = capacity + id;
        double delta = weight - tree[node];
        tree[node] = weight;
        for (node >>= 1; node >= 1; node >>= 1) tree[node] += delta;
        if (++updatesSinceRebuild >= REBUILD_EVERY) rebuild();
    }

    /** Sum of all weights. */
    public double total() {
        return Math.max(0.0, tree[1]);
    }

    /**
     * The leaf at cumulative position {@code u · total()}, for u in [0, 1). Returns -1 when the
     * total weight is 0.
     */
    public int find(double u) {
        if (!(tree[1] > 0)) return -1;
        double target = u * tree[1];
        int node = 1;
        while (node < capacity) {
            int left = node << 1;
            if (target < tree[left] || tree[left + 1] <= 0) {
                node = left;
            } else {
                target -= tree[left];
                node = left + 1;
            }
        }
        int id = node - capacity;
        if (tree[node] > 0 && id < size) return id;
        return nearestNonEmpty(id);
    }

    /** Draw one leaf with probability weight/total. -1 when the total is 0. */
    public int sample(Rng rng) {
        return find(rng.nextDouble());
    }

    private int nearestNonEmpty(int id) {
        for (int d = 1; d < size; d++) {
            if (id - d >= 0 && id - d < size && tree[capacity + id - d] > 0) return id - d;
            if (id + d < size && tree[capacity + id + d] > 0) return id + d;
        }
        return -1;
    }

    /** Recompute every inner node from the leaves. */
    public void rebuild() {
        Arrays.fill(tree, 1, capacity, 0.0);
        for (int node = capacity - 1; node >= 1; node--) tree[node] = tree[2 * node] + tree[2 * node + 1];
        updatesSinceRebuild = 0;
    }

    /** Bytes held by the array. */
    public long footprintBytes() {
        return 16L + 8L * tree.length;
    }

    private static void checkWeight(int id, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of leaf " + id + " must be finite and >= 0, got " + weight);
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= size) throw new IndexOutOfBoundsException("leaf " + id + " not in [0, " + size + ")");
    }
}
