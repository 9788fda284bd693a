package io.proxima.core.sample;

import java.util.Arrays;

/**
 * Tasks ordered by a float key (descending; ties by ascending task id), with the k-th task and a
 * task's rank in O(log n) expected. Several trees (one per group) can share one instance: each has
 * its own root, and a task belongs to at most one tree.
 *
 * <p>A treap in primitive columns indexed by task id: {@code left[t]}, {@code right[t]},
 * {@code size[t]} (subtree size; 0 = not in any tree) — 12 bytes a task. Heap priorities are a
 * hash of the task id, so no random state is needed and the shape is a function of the contents:
 * the same inserts and removes in any order give the same tree.
 */
public final class OrderStatisticTree {
    private static final int NIL = -1;
    private int[] left = new int[16];
    private int[] right = new int[16];
    private int[] size = new int[16];
    private float[] key = new float[16];
    /** Optional: a weight per task and its subtree sums, for draws in proportion to weight. */
    private final boolean weighted;
    private double[] weight = new double[0];
    private double[] weightSum = new double[0];

    public OrderStatisticTree() {
        this(false);
    }

    /** With {@code weighted}, each task carries a weight and {@link #sampleByWeight} is available (16 more bytes a task). */
    public OrderStatisticTree(boolean weighted) {
        this.weighted = weighted;
        if (weighted) {
            weight = new double[16];
            weightSum = new double[16];
        }
    }

    public void ensureCapacity(int tasks) {
        if (tasks > size.length) {
            int cap = Math.max(tasks, 2 * size.length);
            left = Arrays.copyOf(left, cap);
            right = Arrays.copyOf(right, cap);
            size = Arrays.copyOf(size, cap);
            key = Arrays.copyOf(key, cap);
            if (weighted) {
                weight = Arrays.copyOf(weight, cap);
                weightSum = Arrays.copyOf(weightSum, cap);
            }
        }
    }

    /** An empty tree's root. */
    public static int emptyRoot() {
        return NIL;
    }

    public boolean contains(int task) {
        return task < size.length && size[task] > 0;
    }

    public float key(int task) {
        return key[task];
    }

    /** Number of tasks in the tree rooted at {@code root}. */
    public int size(int root) {
        return root == NIL ? 0 : size[root];
    }

