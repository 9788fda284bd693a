package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;

/**
 * A full-covariance Gaussian mixture model and its expectation-maximisation fit (Dempster, Laird
 * and Rubin 1977), shaped after scikit-learn's {@code GaussianMixture} as used by ALP-GMM and
 * Covar-GMM (spec §1.3): k-means initialisation, regularised covariances, stop on the change of
 * the mean log-likelihood, the number of components chosen by AIC / BIC / AICc.
 *
 * <pre>
 *   p(x)      = Σ_j π_j N(x | μ_j, Σ_j)
 *   log N     = −½ (D log 2π + log|Σ_j| + ‖L_j⁻¹ (x − μ_j)‖²)          Σ_j = L_j L_jᵀ (Cholesky)
 *   E-step    r_ij = π_j N(x_i | μ_j, Σ_j) / p(x_i)                     (log-sum-exp)
 *   M-step    n_j = Σ_i r_ij + 10ε;  μ_j = Σ_i r_ij x_i / n_j;  π_j = n_j / Σ n
 *             Σ_j = Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ / n_j + reg·I      (reg 1e-6 [sklearn default])
 *   stop      |mean LL_t − mean LL_{t−1}| &lt; tol (1e-3), at most maxIterations (100)
 *   init      greedy k-means++ seeding + Lloyd iterations; one-hot responsibilities; one M-step
 *   LL        Σ_i log p(x_i) of the returned parameters (a final E-step)
 *   P         k·D(D+1)/2 + k·D + (k − 1)
 *   AIC       −2 LL + 2P;   BIC = −2 LL + P ln n;   AICc = AIC + 2P(P+1)/(n − P − 1)  (+∞ when n ≤ P + 1)
 * </pre>
 * <b>Stability.</b> Degenerate data (duplicates, a constant column, fewer points than dimensions)
 * leaves a covariance of rank &lt; D; {@code reg·I} makes it positive definite. When a Cholesky
 * factorisation still fails (huge raw units), the ridge is multiplied by 10 until it succeeds (at
 * most {@link #RIDGE_RETRIES} times), then the covariance falls back to its diagonal + ridge.
 * An empty component keeps its previous mean and takes the data's covariance.
 *
 * <p><b>Reproducibility.</b> Logarithms and exponentials go through {@link StrictMath} (fdlibm),
 * whose results are specified bit for bit, unlike {@link Math}'s intrinsics: the same data and
 * generator state give the same fit on every JVM and CPU.
 *
 * <p><b>Cost.</b> One EM iteration is O(n·k·D²); a fit is bounded by {@code maxIterations}. The
 * linear algebra (Cholesky) is Hipparchus'; the per-point forward substitutions are done on flat
 * arrays. Randomness (k-means++ seeding) comes only from the caller's {@link Rng}.
 *
 * <p>A fitted model is immutable; arrays are flat, component-major: {@code means[j·D + a]},
 * {@code cov[(j·D + a)·D + b]}, {@code chol} the lower Cholesky factor in the same layout.
 */
public final class GaussianMixture {
    /** How many times the ridge is multiplied by 10 before a covariance falls back to its diagonal. */
    public static final int RIDGE_RETRIES = 12;
    /** sklearn adds 10·machine-ε to each component's mass so that empty components stay finite. */
    private static final double MASS_FLOOR = 10 * Math.ulp(1.0);
    /** Below this mass a component is treated as empty. */
    private static final double EMPTY_MASS = 1e-8;
    private static final double LOG_2PI = StrictMath.log(2 * Math.PI);

    /** Model-selection criterion (smaller is better). */
    public enum Criterion {
        AIC, BIC, AICC;

