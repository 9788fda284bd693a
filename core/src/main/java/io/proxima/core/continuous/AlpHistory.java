package io.proxima.core.continuous;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * Absolute learning progress of an episode against its nearest earlier task (ALP-GMM, spec §1.2):
 *
 * <pre>
 *   alp(p, r) = 0                     while the history holds ≤ {@link #MIN_HISTORY} pairs
 *             = |r − r_j|,  j = argmin_j ‖p − p_j‖₂   (exact 1-NN, raw task units, oldest on ties)
 *   then (p, r) is appended — after the query
 * </pre>
 * [CODE teachDeepRL teachers/algos/alp_gmm.py, teachers/utils/dataset.py].
 *
 * <p><b>Bounded window [INF].</b> The reference keeps every pair (kd-trees). Here the history is a
 * sliding window of the last {@code capacity} pairs searched linearly: O(capacity·d) per episode,
 * memory and snapshot bounded. The reference's own {@code alp_max_size} option is the same idea
 * (its window fluctuates by its 500-pair buffer). Storage is a ring of primitive columns that grows
 * by doubling up to the capacity.
 */
public final class AlpHistory {
    /** The ALP is 0 until the history holds strictly more than this many pairs [CODE]. */
    public static final int MIN_HISTORY = 5;

    private final int dims;
    private final int capacity;
    private double[] tasks;
    private double[] rewards;
    private int size;
    /** Slot of the next write once the ring is full (== oldest pair). */
    private int head;
    /** Scratch of the k-nearest median (no allocation per episode). */
    private int[] nearSlots;
    private double[] nearDist;
    private double[] nearDiff;

    public AlpHistory(int dims, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.dims = dims;
        this.capacity = capacity;
        int initial = Math.min(capacity, 256);
        this.tasks = new double[initial * dims];
        this.rewards = new double[initial];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** The ALP of (p, r) against the history, then appends (p, r). */
    public double alpAndAdd(double[] p, double r) {
        return alpAndAdd(p, r, null);
    }

    /**
     * As {@link #alpAndAdd(double[], double)} with the nearest neighbour under the weighted distance
     * Σ_a weight[a]·(p_a − q_a)² ({@code weight} null: all 1).
     */
    public double alpAndAdd(double[] p, double r, double[] weight) {
        double alp = 0;
        if (size > MIN_HISTORY) {
            int j = nearest(p, weight);
            alp = Math.abs(r - rewards[j]);
        }
        add(p, r);
        return alp;
    }

    /**
     * As {@link #alpAndAdd(double[], double, double[])} with the median of |r − r_j| over the
     * {@code k} nearest pairs instead of the nearest one (k = 1: the nearest neighbour; the m =
     * min(k, size) held pairs if fewer; an even m takes the mean of the two middle differences).
     */
    public double alpAndAdd(double[] p, double r, double[] weight, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (k == 1) return alpAndAdd(p, r, weight);
        double alp = 0;
        if (size > MIN_HISTORY) {
            int m = Math.min(k, size);
            if (nearSlots == null || nearSlots.length != m) {
                nearSlots = new int[m];
                nearDist = new double[m];
                nearDiff = new double[m];
            }
            nearest(p, weight, nearSlots, nearDist);
            for (int i = 0; i < m; i++) nearDiff[i] = Math.abs(r - rewards[nearSlots[i]]);
            Arrays.sort(nearDiff);
            alp = (m & 1) == 1 ? nearDiff[m / 2] : 0.5 * (nearDiff[m / 2 - 1] + nearDiff[m / 2]);
        }
        add(p, r);
        return alp;
    }

    /** Scratch of the single-nearest query (a teacher is single-threaded). */
    private final int[] one = new int[1];
    private final double[] oneDist = new double[1];

    /** Fills {@code out} with the slots of the out.length (≤ size) nearest pairs, nearest first (oldest first on ties); {@code dist} is scratch. */
    void nearest(double[] p, double[] weight, int[] out, double[] dist) {
        int m = out.length;
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(out, -1);
        int start = size < capacity ? 0 : head;
        for (int s = 0; s < size; s++) {
            int slot = start + s;
            if (slot >= size) slot -= size;
            int off = slot * dims;
            double d = 0;
            for (int a = 0; a < dims; a++) {
                double t = p[a] - tasks[off + a];
                d += weight == null ? t * t : weight[a] * t * t;
            }
            if (!(d < dist[m - 1])) continue;
            int i = m - 1;
            while (i > 0 && d < dist[i - 1]) {
                dist[i] = dist[i - 1];
                out[i] = out[i - 1];
                i--;
            }
            dist[i] = d;
            out[i] = slot;
        }
    }

    /** Storage slot of the exact nearest neighbour; scanning oldest → newest, strict &lt; keeps the oldest on ties. */
    int nearest(double[] p) {
        return nearest(p, null);
    }

    int nearest(double[] p, double[] weight) {
        if (size == 0) return -1;
        nearest(p, weight, one, oneDist);
        return one[0];
    }

    private void add(double[] p, double r) {
        int slot;
        if (size < capacity) {
            if (size == rewards.length) {
                int cap = Math.min(capacity, rewards.length * 2);
                tasks = Arrays.copyOf(tasks, cap * dims);
                rewards = Arrays.copyOf(rewards, cap);
            }
            slot = size++;
        } else {
            slot = head;
            head = head + 1 == capacity ? 0 : head + 1;
        }
        System.arraycopy(p, 0, tasks, slot * dims, dims);
        rewards[slot] = r;
    }

    /** Written oldest → newest, so equal histories give equal bytes whatever the ring's phase. */
    public void write(SnapshotWriter w) {
        w.writeInt(size);
        int start = size < capacity ? 0 : head;
        for (int s = 0; s < size; s++) {
            int slot = (start + s) % size;
            for (int a = 0; a < dims; a++) w.writeDouble(tasks[slot * dims + a]);
            w.writeDouble(rewards[slot]);
        }
    }

    public void read(SnapshotReader r) {
        int n = r.readInt();
        if (n < 0 || n > capacity) throw new IllegalArgumentException("corrupt snapshot: ALP history of " + n + " pairs (capacity " + capacity + ")");
        int cap = Math.max(Math.min(capacity, 256), n);
        tasks = new double[cap * dims];
        rewards = new double[cap];
        for (int s = 0; s < n; s++) {
            for (int a = 0; a < dims; a++) tasks[s * dims + a] = r.readDouble();
            rewards[s] = r.readDouble();
        }
        size = n;
        head = 0;
    }
}
