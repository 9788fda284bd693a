package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Map;

/**
 * What ALP-GMM and Covar-GMM share (spec {@code shared/algorithms/alp-gmm-family.md} §1–§2): the
 * fit window, the refit schedule and the draw of a task from a scored component. Each teacher
 * keeps its own row layout and its own component score.
 *
 * <pre>
 *   row(n)     the ring slot of episode n: n mod fitRate (the teacher fills width columns there)
 *   commit():  n ← n + 1;  if n ≥ bootstrap and n mod fitRate = 0: gmm = argmin_k crit(EM_k(window)), k ∈ [minK, maxK]
 *   propose(): if n &lt; bootstrap or gmm = ∅ or U &lt; randomTaskRatio: uniform in the box
 *              j ~ max(0, score_j) / Σ (uniform if Σ = 0);  x ~ N(μ_j, Σ_j);  p = clip(x[0 .. d), box)
 * </pre>
 * At a fit, n is a multiple of fitRate, so the ring is in chronological order. Snapshot layout:
 * the counts (episodes, fits), then — after whatever the teacher writes between — the held rows
 * and the mixture.
 */
final class GmmFitWindow {
    /** A component's pull in {@link #propose}: ALP-GMM its mean ALP, Covar-GMM its cov(t, r). */
    interface ComponentScore {
        double of(GaussianMixture gmm, int j);
    }

    private final int fitRate;
    private final int bootstrap;
    private final double randomTaskRatio;
    private final GaussianMixture.Params em;
    private final ParameterSpace space;
    private final Rng rng;
    private final int d;
    private final int width;
    private final ComponentScore componentScore;
    private final double[] window;
    private final double[] score;
    private final double[] z;
    private long episodes;
    private long fits;
    private GaussianMixture gmm;

    /** The checks of the schedule's parameters, as each teacher's {@code Params} makes them. */
    static void checkSchedule(int fitRate, int bootstrap, double randomTaskRatio) {
        if (fitRate < 2) throw new IllegalArgumentException("fitRate must be >= 2, got " + fitRate);
        if (bootstrap < fitRate) throw new IllegalArgumentException("bootstrap must be >= fitRate (" + fitRate + "), got " + bootstrap);
        if (!(randomTaskRatio >= 0 && randomTaskRatio <= 1)) throw new IllegalArgumentException("randomTaskRatio must be in [0, 1], got " + randomTaskRatio);
    }

    /** @param width columns of a row (D), the task's d first */
    GmmFitWindow(int fitRate, int bootstrap, double randomTaskRatio, GaussianMixture.Params em, ParameterSpace space, Rng rng,
                 int width, ComponentScore componentScore) {
        this.fitRate = fitRate;
        this.bootstrap = bootstrap;
        this.randomTaskRatio = randomTaskRatio;
        this.em = em;
        this.space = space;
        this.rng = rng;
        this.d = space.dims();
        this.width = width;
        this.componentScore = componentScore;
        this.window = new double[fitRate * width];
        this.score = new double[em.maxK()];
        this.z = new double[width];
    }

    /** The current mixture, or null before the first fit. */
    GaussianMixture mixture() {
        return gmm;
    }

    long episodes() {
        return episodes;
    }

    /** The ring slot of the episode being observed, in [0, fitRate). */
    int slot() {
        return (int) (episodes % fitRate);
    }

    /** The ring of rows: row i is {@code rows()[i·width .. (i+1)·width)}. */
    double[] rows() {
        return window;
    }

    /** Rows of the ring that hold an episode: min(episodes, fitRate). */
    int rowsHeld() {
        return (int) Math.min(episodes, fitRate);
    }

    /** Counts the episode whose row the teacher just filled at {@link #slot()}; refits on schedule. Returns whether it refit. */
    boolean commit() {
        episodes++;
        if (episodes >= bootstrap && episodes % fitRate == 0) {
            gmm = GaussianMixture.select(window, fitRate, width, em, rng);
            fits++;
            return true;
        }
        return false;
    }

    /** A window of rows [task, ALP] whose components pull by their mean ALP: ALP-GMM and Recent ALP-GMM. */
    static GmmFitWindow overAlp(int fitRate, int bootstrap, double randomTaskRatio, GaussianMixture.Params em, ParameterSpace space, Rng rng) {
        int alpColumn = space.dims();
        return new GmmFitWindow(fitRate, bootstrap, randomTaskRatio, em, space, rng, alpColumn + 1, (gmm, j) -> gmm.mean(j, alpColumn));
    }

    /** Fills the row at {@link #slot()} with the task and one last column (a window of width d + 1) and commits it. Returns whether that refit. */
    boolean add(double[] task, double last) {
        int row = slot() * width;
        System.arraycopy(task, 0, window, row, d);
        window[row + d] = last;
        return commit();
    }

    void propose(double[] out) {
        if (episodes < bootstrap || gmm == null || rng.nextDouble() < randomTaskRatio) {
            space.uniform(rng, out);
            return;
        }
        int k = gmm.components();
        for (int j = 0; j < k; j++) score[j] = componentScore.of(gmm, j);
        int j = GaussianMixture.pickProportional(score, k, rng);
        gmm.sample(j, rng, out, d, z);
        space.clip(out);
    }

    /** The first entries of the teacher's view: episodes, fits, components. */
    void view(Map<String, Double> m) {
        m.put("episodes", (double) episodes);
        m.put("fits", (double) fits);
        m.put("components", gmm == null ? 0.0 : gmm.components());
    }

    void writeCounts(SnapshotWriter w) {
        w.writeLong(episodes);
        w.writeLong(fits);
    }

    void readCounts(SnapshotReader r) {
        episodes = r.readLong();
        fits = r.readLong();
    }

    void writeFit(SnapshotWriter w) {
        w.writeDoubles(window, rowsHeld() * width);
        w.writeBoolean(gmm != null);
        if (gmm != null) gmm.write(w);
    }

    /** After {@link #readCounts}; {@code teacher} names the teacher in the error on a corrupt window. */
    void readFit(SnapshotReader r, String teacher) {
        double[] rows = r.readDoubles();
        if (rows.length != rowsHeld() * width) {
            throw new IllegalArgumentException("corrupt snapshot: " + teacher + " window holds " + rows.length + " values");
        }
        System.arraycopy(rows, 0, window, 0, rows.length);
        gmm = r.readBoolean() ? GaussianMixture.read(r, width) : null;
    }
}