        static Criterion parse(String s) {
            return switch (s) {
                case "aic" -> AIC;
                case "bic" -> BIC;
                case "aicc" -> AICC;
                default -> throw new IllegalArgumentException("unknown criterion " + s);
            };
        }

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * EM settings shared by the GMM teachers.
     *
     * @param minK smallest number of components tried (2 [CODE teachDeepRL alp_gmm.py potential_ks])
     * @param maxK largest number of components tried, inclusive (10 [CODE teachDeepRL]; TMA CLI 9)
     * @param criterion model selection (AIC [CODE teachDeepRL gmm_fitness_fun])
     * @param inits EM restarts per k, best log-likelihood kept (1 [CODE] = sklearn n_init)
     * @param maxIterations EM iterations per restart (100 [sklearn default max_iter])
     * @param tolerance stop when the mean log-likelihood changes by less (1e-3 [sklearn default tol])
     * @param regCovar ridge added to each covariance diagonal (1e-6 [sklearn default reg_covar])
     * @param kmeansIterations Lloyd iterations of the k-means initialisation (100 [INF]; sklearn 300)
     */
    public record Params(int minK, int maxK, Criterion criterion, int inits, int maxIterations, double tolerance,
                         double regCovar, int kmeansIterations) {
        public static final Params DEFAULTS = new Params(2, 10, Criterion.AIC, 1, 100, 1e-3, 1e-6, 100);

        public Params {
            if (minK < 1) throw new IllegalArgumentException("minK must be >= 1, got " + minK);
            if (maxK < minK) throw new IllegalArgumentException("maxK must be >= minK (" + minK + "), got " + maxK);
            if (criterion == null) throw new IllegalArgumentException("criterion is missing");
            if (inits < 1) throw new IllegalArgumentException("emInits must be >= 1, got " + inits);
            if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
            if (!(regCovar > 0) || !Double.isFinite(regCovar)) throw new IllegalArgumentException("regCovar must be > 0, got " + regCovar);
            if (kmeansIterations < 1) throw new IllegalArgumentException("kmeansIterations must be >= 1, got " + kmeansIterations);
        }
    }

    private final int k;
    private final int dim;
    private final double[] weights;
    private final double[] means;
    private final double[] cov;
    private final double[] chol;
    private final double[] logDet;
    private final double logLikelihood;
    private final int samples;
    private final int iterations;
    private final boolean converged;

    private GaussianMixture(int k, int dim, double[] weights, double[] means, double[] cov, double[] chol, double[] logDet,
                            double logLikelihood, int samples, int iterations, boolean converged) {
        this.k = k;
        this.dim = dim;
        this.weights = weights;
        this.means = means;
        this.cov = cov;
        this.chol = chol;
        this.logDet = logDet;
        this.logLikelihood = logLikelihood;
        this.samples = samples;
        this.iterations = iterations;
        this.converged = converged;
    }

    // ------------------------------------------------------------------ accessors

    public int components() {
        return k;
    }

    public int dim() {
        return dim;
    }

    public double weight(int j) {
        return weights[j];
    }

    public double mean(int j, int a) {
        return means[j * dim + a];
    }

    public double covariance(int j, int a, int b) {
        return cov[(j * dim + a) * dim + b];
    }

    /** Σ_i log p(x_i) over the fitted data. */
    public double logLikelihood() {
        return logLikelihood;
    }

    /** Points the model was fitted on. */
    public int samples() {
        return samples;
    }

    public int iterations() {
        return iterations;
    }

    public boolean converged() {
        return converged;
    }

    /** Free parameters of a full-covariance mixture: k·D(D+1)/2 + k·D + (k − 1). */
    public static long parameterCount(int k, int dim) {
        return (long) k * dim * (dim + 1) / 2 + (long) k * dim + (k - 1);
    }

    /** The criterion's value for this fit (smaller is better). */
    public double criterion(Criterion c) {
        double p = parameterCount(k, dim);
        double aic = -2 * logLikelihood + 2 * p;
        return switch (c) {
            case AIC -> aic;
            case BIC -> -2 * logLikelihood + p * StrictMath.log(samples);
            case AICC -> samples - p - 1 > 0 ? aic + 2 * p * (p + 1) / (samples - p - 1) : Double.POSITIVE_INFINITY;
        };
    }

    /** log p(x) for the point {@code x[off .. off + D)}; {@code scratch} holds ≥ D + k doubles. */
    public double logDensity(double[] x, int off, double[] scratch) {
        double[] logNorm = new double[k];
        logNorms(weights, logDet, k, dim, logNorm);
        return logSumComponents(x, off, logNorm, means, chol, k, dim, scratch, scratch.length - k);
    }

