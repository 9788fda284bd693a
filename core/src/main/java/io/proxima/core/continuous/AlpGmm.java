package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ALP-GMM — Absolute Learning Progress Gaussian Mixture Model (Portelas, Colas, Hofmann and
 * Oudeyer, "Teacher algorithms for curriculum learning of Deep RL in continuously parameterized
 * environments", CoRL 2019, arXiv:1910.07224). Reference code: flowersteam/teachDeepRL
 * {@code teachers/algos/alp_gmm.py}; specification {@code shared/algorithms/alp-gmm-family.md} §1.
 *
 * <pre>
 *   observe(p, r):  alp = |r − r_NN(p)|  (0 for the first 6 episodes; {@link AlpHistory})
 *                   X ← X + [p, alp];  n ← n + 1
 *                   if n ≥ bootstrap and n mod fitRate = 0:
 *                       W = the last fitRate rows of X;  gmm = argmin_k AIC(EM_k(W)), k ∈ [minK, maxK]
 *   propose():      if n &lt; bootstrap or gmm = ∅ or U &lt; randomTaskRatio: uniform in the box
 *                   j ~ a_j / Σ a,  a_j = μ_j[D−1] (the component's mean ALP; uniform if Σ a = 0;
 *                                                    the mixture weights π_j are NOT used)
 *                   x ~ N(μ_j, Σ_j);  p = clip(x[0 .. d), box)
 * </pre>
 * Task coordinates are raw units (not normalised), as in the reference. Rows of the fit window
 * live in a ring of {@code fitRate} rows: at a fit, n is a multiple of fitRate, so the ring is in
 * chronological order. A refit costs O(fitRate·k·D²) per EM iteration, bounded by the window.
 * Each fit's k-means seeding draws from the curriculum's generator (the reference reseeds every
 * fit with the teacher seed; statistically equivalent).
 */
public final class AlpGmm implements ContinuousTeacher {
    /**
     * @param fitRate episodes between two fits, also the fit window (250 [CODE teachDeepRL]; TMA CLI 150)
     * @param bootstrap uniform episodes before the first fit, ≥ fitRate (= fitRate [CODE])
     * @param randomTaskRatio probability of a uniform task after the bootstrap (0.2 [CODE]; TMA CLI 0.05)
     * @param alpMaxSize pairs kept for the nearest-neighbour ALP (20000 [INF]; reference unbounded)
     * @param em mixture fitting: k ∈ [2, 10], AIC, 1 init, sklearn's tol/reg/max_iter [CODE]
     */
    public record Params(int fitRate, int bootstrap, double randomTaskRatio, int alpMaxSize, GaussianMixture.Params em)
            implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(250, 250, 0.2, 20_000, GaussianMixture.Params.DEFAULTS);

        public Params {
            GmmFitWindow.checkSchedule(fitRate, bootstrap, randomTaskRatio);
            if (alpMaxSize < AlpHistory.MIN_HISTORY + 1) {
                throw new IllegalArgumentException("alpMaxSize must be >= " + (AlpHistory.MIN_HISTORY + 1) + ", got " + alpMaxSize);
            }
            if (em == null) throw new IllegalArgumentException("em parameters are missing");
        }

        @Override
        public String type() {
            return "alp-gmm";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new AlpGmm(this, space, rng);
        }
    }

    private final Params params;
    private final int d;
    /** Row width D = d + 1: the task then its ALP. */
    private final int width;
    private final AlpHistory history;
    private final GmmFitWindow fit;
    private double lastAlp;

    public AlpGmm(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.d = space.dims();
        this.width = d + 1;
        this.history = new AlpHistory(d, params.alpMaxSize());
        this.fit = GmmFitWindow.overAlp(params.fitRate(), params.bootstrap(), params.randomTaskRatio(), params.em(), space, rng);
    }

    /** The current mixture over [task, ALP], or null before the first fit. */
    public GaussianMixture mixture() {
        return fit.mixture();
    }

    public long episodes() {
        return fit.episodes();
    }

    @Override
    public void propose(double[] out) {
        fit.propose(out);
    }

    @Override
    public void observe(double[] task, double reward) {
        double alp = history.alpAndAdd(task, reward);
        lastAlp = alp;
        fit.add(task, alp);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        fit.view(m);
        m.put("lastAlp", lastAlp);
        double meanAlp = 0;
        int rows = fit.rowsHeld();
        double[] window = fit.rows();
        for (int i = 0; i < rows; i++) meanAlp += window[i * width + d];
        m.put("windowMeanAlp", rows == 0 ? Double.NaN : meanAlp / rows);
        m.put("historySize", (double) history.size());
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        fit.writeCounts(w);
        w.writeDouble(lastAlp);
        history.write(w);
        fit.writeFit(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        fit.readCounts(r);
        lastAlp = r.readDouble();
        history.read(r);
        fit.readFit(r, "ALP-GMM");
    }
}
