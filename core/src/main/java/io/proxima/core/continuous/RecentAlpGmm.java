package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent ALP-GMM — Proxima's own variant of ALP-GMM (Portelas, Colas, Hofmann and Oudeyer, CoRL
 * 2019, arXiv:1910.07224; see {@link AlpGmm}) with three changes, each measured in docs/lab.md
 * ("A continuous teacher of our own"):
 *
 * <pre>
 *   alp(p, r) = median over j ∈ N_k(p) of |r − r_j|,   k = alpNeighbours (11; 1 = ALP-GMM's nearest neighbour)
 *               N_k(p) = the k nearest of the last alpWindow pairs under Σ_a w_a·((p_a − q_a)/range_a)²
 *               (0 while ≤ 5 pairs are held; all held pairs while fewer than k)
 *   relevance at each fit, from the fitRate rows (task p, return r) of the window, per dimension a:
 *     η²_a = Σ_b n_b (r̄_b − r̄)² / Σ_i (r_i − r̄)²      (correlation ratio of r over B = 5 equal bins of a)
 *     w_a  = max(0, η²_a − (B−1)/(n−1)) / max_a'(…)       (all 1 before the first fit, when r is
 *                                                         constant, or when no dimension clears the chance level)
 *   the rest is ALP-GMM: rows [p, alp], a GMM (k ∈ [2, 10] by AIC) refit every fitRate episodes on
 *   the last fitRate rows; propose from component j ~ mean ALP_j, or uniform (randomTaskRatio)
 * </pre>
 * <b>Recent window.</b> ALP-GMM compares a return with its nearest neighbour in the whole history,
 * so a task mastered long ago still sees the low return it had while it was learned and keeps a high
 * ALP; against the last {@code alpWindow} pairs its neighbour is recent and the ALP falls to the
 * noise once the return stops moving. <b>Median of the k nearest.</b> Where the return jumps in
 * space (a mastered region next to an unlearnable one, a mastered cube next to a locked one), a
 * single nearest neighbour across the jump gives a task the size of the jump as its ALP; the
 * median over k neighbours is what most of them agree on, so one or a few neighbours across the
 * jump (or one noisy return) no longer decide it, while a task being learned still sees its own
 * older, lower returns in most of its neighbours. It does not remove the jump for tasks with half
 * their neighbours across it (docs/lab.md measures both). <b>Relevance.</b> In a box with dimensions the learner
 * ignores, the unweighted nearest neighbour is close in the useless dimensions only; the
 * correlation ratio (Pearson 1905; chance level (B−1)/(n−1) for n draws in B bins) tells which
 * dimensions the return depends on, and the distance keeps those. The chance correction and the
 * bins are our choice [INF].
 */
public final class RecentAlpGmm implements ContinuousTeacher {
    /** Equal-width bins of a dimension for its correlation ratio. */
    static final int RELEVANCE_BINS = 5;

    /**
     * @param fitRate episodes between two fits, also the fit window (250, as ALP-GMM)
     * @param bootstrap uniform episodes before the first fit, ≥ fitRate (= fitRate)
     * @param randomTaskRatio probability of a uniform task after the bootstrap (0.2, as ALP-GMM)
     * @param alpWindow recent pairs searched for the nearest neighbour (200; measured, docs/lab.md)
     * @param relevance weight the distance by each dimension's learned relevance (true)
     * @param alpNeighbours odd k: the ALP is the median difference to the k nearest pairs (11; 1 = the nearest, as ALP-GMM; measured, docs/lab.md)
     * @param em mixture fitting (k ∈ [2, 10], AIC, as ALP-GMM)
     */
    public record Params(int fitRate, int bootstrap, double randomTaskRatio, int alpWindow, boolean relevance, int alpNeighbours,
                         GaussianMixture.Params em) implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(250, 250, 0.2, 200, true, 11, GaussianMixture.Params.DEFAULTS);

        public Params {
            GmmFitWindow.checkSchedule(fitRate, bootstrap, randomTaskRatio);
            if (alpWindow < AlpHistory.MIN_HISTORY + 1) {
                throw new IllegalArgumentException("alpWindow must be >= " + (AlpHistory.MIN_HISTORY + 1) + ", got " + alpWindow);
            }
            if (alpNeighbours < 1 || alpNeighbours % 2 == 0) throw new IllegalArgumentException("alpNeighbours must be an odd number >= 1, got " + alpNeighbours);
            if (alpNeighbours > alpWindow) throw new IllegalArgumentException("alpNeighbours must be <= alpWindow (" + alpWindow + "), got " + alpNeighbours);
            if (em == null) throw new IllegalArgumentException("em parameters are missing");
        }