    /**
     * Draws the first {@code m} coordinates of x ~ N(μ_j, Σ_j) into {@code out[0 .. m)}. Because
     * L is lower-triangular, x_a depends only on z_0..z_a: drawing m of the D normals gives exactly
     * the marginal of the full joint draw. {@code z} holds ≥ m doubles.
     */
    public void sample(int j, Rng rng, double[] out, int m, double[] z) {
        for (int a = 0; a < m; a++) z[a] = rng.nextGaussian();
        int base = j * dim;
        for (int a = 0; a < m; a++) {
            double s = means[base + a];
            int row = (base + a) * dim;
            for (int b = 0; b <= a; b++) s += chol[row + b] * z[b];
            out[a] = s;
        }
    }

    /**
     * A component drawn in proportion to {@code max(0, score[j])}, uniformly when every score is 0
     * (spec §1.4 / §2). One {@link Rng} draw.
     */
    public static int pickProportional(double[] score, int k, Rng rng) {
        double total = 0;
        for (int j = 0; j < k; j++) total += Math.max(0.0, score[j]);
        if (!(total > 0) || !Double.isFinite(total)) return rng.nextInt(k);
        double u = rng.nextDouble() * total;
        double acc = 0;
        int last = 0;
        for (int j = 0; j < k; j++) {
            double s = Math.max(0.0, score[j]);
            if (s <= 0) continue;
            last = j;
            acc += s;
            if (u < acc) return j;
        }
        return last;
    }

    // ------------------------------------------------------------------ fitting

    /**
     * Fits one model per k in [minK, maxK] (k ≤ n; at least k = 1 when n &lt; minK) to the n rows of
     * {@code x} (row-major, {@code dim} columns) and returns the one with the smallest criterion
     * (the first on ties). {@code x} is not modified.
     */
    public static GaussianMixture select(double[] x, int n, int dim, Params p, Rng rng) {
        if (n < 1) throw new IllegalArgumentException("cannot fit a mixture to 0 points");
        Workspace ws = new Workspace(n, dim, Math.min(p.maxK(), n));
        GaussianMixture best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        int lo = Math.min(p.minK(), n);
        int hi = Math.min(p.maxK(), n);
        for (int k = lo; k <= hi; k++) {
            GaussianMixture g = fit(x, n, dim, k, p, rng, ws);
            double s = g.criterion(p.criterion());
            if (best == null || s < bestScore) {
                best = g;
                bestScore = s;
            }
        }
        return best;
    }

    /** The best of {@code p.inits()} EM runs with exactly k components (1 ≤ k ≤ n). */
    public static GaussianMixture fit(double[] x, int n, int dim, int k, Params p, Rng rng) {
        return fit(x, n, dim, k, p, rng, new Workspace(n, dim, k));
    }

    private static GaussianMixture fit(double[] x, int n, int dim, int k, Params p, Rng rng, Workspace ws) {
        if (k < 1 || k > n) throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        GaussianMixture best = null;
        for (int init = 0; init < p.inits(); init++) {
            GaussianMixture g = em(x, n, dim, k, p, rng, ws);
            if (best == null || g.logLikelihood > best.logLikelihood) best = g;
        }
        return best;
    }

    /** Scratch arrays reused across the fits of one selection. */
    private static final class Workspace {
        final double[] resp;
        final int[] labels;
        final double[] dist;
        final double[] centers;
        final double[] scratch;
        final double[] dataCov;
        final double[] logNorm;

        Workspace(int n, int dim, int kMax) {
            logNorm = new double[kMax];
            resp = new double[n * kMax];
            labels = new int[n];
            dist = new double[n];
            centers = new double[kMax * dim];
            scratch = new double[dim + kMax];
            dataCov = new double[dim * dim];
        }
    }

