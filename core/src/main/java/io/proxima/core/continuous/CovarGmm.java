package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Covar-GMM — after Moulin-Frier, Nguyen and Oudeyer 2014 ("Self-organization of early vocal
 * development in infants and machines: the role of intrinsic motivation", Frontiers in
 * Psychology; the IGMM teacher), as re-implemented in flowersteam/teachDeepRL
 * {@code teachers/algos/covar_gmm.py}; specification {@code shared/algorithms/alp-gmm-family.md} §2.
 *
 * <pre>
 *   observe(p, r):  t = (n mod fitRate) / fitRate        (before appending: 0, 1/250, …, 249/250)
 *                   X ← X + [p, t, r];  n ← n + 1        (D = d + 2; r is the return, no ALP)
 *                   if n ≥ bootstrap and n mod fitRate = 0: gmm = argmin_k AIC(EM_k(last fitRate rows))
 *   propose():      if n &lt; bootstrap or gmm = ∅ or U &lt; randomTaskRatio: uniform in the box
 *                   c_j = Σ_j[t, r]  (raw covariance entry, row d, column d+1)
 *                   lp_j = max(0, c_j)   (absoluteLp: |c_j|)
 *                   j ~ lp_j / Σ lp (uniform if Σ lp = 0);  x ~ N(μ_j, Σ_j);  p = clip(x[0 .. d), box)
 * </pre>
 * A Gaussian whose reward rises with time inside the batch is where competence is growing.
 */
public final class CovarGmm implements ContinuousTeacher {
    /**
     * @param fitRate episodes between two fits, also the window and the time unit (250 [CODE]; TMA CLI 150)
     * @param bootstrap uniform episodes before the first fit, ≥ fitRate (= fitRate [CODE])
     * @param randomTaskRatio probability of a uniform task after the bootstrap (0.2 [CODE]; TMA CLI 0.05)
     * @param absoluteLp use |cov(t, r)| instead of max(0, cov(t, r)) (false [CODE])
     * @param em mixture fitting (k ∈ [2, 10], AIC [CODE])
     */
    public record Params(int fitRate, int bootstrap, double randomTaskRatio, boolean absoluteLp, GaussianMixture.Params em)
            implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(250, 250, 0.2, false, GaussianMixture.Params.DEFAULTS);

        public Params {
            GmmFitWindow.checkSchedule(fitRate, bootstrap, randomTaskRatio);
            if (em == null) throw new IllegalArgumentException("em parameters are missing");
        }

        @Override
        public String type() {
            return "covar-gmm";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new CovarGmm(this, space, rng);
        }
    }

    private final Params params;
    private final int d;
    /** Row width D = d + 2: the task, the time in the batch, the return. */
    private final int width;
    private final GmmFitWindow fit;

    public CovarGmm(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.d = space.dims();
        this.width = d + 2;
        this.fit = new GmmFitWindow(params.fitRate(), params.bootstrap(), params.randomTaskRatio(), params.em(), space, rng, width,
                this::progress);
    }

    public GaussianMixture mixture() {
        return fit.mixture();
    }

    /** The learning-progress score of component j: max(0, Σ_j[t, r]) (or its absolute value). */
    public double progress(int j) {
        return progress(fit.mixture(), j);
    }

    private double progress(GaussianMixture gmm, int j) {
        double c = gmm.covariance(j, d, d + 1);
        return params.absoluteLp() ? Math.abs(c) : Math.max(0.0, c);
    }

    @Override
    public void propose(double[] out) {
        fit.propose(out);
    }

    @Override
    public void observe(double[] task, double reward) {
        int slot = fit.slot();
        double time = (double) slot / params.fitRate();
        int row = slot * width;
        double[] window = fit.rows();
        System.arraycopy(task, 0, window, row, d);
        window[row + d] = time;
        window[row + d + 1] = reward;
        fit.commit();
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        fit.view(m);
        GaussianMixture gmm = fit.mixture();
        double best = 0;
        if (gmm != null) for (int j = 0; j < gmm.components(); j++) best = Math.max(best, progress(gmm, j));
        m.put("maxProgress", best);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        fit.writeCounts(w);
        fit.writeFit(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        fit.readCounts(r);
        fit.readFit(r, "Covar-GMM");
    }
}