        @Override
        public String type() {
            return "recent-alp-gmm";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new RecentAlpGmm(this, space, rng);
        }
    }

    private final Params params;
    private final ParameterSpace space;
    private final int d;
    /** Row width D = d + 1: the task then its ALP. */
    private final int width;
    private final AlpHistory history;
    private final GmmFitWindow fit;
    /** The return of each row of the fit window (same ring slots). */
    private final double[] returns;
    /** Relevance w_a of each dimension, in [0, 1]. */
    private final double[] relevance;
    /** w_a / range_a²: the distance weights handed to the history. */
    private final double[] distanceWeight;
    private double lastAlp;

    public RecentAlpGmm(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.space = space;
        this.d = space.dims();
        this.width = d + 1;
        this.history = new AlpHistory(d, params.alpWindow());
        this.fit = GmmFitWindow.overAlp(params.fitRate(), params.bootstrap(), params.randomTaskRatio(), params.em(), space, rng);
        this.returns = new double[params.fitRate()];
        this.relevance = new double[d];
        this.distanceWeight = new double[d];
        Arrays.fill(relevance, 1.0);
        updateDistanceWeights();
    }

    /** The current mixture over [task, ALP], or null before the first fit. */
    public GaussianMixture mixture() {
        return fit.mixture();
    }

    /** A copy of the relevance of each dimension, in [0, 1]. */
    public double[] relevance() {
        return relevance.clone();
    }

    @Override
    public void propose(double[] out) {
        fit.propose(out);
    }

    @Override
    public void observe(double[] task, double reward) {
        double alp = history.alpAndAdd(task, reward, distanceWeight, params.alpNeighbours());
        lastAlp = alp;
        returns[fit.slot()] = reward;
        boolean refit = fit.add(task, alp);
        if (refit && params.relevance()) {
            relevanceOf(fit.rows(), returns, params.fitRate(), width, space, relevance);
            updateDistanceWeights();
        }
    }

    /**
     * Writes into {@code out} the chance-corrected correlation ratio of the returns over each
     * dimension, scaled so the largest is 1 (all 1 if the returns are constant or none clears chance).
     */
    static void relevanceOf(double[] rows, double[] returns, int n, int width, ParameterSpace space, double[] out) {
        int d = space.dims();
        double mean = 0;
        for (int i = 0; i < n; i++) mean += returns[i];
        mean /= n;
        double total = 0;
        for (int i = 0; i < n; i++) total += (returns[i] - mean) * (returns[i] - mean);
        double chance = (RELEVANCE_BINS - 1.0) / (n - 1.0);
        double[] sum = new double[RELEVANCE_BINS];
        int[] count = new int[RELEVANCE_BINS];
        double best = 0;
        for (int a = 0; a < d; a++) {
            out[a] = 0;
            if (!(total > 0)) continue;
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            double lo = space.low(a);
            double range = space.range(a);
            for (int i = 0; i < n; i++) {
                int b = (int) ((rows[i * width + a] - lo) / range * RELEVANCE_BINS);
                b = Math.max(0, Math.min(RELEVANCE_BINS - 1, b));
                sum[b] += returns[i];
                count[b]++;
            }
            double between = 0;
            for (int b = 0; b < RELEVANCE_BINS; b++) {
                if (count[b] > 0) {
                    double m = sum[b] / count[b];
                    between += count[b] * (m - mean) * (m - mean);
                }
            }
            out[a] = Math.max(0, between / total - chance);
            best = Math.max(best, out[a]);
        }
        for (int a = 0; a < d; a++) out[a] = best > 0 ? out[a] / best : 1.0;
    }

    private void updateDistanceWeights() {
        for (int a = 0; a < d; a++) {
            double range = space.range(a);
            distanceWeight[a] = relevance[a] / (range * range);
        }
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        fit.view(m);
        m.put("lastAlp", lastAlp);
        m.put("historySize", (double) history.size());
        int relevant = 0;
        for (double w : relevance) if (w >= 0.5) relevant++;
        m.put("relevantDims", (double) relevant);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        fit.writeCounts(w);
        w.writeDouble(lastAlp);
        history.write(w);
        w.writeDoubles(returns, fit.rowsHeld());
        w.writeDoubles(relevance, d);
        fit.writeFit(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        fit.readCounts(r);
        lastAlp = r.readDouble();
        history.read(r);
        double[] ret = r.readDoubles();
        if (ret.length != fit.rowsHeld()) throw new IllegalArgumentException("corrupt snapshot: Recent ALP-GMM holds " + ret.length + " returns");
        Arrays.fill(returns, 0);
        System.arraycopy(ret, 0, returns, 0, ret.length);
        double[] rel = r.readDoubles();
        if (rel.length != d) throw new IllegalArgumentException("corrupt snapshot: Recent ALP-GMM relevance of " + rel.length + " dimensions");
        for (double w : rel) {
            if (!(w >= 0 && w <= 1)) throw new IllegalArgumentException("corrupt snapshot: Recent ALP-GMM relevance " + w + " outside [0, 1]");
        }
        System.arraycopy(rel, 0, relevance, 0, d);
        updateDistanceWeights();
        fit.readFit(r, "Recent ALP-GMM");
    }
}