    private static GaussianMixture em(double[] x, int n, int dim, int k, Params p, Rng rng, Workspace ws) {
        double[] weights = new double[k];
        double[] means = new double[k * dim];
        double[] cov = new double[k * dim * dim];
        double[] chol = new double[k * dim * dim];
        double[] logDet = new double[k];
        double[] resp = ws.resp;

        dataCovariance(x, n, dim, ws.dataCov);
        kmeans(x, n, dim, k, p.kmeansIterations(), rng, ws);
        java.util.Arrays.fill(resp, 0, n * k, 0.0);
        for (int i = 0; i < n; i++) resp[ws.labels[i] * n + i] = 1;
        mStep(x, n, dim, k, resp, p.regCovar(), ws.dataCov, weights, means, cov, chol, logDet);

        double prev = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int it = 0;
        while (it < p.maxIterations()) {
            it++;
            double mean = eStep(x, n, dim, k, weights, means, chol, logDet, resp, ws.scratch, ws.logNorm) / n;
            mStep(x, n, dim, k, resp, p.regCovar(), ws.dataCov, weights, means, cov, chol, logDet);
            if (Math.abs(mean - prev) < p.tolerance()) {
                converged = true;
                break;
            }
            prev = mean;
        }
        double ll = eStep(x, n, dim, k, weights, means, chol, logDet, resp, ws.scratch, ws.logNorm);
        return new GaussianMixture(k, dim, weights, means, cov, chol, logDet, ll, n, it, converged);
    }

    /** log π_j − ½ (D log 2π + log|Σ_j|): the part of log π_j N(x | μ_j, Σ_j) that does not depend on x. */
    private static void logNorms(double[] weights, double[] logDet, int k, int dim, double[] out) {
        for (int j = 0; j < k; j++) {
            out[j] = (weights[j] > 0 ? StrictMath.log(weights[j]) : Double.NEGATIVE_INFINITY) - 0.5 * (dim * LOG_2PI + logDet[j]);
        }
    }

    /**
     * Responsibilities into {@code resp}, component-major ({@code resp[j·n + i]}, so that the
     * M-step reads each component's column contiguously); returns Σ_i log p(x_i).
     */
    private static double eStep(double[] x, int n, int dim, int k, double[] weights, double[] means, double[] chol,
                                double[] logDet, double[] resp, double[] scratch, double[] logNorm) {
        logNorms(weights, logDet, k, dim, logNorm);
        int off = scratch.length - k;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double lse = logSumComponents(x, i * dim, logNorm, means, chol, k, dim, scratch, off);
            total += lse;
            // scratch[off + j] now holds e_j = exp(lp_j − max): r_ij = e_j / Σ_j e_j
            double sum = 0;
            if (lse != Double.NEGATIVE_INFINITY) for (int j = 0; j < k; j++) sum += scratch[off + j];
            for (int j = 0; j < k; j++) resp[j * n + i] = sum > 0 ? scratch[off + j] / sum : 1.0 / k;
        }
        return total;
    }

