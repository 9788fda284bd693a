package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RIAC — Robust Intelligent Adaptive Curiosity (Baranes and Oudeyer 2009, "R-IAC: Robust
 * Intrinsically Motivated Exploration and Active Learning", IEEE TAMD), with the "minor
 * improvements" of flowersteam/teachDeepRL {@code teachers/algos/riac.py}; specification
 * {@code shared/algorithms/alp-gmm-family.md} §3.
 *
 * <pre>
 *   regions   a binary tree of axis-aligned boxes (bounds inclusive); each holds a FIFO of the
 *             last maxRegionSize + 1 (reward, task) pairs that fell in it, and an ALP
 *   alp(R)    m ≤ 2 → 0; else w = min(m, alpWindow), h = ⌊w/2⌋,
 *             |mean(rewards[m−w .. m−h−1]) − mean(rewards[m−h .. m−1])|
 *   observe   push (r, p) into every region containing p (children first); a leaf holding
 *             > maxRegionSize pairs splits; then the ALP of every visited region is recomputed
 *   split     nbSplitAttempts random (dim, threshold) cuts, each retried until both children get
 *             ≥ minRegionSize pairs; a cut is valid when every extent of both children is
 *             ≥ minDimsRangeRatio × the box range; keep the valid cut with the largest |ΔALP|
 *             (ties → later); no valid cut → drop the oldest ⌊maxRegionSize·discardRatio⌋ pairs
 *   propose   u &lt; 0.1: mutate the lowest-reward task of a region ∝ ALP by N(0, 0.1²), clip inside it
 *             u &lt; 0.3: uniform in the box
 *             else:    a region ∝ ALP (every node, parents too; uniform if all 0), uniform inside it
 * </pre>
 * Choices [INF]: the split score is |ΔALP| (the reference's 4·|ΔALP|, same order); new children
 * take the ALP of the chosen cut (the reference keeps the last attempt's); the retry loop of a
 * cut is capped at {@code maxSplitRetries} (the reference may loop forever on identical points).
 * When two overflowing leaves share p (p on a split plane), the first in creation order splits
 * now and the other on its next visit. The mutation σ is in task units, as in the reference.
 *
 * <p>Storage: per-region primitive arrays (bounds, children, ALP, FIFO ring of rewards and tasks).
 * The minimum extent bounds the tree: at most (1/minDimsRangeRatio)^d leaves.
 */
public final class Riac implements ContinuousTeacher {
    /** Mutated tasks stay this far inside their region [CODE]. */
    private static final double INSIDE = 1e-5;

    /**
     * @param maxRegionSize a leaf splits when it holds more pairs (200 [CODE teachDeepRL]; TMA CLI 150)
     * @param alpWindow rewards used for a region's ALP (= maxRegionSize [CODE])
     * @param splitAttempts random candidate cuts per split (50 [CODE]; TMA CLI 75)
     * @param minRegionSize pairs each child must get (maxRegionSize / 20 = 10 [CODE])
     * @param minDimsRangeRatio least child extent per dim, as a share of the box range (1/15 [CODE]; TMA 1/6, CLI 0.1)
     * @param discardRatio share of maxRegionSize dropped (oldest) after a failed split (1/4 [CODE])
     * @param mutateShare probability of mode 3, mutating a region's worst task (0.1 [CODE])
     * @param randomShare probability of mode 2, uniform in the box (0.2 [CODE])
     * @param mutationStd σ of the mutation, in task units (0.1 [CODE])
     * @param maxSplitRetries draws per cut before it counts as invalid (1000 [INF])
     */
    public record Params(int maxRegionSize, int alpWindow, int splitAttempts, int minRegionSize, double minDimsRangeRatio,
                         double discardRatio, double mutateShare, double randomShare, double mutationStd, int maxSplitRetries)
            implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(200, 200, 50, 10, 1.0 / 15, 0.25, 0.1, 0.2, 0.1, 1000);

        public Params {
            if (maxRegionSize < 2) throw new IllegalArgumentException("maxRegionSize must be >= 2, got " + maxRegionSize);
            if (alpWindow < 1) throw new IllegalArgumentException("alpWindow must be >= 1, got " + alpWindow);
            if (splitAttempts < 1) throw new IllegalArgumentException("splitAttempts must be >= 1, got " + splitAttempts);
            if (minRegionSize < 1 || 2 * minRegionSize > maxRegionSize + 1) {
                throw new IllegalArgumentException("minRegionSize must be in [1, (maxRegionSize + 1) / 2], got " + minRegionSize);
            }
            if (!(minDimsRangeRatio > 0 && minDimsRangeRatio < 0.5)) {
                throw new IllegalArgumentException("minDimsRangeRatio must be in (0, 0.5), got " + minDimsRangeRatio);
            }
            if (!(discardRatio >= 0 && discardRatio <= 1)) throw new IllegalArgumentException("discardRatio must be in [0, 1], got " + discardRatio);
            if (!(mutateShare >= 0 && randomShare >= 0 && mutateShare + randomShare <= 1)) {
                throw new IllegalArgumentException("mutateShare and randomShare must be >= 0 with a sum <= 1, got " + mutateShare + " and " + randomShare);
            }
            if (!(mutationStd >= 0) || !Double.isFinite(mutationStd)) throw new IllegalArgumentException("mutationStd must be >= 0, got " + mutationStd);
            if (maxSplitRetries < 1) throw new IllegalArgumentException("maxSplitRetries must be >= 1, got " + maxSplitRetries);
        }

        @Override
        public String type() {
            return "riac";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new Riac(this, space, rng);
        }
    }

    private final Params params;
    private final ParameterSpace space;
    private final Rng rng;
    private final int d;
    /** FIFO capacity: maxRegionSize + 1. */
    private final int fifoCap;

    private int nodes;
    private double[] low = new double[0];
    private double[] high = new double[0];
    private int[] left = new int[0];
    private int[] right = new int[0];
    private double[] alp = new double[0];
    private double[][] fifoReward = new double[0][];
    private double[][] fifoTask = new double[0][];
    private int[] fifoStart = new int[0];
    private int[] fifoSize = new int[0];
    private long episodes;

    // scratch, reused by observe/split
    private int[] visited = new int[16];
    private int visitedCount;
    private int toSplit;
    private final double[] childReward1;
    private final double[] childReward2;
    private final boolean[] side;

    public Riac(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.space = space;
        this.rng = rng;
        this.d = space.dims();
        this.fifoCap = params.maxRegionSize() + 1;
        this.childReward1 = new double[fifoCap];
        this.childReward2 = new double[fifoCap];
        this.side = new boolean[fifoCap];
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int a = 0; a < d; a++) {
            lo[a] = space.low(a);
            hi[a] = space.high(a);
        }
        addNode(lo, 0, hi, 0);
    }

    /** Regions in the tree (parents included). */
    public int regions() {
        return nodes;
    }

    public double regionAlp(int node) {
        return alp[node];
    }

    public double regionLow(int node, int dim) {
        return low[node * d + dim];
    }

    public double regionHigh(int node, int dim) {
        return high[node * d + dim];
    }

    public int regionSize(int node) {
        return fifoSize[node];
    }

    /** Child 1 (low side) of a region, or -1 for a leaf. */
    public int lowChild(int node) {
        return left[node];
    }

    public int highChild(int node) {
        return right[node];
    }

    private int addNode(double[] lo, int loOff, double[] hi, int hiOff) {
        int n = nodes;
        if (n == left.length) {
            int cap = Math.max(4, 2 * n);
            low = Arrays.copyOf(low, cap * d);
            high = Arrays.copyOf(high, cap * d);
            left = Arrays.copyOf(left, cap);
            right = Arrays.copyOf(right, cap);
            alp = Arrays.copyOf(alp, cap);
            fifoReward = Arrays.copyOf(fifoReward, cap);
            fifoTask = Arrays.copyOf(fifoTask, cap);
            fifoStart = Arrays.copyOf(fifoStart, cap);
            fifoSize = Arrays.copyOf(fifoSize, cap);
        }
        System.arraycopy(lo, loOff, low, n * d, d);
        System.arraycopy(hi, hiOff, high, n * d, d);
        left[n] = -1;
        right[n] = -1;
        alp[n] = 0;
        fifoReward[n] = new double[fifoCap];
        fifoTask[n] = new double[fifoCap * d];
        fifoStart[n] = 0;
        fifoSize[n] = 0;
        nodes++;
        return n;
    }

    private boolean contains(int node, double[] p) {
        int o = node * d;
        for (int a = 0; a < d; a++) if (p[a] < low[o + a] || p[a] > high[o + a]) return false;
        return true;
    }

    private void push(int node, double r, double[] p) {
        int cap = fifoCap;
        int slot;
        if (fifoSize[node] < cap) {
            slot = fifoStart[node] + fifoSize[node];
            if (slot >= cap) slot -= cap;
            fifoSize[node]++;
        } else {
            slot = fifoStart[node];
            fifoStart[node] = slot + 1 == cap ? 0 : slot + 1;
        }
        fifoReward[node][slot] = r;
        System.arraycopy(p, 0, fifoTask[node], slot * d, d);
    }

    /** Storage slot of the i-th oldest pair of a region. */
    private int slot(int node, int i) {
        int s = fifoStart[node] + i;
        return s >= fifoCap ? s - fifoCap : s;
    }

    /** The region ALP of the last min(m, alpWindow) rewards (class comment). */
    static double alpOf(double[] rewards, int start, int m, int cap, int window) {
        if (m <= 2) return 0.0;
        int w = Math.min(m, window);
        int h = w / 2;
        double older = 0;
        for (int i = m - w; i < m - h; i++) older += rewards[(start + i) % cap];
        double recent = 0;
        for (int i = m - h; i < m; i++) recent += rewards[(start + i) % cap];
        return Math.abs(older / (w - h) - recent / h);
    }

    private double nodeAlp(int node) {
        return alpOf(fifoReward[node], fifoStart[node], fifoSize[node], fifoCap, params.alpWindow());
    }

    @Override
    public void observe(double[] task, double reward) {
        visitedCount = 0;
        toSplit = -1;
        visit(0, task, reward);
        if (toSplit >= 0) split(toSplit);
        for (int i = 0; i < visitedCount; i++) alp[visited[i]] = nodeAlp(visited[i]);
        episodes++;
    }

    private void visit(int node, double[] p, double r) {
        if (!contains(node, p)) return;
        if (visitedCount == visited.length) visited = Arrays.copyOf(visited, 2 * visited.length);
        visited[visitedCount++] = node;
        if (left[node] >= 0) {
            visit(left[node], p, r);
            visit(right[node], p, r);
        }
        push(node, r, p);
        if (left[node] < 0 && fifoSize[node] > params.maxRegionSize() && toSplit < 0) toSplit = node;
    }

    private void split(int node) {
        int m = fifoSize[node];
        int o = node * d;
        double[] tasks = fifoTask[node];
        boolean found = false;
        double best = 0;
        int bestDim = -1;
        double bestThr = 0;
        double bestAlp1 = 0;
        double bestAlp2 = 0;
        for (int attempt = 0; attempt < params.splitAttempts(); attempt++) {
            int dim = -1;
            double thr = 0;
            int n1 = 0;
            boolean enough = false;
            for (int retry = 0; retry < params.maxSplitRetries(); retry++) {
                dim = rng.nextInt(d);
                thr = low[o + dim] + rng.nextDouble() * (high[o + dim] - low[o + dim]);
                n1 = 0;
                for (int i = 0; i < m; i++) if (tasks[slot(node, i) * d + dim] <= thr) n1++;
                if (n1 >= params.minRegionSize() && m - n1 >= params.minRegionSize()) {
                    enough = true;
                    break;
                }
            }
            if (!enough) continue;
            boolean valid = true;
            for (int a = 0; a < d && valid; a++) {
                double minExtent = params.minDimsRangeRatio() * space.range(a);
                double e1 = a == dim ? thr - low[o + a] : high[o + a] - low[o + a];
                double e2 = a == dim ? high[o + a] - thr : high[o + a] - low[o + a];
                valid = e1 >= minExtent && e2 >= minExtent;
            }
            int c1 = 0;
            int c2 = 0;
            for (int i = 0; i < m; i++) {
                int s = slot(node, i);
                if (tasks[s * d + dim] <= thr) childReward1[c1++] = fifoReward[node][s];
                else childReward2[c2++] = fifoReward[node][s];
            }
            double a1 = alpOf(childReward1, 0, c1, fifoCap, params.alpWindow());
            double a2 = alpOf(childReward2, 0, c2, fifoCap, params.alpWindow());
            double score = Math.abs(a1 - a2);
            if (valid && score >= best) {
                best = score;
                found = true;
                bestDim = dim;
                bestThr = thr;
                bestAlp1 = a1;
                bestAlp2 = a2;
            }
        }
        if (!found) {
            int drop = Math.min(m, (int) Math.floor(params.maxRegionSize() * params.discardRatio()));
            fifoStart[node] = slot(node, drop);
            fifoSize[node] = m - drop;
            if (fifoSize[node] == 0) fifoStart[node] = 0;
            return;
        }
        double[] lo = Arrays.copyOfRange(low, o, o + d);
        double[] hi = Arrays.copyOfRange(high, o, o + d);
        double[] hi1 = hi.clone();
        hi1[bestDim] = bestThr;
        double[] lo2 = lo.clone();
        lo2[bestDim] = bestThr;
        int c1 = addNode(lo, 0, hi1, 0);
        int c2 = addNode(lo2, 0, hi, 0);
        double[] p = new double[d];
        for (int i = 0; i < m; i++) {
            int s = slot(node, i);
            System.arraycopy(fifoTask[node], s * d, p, 0, d);
            push(p[bestDim] <= bestThr ? c1 : c2, fifoReward[node][s], p);
        }
        alp[c1] = bestAlp1;
        alp[c2] = bestAlp2;
        left[node] = c1;
        right[node] = c2;
    }

    @Override
    public void propose(double[] out) {
        double u = rng.nextDouble();
        if (u < params.mutateShare()) {
            if (fifoSize[0] == 0) {
                space.uniform(rng, out);
                return;
            }
            int j = GaussianMixture.pickProportional(alp, nodes, rng);
            int o = j * d;
            if (fifoSize[j] == 0) {
                uniformIn(j, out);
                return;
            }
            int worst = slot(j, 0);
            for (int i = 1; i < fifoSize[j]; i++) {
                int s = slot(j, i);
                if (fifoReward[j][s] < fifoReward[j][worst]) worst = s;
            }
            for (int a = 0; a < d; a++) {
                double v = fifoTask[j][worst * d + a] + params.mutationStd() * rng.nextGaussian();
                double lo = low[o + a] + INSIDE;
                double hi = high[o + a] - INSIDE;
                out[a] = lo <= hi ? Math.min(hi, Math.max(lo, v)) : 0.5 * (low[o + a] + high[o + a]);
            }
        } else if (u < params.mutateShare() + params.randomShare()) {
            space.uniform(rng, out);
        } else {
            uniformIn(GaussianMixture.pickProportional(alp, nodes, rng), out);
        }
    }

    private void uniformIn(int node, double[] out) {
        int o = node * d;
        for (int a = 0; a < d; a++) out[a] = low[o + a] + rng.nextDouble() * (high[o + a] - low[o + a]);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("episodes", (double) episodes);
        m.put("regions", (double) nodes);
        int leaves = 0;
        double maxAlp = 0;
        for (int i = 0; i < nodes; i++) {
            if (left[i] < 0) leaves++;
            maxAlp = Math.max(maxAlp, alp[i]);
        }
        m.put("leaves", (double) leaves);
        m.put("maxRegionAlp", maxAlp);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        w.writeLong(episodes);
        w.writeInt(nodes);
        for (int n = 0; n < nodes; n++) {
            for (int a = 0; a < d; a++) {
                w.writeDouble(low[n * d + a]);
                w.writeDouble(high[n * d + a]);
            }
            w.writeInt(left[n]);
            w.writeInt(right[n]);
            w.writeDouble(alp[n]);
            w.writeInt(fifoSize[n]);
            for (int i = 0; i < fifoSize[n]; i++) {
                int s = slot(n, i);
                w.writeDouble(fifoReward[n][s]);
                for (int a = 0; a < d; a++) w.writeDouble(fifoTask[n][s * d + a]);
            }
        }
    }

    @Override
    public void readState(SnapshotReader r) {
        episodes = r.readLong();
        int count = r.readInt();
        if (count < 1) throw new IllegalArgumentException("corrupt snapshot: RIAC tree with " + count + " regions");
        nodes = 0;
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int n = 0; n < count; n++) {
            for (int a = 0; a < d; a++) {
                lo[a] = r.readDouble();
                hi[a] = r.readDouble();
            }
            addNode(lo, 0, hi, 0);
            left[n] = r.readInt();
            right[n] = r.readInt();
            if (left[n] >= count || right[n] >= count || (left[n] < 0) != (right[n] < 0)) {
                throw new IllegalArgumentException("corrupt snapshot: RIAC region " + n + " has children " + left[n] + ", " + right[n]);
            }
            alp[n] = r.readDouble();
            int size = r.readInt();
            if (size < 0 || size > fifoCap) throw new IllegalArgumentException("corrupt snapshot: RIAC region of " + size + " pairs");
            for (int i = 0; i < size; i++) {
                fifoReward[n][i] = r.readDouble();
                for (int a = 0; a < d; a++) fifoTask[n][i * d + a] = r.readDouble();
            }
            fifoSize[n] = size;
        }
    }
}