    private static int priority(int t) {
        int h = t * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    /** True when a comes before b: higher key first, then lower id. */
    private boolean before(float ka, int a, float kb, int b) {
        if (ka != kb) return ka > kb;
        return a < b;
    }

    private void update(int t) {
        size[t] = 1 + (left[t] == NIL ? 0 : size[left[t]]) + (right[t] == NIL ? 0 : size[right[t]]);
        if (weighted) {
            weightSum[t] = weight[t] + (left[t] == NIL ? 0 : weightSum[left[t]]) + (right[t] == NIL ? 0 : weightSum[right[t]]);
        }
    }

    /** Sum of the weights in the tree (weighted trees only). */
    public double totalWeight(int root) {
        return root == NIL ? 0.0 : weightSum[root];
    }

    /** Sets the weight the task gets at its next insert (weighted trees only). */
    public void setPendingWeight(int task, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("weight of task " + task + " must be finite and >= 0, got " + w);
        weight[task] = w;
    }

    /** The task at cumulative weight {@code u · total}, u in [0, 1) (weighted trees only); -1 if the total is 0. */
    public int sampleByWeight(int root, double u) {
        if (root == NIL || !(weightSum[root] > 0)) return NIL;
        double target = u * weightSum[root];
        int node = root;
        while (true) {
            double ls = left[node] == NIL ? 0 : weightSum[left[node]];
            if (target < ls && left[node] != NIL) {
                node = left[node];
            } else {
                target -= ls;
                if (target < weight[node] || right[node] == NIL || !(weightSum[right[node]] > 0)) {
                    if (weight[node] > 0) return node;
                    // rounding walked onto an empty node: take the heavier side
                    if (left[node] != NIL && weightSum[left[node]] > 0) {
                        node = left[node];
                        target = 0;
                        continue;
                    }
                    if (right[node] != NIL && weightSum[right[node]] > 0) {
                        node = right[node];
                        target = 0;
                        continue;
                    }
                    return NIL;
                }
                target -= weight[node];
                node = right[node];
            }
        }
    }

    /** Inserts {@code task} with {@code k}; returns the new root. The task must not be in a tree. */
    public int insert(int root, int task, float k) {
        if (Float.isNaN(k)) throw new IllegalArgumentException("key of task " + task + " is NaN");
        if (contains(task)) throw new IllegalStateException("task " + task + " is already in a tree");
        key[task] = k;
        left[task] = NIL;
        right[task] = NIL;
        update(task);
        return insertNode(root, task);
    }

    private int insertNode(int node, int t) {
        if (node == NIL) return t;
        if (priority(t) > priority(node)) {
            int[] lr = split(node, t);
            left[t] = lr[0];
            right[t] = lr[1];
            update(t);
            return t;
        }
        if (before(key[t], t, key[node], node)) left[node] = insertNode(left[node], t);
        else right[node] = insertNode(right[node], t);
        update(node);
        return node;
    }

    /** Splits into (nodes before t, nodes after t). */
    private int[] split(int node, int t) {
        if (node == NIL) return new int[] {NIL, NIL};
        if (before(key[node], node, key[t], t)) {
            int[] lr = split(right[node], t);
            right[node] = lr[0];
            update(node);
            return new int[] {node, lr[1]};
        }
        int[] lr = split(left[node], t);
        left[node] = lr[1];
        update(node);
        return new int[] {lr[0], node};
    }

    /** Removes {@code task}; returns the new root. */
    public int remove(int root, int task) {
        if (!contains(task)) throw new IllegalStateException("task " + task + " is not in a tree");
        int r = removeNode(root, task);
        size[task] = 0;
        return r;
    }

    private int removeNode(int node, int t) {
        if (node == NIL) throw new IllegalStateException("task " + t + " is not in this tree");
        if (node == t) return merge(left[t], right[t]);
        if (before(key[t], t, key[node], node)) left[node] = removeNode(left[node], t);
        else right[node] = removeNode(right[node], t);
        update(node);
        return node;
    }

    private int merge(int a, int b) {
        if (a == NIL) return b;
        if (b == NIL) return a;
        if (priority(a) > priority(b)) {
            right[a] = merge(right[a], b);
            update(a);
            return a;
        }
        left[b] = merge(a, left[b]);
        update(b);
        return b;
    }

    /** Changes a task's key; returns the new root. */
    public int rekey(int root, int task, float k) {
        return insert(remove(root, task), task, k);
    }

    /** The task at 0-based position {@code k} (0 = highest key). */
    public int select(int root, int k) {
        if (k < 0 || k >= size(root)) throw new IndexOutOfBoundsException("position " + k + " not in [0, " + size(root) + ")");
        int node = root;
        while (true) {
            int ls = left[node] == NIL ? 0 : size[left[node]];
            if (k < ls) {
                node = left[node];
            } else if (k == ls) {
                return node;
            } else {
                k -= ls + 1;
                node = right[node];
            }
        }
    }

    /** 0-based position of {@code task} in the tree (0 = highest key). */
    public int rank(int root, int task) {
        int r = 0;
        int node = root;
        while (node != NIL) {
            if (node == task) return r + (left[node] == NIL ? 0 : size[left[node]]);
            if (before(key[task], task, key[node], node)) {
                node = left[node];
            } else {
                r += 1 + (left[node] == NIL ? 0 : size[left[node]]);
                node = right[node];
            }
        }
        throw new IllegalStateException("task " + task + " is not in this tree");
    }

    public long footprintBytes() {
        return 6 * 16L + 4L * (left.length + right.length + size.length + key.length) + 8L * (weight.length + weightSum.length);
    }
}