    /**
     * log Σ_j π_j N(x | μ_j, Σ_j) for x = {@code x[off .. off + D)}; leaves exp(lp_j − max_j lp_j)
     * of each component in {@code scratch[logOff + j]} and uses {@code scratch[0 .. D)} for the
     * forward substitution L y = x − μ_j.
     */
    private static double logSumComponents(double[] x, int off, double[] logNorm, double[] means, double[] chol,
                                           int k, int dim, double[] scratch, int logOff) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            int base = j * dim;
            double maha = 0;
            for (int a = 0; a < dim; a++) {
                double s = x[off + a] - means[base + a];
                int row = (base + a) * dim;
                for (int b = 0; b < a; b++) s -= chol[row + b] * scratch[b];
                double y = s / chol[row + a];
                scratch[a] = y;
                maha += y * y;
            }
            double lp = logNorm[j] - 0.5 * maha;
            scratch[logOff + j] = lp;
            if (lp > max) max = lp;
        }
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = StrictMath.exp(scratch[logOff + j] - max);
            scratch[logOff + j] = e;
            sum += e;
        }
        return max + StrictMath.log(sum);
    }

    private static void mStep(double[] x, int n, int dim, int k, double[] resp, double reg, double[] dataCov, double[] weights,
                              double[] means, double[] cov, double[] chol, double[] logDet) {
        double massTotal = 0;
        for (int j = 0; j < k; j++) {
            double nk = MASS_FLOOR;
            int col = j * n;
            for (int i = 0; i < n; i++) nk += resp[col + i];
            weights[j] = nk;
            massTotal += nk;
            int base = j * dim;
            int cbase = base * dim;
            if (nk < EMPTY_MASS) {
                // an empty component: keep its mean, take the data's spread (weight ≈ 0 anyway)
                System.arraycopy(dataCov, 0, cov, cbase, dim * dim);
            } else {
                // one pass for the weighted sums, one for the lower triangle of the scatter matrix
                for (int a = 0; a < dim; a++) means[base + a] = 0;
                for (int i = 0; i < n; i++) {
                    double r = resp[col + i];
                    if (r == 0) continue;
                    int xo = i * dim;
                    for (int a = 0; a < dim; a++) means[base + a] += r * x[xo + a];
                }
                for (int a = 0; a < dim; a++) means[base + a] /= nk;
                for (int a = 0; a < dim * dim; a++) cov[cbase + a] = 0;
                for (int i = 0; i < n; i++) {
                    double r = resp[col + i];
                    if (r == 0) continue;
                    int xo = i * dim;
                    for (int a = 0; a < dim; a++) {
                        double da = r * (x[xo + a] - means[base + a]);
                        int row = cbase + a * dim;
                        for (int b = 0; b <= a; b++) cov[row + b] += da * (x[xo + b] - means[base + b]);
                    }
                }
                for (int a = 0; a < dim; a++) {
                    for (int b = 0; b <= a; b++) {
                        double c = cov[cbase + a * dim + b] / nk;
                        cov[cbase + a * dim + b] = c;
                        cov[cbase + b * dim + a] = c;
                    }
                }
            }
            for (int a = 0; a < dim; a++) cov[cbase + a * dim + a] += reg;
            logDet[j] = factor(cov, cbase, chol, dim, reg);
        }
        for (int j = 0; j < k; j++) weights[j] /= massTotal;
    }

    /**
     * Lower Cholesky factor of the covariance at {@code cov[base ..]} into {@code chol[base ..]},
     * with the ridge escalation described in the class comment; returns log|Σ| and may add to the
     * covariance's diagonal (so that cov and chol stay consistent).
     */
    private static double factor(double[] cov, int base, double[] chol, int dim, double reg) {
        double[][] m = new double[dim][dim];
        double extra = 0;
        double step = reg;
        for (int attempt = 0; attempt <= RIDGE_RETRIES + 1; attempt++) {
            boolean diagonalOnly = attempt == RIDGE_RETRIES + 1;
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) m[a][b] = diagonalOnly && a != b ? 0 : cov[base + a * dim + b];
                m[a][a] += extra;
            }
            boolean finite = true;
            for (int a = 0; a < dim && finite; a++) finite = Double.isFinite(m[a][a]);
            if (finite) {
                try {
                    double[][] l = new CholeskyDecomposition(new Array2DRowRealMatrix(m, false), 1e-9, 0.0).getL().getData();
                    double ld = 0;
                    for (int a = 0; a < dim; a++) {
                        for (int b = 0; b < dim; b++) chol[base + a * dim + b] = b <= a ? l[a][b] : 0.0;
                        ld += StrictMath.log(l[a][a]);
                    }
                    if (Double.isFinite(ld)) {
                        for (int a = 0; a < dim; a++) {
                            for (int b = 0; b < dim; b++) {
                                if (diagonalOnly && a != b) cov[base + a * dim + b] = 0;
                            }
                            cov[base + a * dim + a] += extra;
                        }
                        return 2 * ld;
                    }
                } catch (MathIllegalArgumentException e) {
                    // not positive definite at this ridge: escalate
                }
            }
            step *= 10;
            extra = step;
        }
        // unreachable for finite input: a diagonal with a positive ridge always factors
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                double v = a == b ? 1.0 : 0.0;
                cov[base + a * dim + b] = v;
                chol[base + a * dim + b] = v;
            }
        }
        return 0.0;
    }

    private static void dataCovariance(double[] x, int n, int dim, double[] out) {
        for (int a = 0; a < dim; a++) {
            double ma = 0;
            for (int i = 0; i < n; i++) ma += x[i * dim + a];
            ma /= n;
            for (int b = 0; b <= a; b++) {
                double mb = 0;
                for (int i = 0; i < n; i++) mb += x[i * dim + b];
                mb /= n;
                double s = 0;
                for (int i = 0; i < n; i++) s += (x[i * dim + a] - ma) * (x[i * dim + b] - mb);
                out[a * dim + b] = s / n;
                out[b * dim + a] = s / n;
            }
        }
    }

    /**
     * Greedy k-means++ seeding (Arthur and Vassilvitskii 2007, as scikit-learn's
     * {@code _kmeans_plusplus}: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn ∝ D²,
     * the one leaving the smallest total D²), then Lloyd iterations until no label changes;
     * labels into ws.labels.
     */
    private static void kmeans(double[] x, int n, int dim, int k, int iterations, Rng rng, Workspace ws) {
        double[] c = ws.centers;
        double[] d2 = ws.dist;
        int[] labels = ws.labels;
        int trials = 2 + (int) StrictMath.log(k);
        int first = rng.nextInt(n);
        System.arraycopy(x, first * dim, c, 0, dim);
        for (int i = 0; i < n; i++) d2[i] = sq(x, i * dim, c, 0, dim);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += d2[i];
            int pick = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int cand = total > 0 ? drawByWeight(d2, n, rng.nextDouble() * total) : rng.nextInt(n);
                double potential = 0;
                for (int i = 0; i < n; i++) potential += Math.min(d2[i], sq(x, i * dim, x, cand * dim, dim));
                if (potential < bestPotential) {
                    bestPotential = potential;
                    pick = cand;
                }
            }
            System.arraycopy(x, pick * dim, c, j * dim, dim);
            for (int i = 0; i < n; i++) d2[i] = Math.min(d2[i], sq(x, i * dim, c, j * dim, dim));
        }
        for (int i = 0; i < n; i++) labels[i] = -1;
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int it = 0; it < iterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int bestJ = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double dd = sq(x, i * dim, c, j * dim, dim);
                    if (dd < bestD) {
                        bestD = dd;
                        bestJ = j;
                    }
                }
                if (labels[i] != bestJ) {
                    labels[i] = bestJ;
                    changed = true;
                }
            }
            if (!changed) break;
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[labels[i]]++;
                for (int a = 0; a < dim; a++) sums[labels[i] * dim + a] += x[i * dim + a];
            }
            for (int j = 0; j < k; j++) {
                if (counts[j] == 0) continue; // an empty cluster keeps its center
                for (int a = 0; a < dim; a++) c[j * dim + a] = sums[j * dim + a] / counts[j];
            }
        }
    }

    /** The first i with u &lt; Σ_{i' ≤ i} w_i' and w_i &gt; 0 (the last positive weight if rounding runs past the end). */
    private static int drawByWeight(double[] w, int n, double u) {
        double acc = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] <= 0) continue;
            last = i;
            acc += w[i];
            if (u < acc) return i;
        }
        return last;
    }

    private static double sq(double[] x, int xo, double[] c, int co, int dim) {
        double s = 0;
        for (int a = 0; a < dim; a++) {
            double t = x[xo + a] - c[co + a];
            s += t * t;
        }
        return s;
    }

    // ------------------------------------------------------------------ snapshots

    public void write(SnapshotWriter w) {
        w.writeInt(k);
        w.writeInt(dim);
        w.writeDoubles(weights, weights.length);
        w.writeDoubles(means, means.length);
        w.writeDoubles(cov, cov.length);
        w.writeDoubles(chol, chol.length);
        w.writeDoubles(logDet, logDet.length);
        w.writeDouble(logLikelihood);
        w.writeInt(samples);
        w.writeInt(iterations);
        w.writeBoolean(converged);
    }

    public static GaussianMixture read(SnapshotReader r, int expectedDim) {
        int k = r.readInt();
        int dim = r.readInt();
        if (k < 1 || dim != expectedDim) throw new IllegalArgumentException("corrupt snapshot: mixture with k=" + k + ", dim=" + dim);
        double[] weights = r.readDoubles();
        double[] means = r.readDoubles();
        double[] cov = r.readDoubles();
        double[] chol = r.readDoubles();
        double[] logDet = r.readDoubles();
        if (weights.length != k || means.length != k * dim || cov.length != k * dim * dim || chol.length != k * dim * dim || logDet.length != k) {
            throw new IllegalArgumentException("corrupt snapshot: mixture arrays do not match k=" + k + ", dim=" + dim);
        }
        double ll = r.readDouble();
        int samples = r.readInt();
        int iterations = r.readInt();
        boolean converged = r.readBoolean();
        return new GaussianMixture(k, dim, weights, means, cov, chol, logDet, ll, samples, iterations, converged);
    }
}
