package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SPDL — Self-Paced Deep Reinforcement Learning (Klink, D'Eramo, Peters, Pajarinen, NeurIPS 2020,
 * arXiv:2004.11812), as wrapped in TeachMyAgent (Romac et al., ICML 2021)
 * {@code teachers/algos/self_paced_teacher.py}, {@code utils/conjugate_gradient.py},
 * {@code utils/alpha_functions.py} [CODE]; specification {@code shared/algorithms/alp-gmm-family.md} §5.2.
 *
 * <pre>
 *   tasks:     c ~ p_θ = N(μ, L·Lᵀ) ({@link CholeskyGaussian}), clipped into the box
 *   every updateFrequency episodes once updateOffset have been seen, on the buffered (c_i, V_i)
 *   of the episodes since the last update (at most bufferSize, emptied after use):
 *     α  = 0 for the first alphaOffset updates, else min(ζ · max(mean V, 0) / max(KL(p_θ ‖ μ*), 1e−10), 1e5)
 *     J(θ') = mean_i[ p_θ'(c_i) / p_θ(c_i) · V_i ] − α · KL(p_θ' ‖ target)
 *     maximise J subject to KL(p_θ ‖ p_θ') ≤ maxKl by one natural-gradient step:
 *       g = ∇J(θ);  s = CG(F + δI, g)  (cgIterations, stop when ‖r‖² &lt; cgResidualTol; skip if ‖g‖ &lt; 1e−10)
 *       full = s / √(½ sᵀ(F + δI)s / maxKl)
 *       θ' = θ + full·2^−k for the first k &lt; lineSearchSteps with KL(p_θ ‖ p_θ') ≤ 1.5·maxKl or J(θ') ≥ J(θ)
 *       (none: keep θ)
 * </pre>
 * F is the Fisher information of θ (the Hessian of KL(p_θ ‖ p_θ') at θ' = θ), δ = cgDamping.
 *
 * <p><b>Value of a task.</b> SPDL reads the student's value function at the task's initial state;
 * a curriculum only hears episode returns, so V_i is the return (after {@code rewardScale}) of
 * the episode played at c_i — a one-sample Monte-Carlo estimate of that value [INF].
 *
 * <p>Defaults are TeachMyAgent's benchmark settings (ζ 0.05, max KL 0.8, α offset 0, buffer 1000,
 * CG 10 iterations, damping 1e−2, line search 10 halvings; target = centre of the box with σ =
 * range/4; initial = a uniform random mean with σ = 10 % of the range). TMA updates every 100,000
 * environment steps after 200,000; counted in episodes here: every 250 after 500 [INF]. The
 * optional σ floor of the reference (off by default) is not implemented. A step whose result is
 * not finite or whose σ falls below 1e−9 of a range is refused (θ kept) [INF guard].
 */
public final class Spdl implements ContinuousTeacher {
    /** α's cap and KL's floor in α's ratio [CODE alpha_functions.py]. */
    static final double ALPHA_MAX = 1e5;
    static final double KL_FLOOR = 1e-10;
    /** No step below this gradient norm [CODE conjugate_gradient.py]. */
    static final double MIN_GRADIENT_NORM = 1e-10;
    /** The line search accepts a KL up to this multiple of maxKl [CODE]. */
    static final double KL_SLACK = 1.5;
    /** Least σ per dimension, as a share of its range [INF guard]. */
    static final double MIN_STD_SHARE = 1e-9;

    /**
     * @param updateFrequency episodes between two updates (250 [INF]; TMA 100,000 environment steps)
     * @param updateOffset episodes before the first update (500 [INF]; TMA 200,000 steps)
     * @param alphaOffset updates run with α = 0 (0 [CODE TMA CLI])
     * @param zeta ζ, α's share of the mean value (0.05 [CODE TMA CLI])
     * @param maxKl trust region KL(p_old ‖ p_new) (0.8 [CODE TMA CLI]; class default 0.1)
     * @param bufferSize most (task, value) pairs kept between updates, oldest dropped (1000 [CODE])
     * @param cgIterations conjugate-gradient iterations (10 [CODE])
     * @param cgDamping δ added to the Fisher matrix (1e−2 [CODE])
     * @param cgResidualTol CG stops when ‖r‖² falls below it (1e−10 [CODE])
     * @param lineSearchSteps step halvings tried (10 [CODE])
     * @param initialMean starting mean; null: a uniform draw in the box [CODE TMA without expert knowledge]
     * @param initialStd starting σ per dimension; null: 10 % of each range [CODE]
     * @param targetMean target mean; null: the centre of the box [CODE]
     * @param targetStd target σ per dimension; null: a quarter of each range [CODE]
     */
    public record Params(int updateFrequency, int updateOffset, int alphaOffset, double zeta, double maxKl, int bufferSize,
                         int cgIterations, double cgDamping, double cgResidualTol, int lineSearchSteps,
                         double[] initialMean, double[] initialStd, double[] targetMean, double[] targetStd)
            implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(250, 500, 0, 0.05, 0.8, 1000, 10, 1e-2, 1e-10, 10, null, null, null, null);

        public Params {
            if (updateFrequency < 1) throw new IllegalArgumentException("updateFrequency must be >= 1, got " + updateFrequency);
            if (updateOffset < 0) throw new IllegalArgumentException("updateOffset must be >= 0, got " + updateOffset);
            if (alphaOffset < 0) throw new IllegalArgumentException("alphaOffset must be >= 0, got " + alphaOffset);
            if (!(zeta >= 0 && Double.isFinite(zeta))) throw new IllegalArgumentException("zeta must be finite and >= 0, got " + zeta);
            if (!(maxKl > 0 && Double.isFinite(maxKl))) throw new IllegalArgumentException("maxKl must be finite and > 0, got " + maxKl);
            if (bufferSize < 1) throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
            if (cgIterations < 1) throw new IllegalArgumentException("cgIterations must be >= 1, got " + cgIterations);
            if (!(cgDamping >= 0 && Double.isFinite(cgDamping))) throw new IllegalArgumentException("cgDamping must be finite and >= 0, got " + cgDamping);
            if (!(cgResidualTol >= 0)) throw new IllegalArgumentException("cgResidualTol must be >= 0, got " + cgResidualTol);
            if (lineSearchSteps < 1) throw new IllegalArgumentException("lineSearchSteps must be >= 1, got " + lineSearchSteps);
            initialMean = copy(initialMean);
            initialStd = copy(initialStd);
            targetMean = copy(targetMean);
            targetStd = copy(targetStd);
        }

        private static double[] copy(double[] a) {
            return a == null ? null : a.clone();
        }

        @Override
        public double[] initialMean() {
            return copy(initialMean);
        }

        @Override
        public double[] initialStd() {
            return copy(initialStd);
        }

        @Override
        public double[] targetMean() {
            return copy(targetMean);
        }

        @Override
        public double[] targetStd() {
            return copy(targetStd);
        }

        @Override
        public String type() {
            return "spdl";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new Spdl(this, space, rng);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Params p && p.updateFrequency == updateFrequency && p.updateOffset == updateOffset
                    && p.alphaOffset == alphaOffset && p.zeta == zeta && p.maxKl == maxKl && p.bufferSize == bufferSize
                    && p.cgIterations == cgIterations && p.cgDamping == cgDamping && p.cgResidualTol == cgResidualTol
                    && p.lineSearchSteps == lineSearchSteps && Arrays.equals(p.initialMean, initialMean)
                    && Arrays.equals(p.initialStd, initialStd) && Arrays.equals(p.targetMean, targetMean) && Arrays.equals(p.targetStd, targetStd);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(updateFrequency, updateOffset, alphaOffset, zeta, maxKl, bufferSize, cgIterations, cgDamping,
                    cgResidualTol, lineSearchSteps) * 31 + Arrays.hashCode(initialMean) + 7 * Arrays.hashCode(initialStd)
                    + 11 * Arrays.hashCode(targetMean) + 13 * Arrays.hashCode(targetStd);
        }
    }

    private final Params params;
    private final ParameterSpace space;
    private final Rng rng;
    private final int d;
    private final CholeskyGaussian target;
    private CholeskyGaussian dist;
    /** Buffered tasks (row-major, count × d) and their values, oldest first. */
    private final double[] contexts;
    private final double[] values;
    private int count;
    private final double[] z;
    private long episodes;
    private long updates;
    private long refused;
    private double lastAlpha;

    public Spdl(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.space = space;
        this.rng = rng;
        this.d = space.dims();
        for (double[] v : new double[][] {params.initialMean(), params.initialStd(), params.targetMean(), params.targetStd()}) {
            if (v != null && v.length != d) throw new IllegalArgumentException("an SPDL vector has " + v.length + " values, the space has " + d + " dimensions");
        }
        double[] tm = new double[d], ts = new double[d], im = new double[d], is = new double[d];
        for (int i = 0; i < d; i++) {
            tm[i] = params.targetMean() != null ? params.targetMean()[i] : 0.5 * (space.low(i) + space.high(i));
            ts[i] = params.targetStd() != null ? params.targetStd()[i] : space.range(i) / 4;
            is[i] = params.initialStd() != null ? params.initialStd()[i] : 0.1 * space.range(i);
        }
        if (params.initialMean() != null) im = params.initialMean();
        else space.uniform(rng, im);
        this.target = CholeskyGaussian.diagonal(tm, ts);
        this.dist = CholeskyGaussian.diagonal(im, is);
        this.contexts = new double[params.bufferSize() * d];
        this.values = new double[params.bufferSize()];
        this.z = new double[d];
    }

    /** The current task distribution's mean of dimension i. */
    public double mean(int i) {
        return dist.mean(i);
    }

    /** The current task distribution's σ of dimension i. */
    public double std(int i) {
        return dist.std(i);
    }

    /** KL(p_θ ‖ target). */
    public double klToTarget() {
        return dist.kl(target);
    }

    public long updates() {
        return updates;
    }

    @Override
    public void propose(double[] out) {
        for (int i = 0; i < d; i++) z[i] = rng.nextGaussian();
        dist.sample(z, out);
        space.clip(out);
    }

    @Override
    public void observe(double[] task, double reward) {
        episodes++;
        int cap = params.bufferSize();
        if (count == cap) {
            System.arraycopy(contexts, d, contexts, 0, (cap - 1) * d);
            System.arraycopy(values, 1, values, 0, cap - 1);
            count--;
        }
        System.arraycopy(task, 0, contexts, count * d, d);
        values[count++] = reward;
        if (episodes >= params.updateOffset() && episodes % params.updateFrequency() == 0 && count > 0) {
            update();
            count = 0;
        }
    }

    /** One SPDL iteration on the buffer; see the class comment. */
    void update() {
        updates++;
        int n = count;
        double meanV = 0;
        for (int i = 0; i < n; i++) meanV += values[i];
        meanV /= n;
        double kl = dist.kl(target);
        double alpha = updates <= params.alphaOffset() ? 0.0
                : Math.min(params.zeta() * Math.max(meanV, 0.0) / Math.max(kl, KL_FLOOR), ALPHA_MAX);
        lastAlpha = alpha;
        CholeskyGaussian old = dist;
        double[] oldLog = new double[n];
        for (int i = 0; i < n; i++) oldLog[i] = old.logPdf(contexts, i * d);
        double before = objective(old, oldLog, alpha);
        // ∇J at θ: the ratio is 1 there, so ∇ mean(ratio·V) = mean(V_i ∇ log p(c_i))
        double[] g = new double[old.theta.length];
        for (int i = 0; i < n; i++) old.addLogPdfGradient(contexts, i * d, values[i] / n, g);
        old.addKlGradient(target, -alpha, g);
        double norm = 0;
        for (double v : g) norm += v * v;
        if (!(Math.sqrt(norm) >= MIN_GRADIENT_NORM) || !Double.isFinite(before)) {
            if (!Double.isFinite(norm) || !Double.isFinite(before)) refused++;
            return;
        }
        double[] s = conjugateGradient(old, g);
        double[] fs = damped(old, s);
        double shs = 0.5 * dot(s, fs);
        if (!(shs > 0) || !Double.isFinite(shs)) {
            refused++;
            return;
        }
        double lm = Math.sqrt(shs / params.maxKl());
        double step = 1.0;
        double[] theta = new double[old.theta.length];
        for (int k = 0; k < params.lineSearchSteps(); k++) {
            for (int j = 0; j < theta.length; j++) theta[j] = old.theta[j] + s[j] / lm * step;
            CholeskyGaussian cand = new CholeskyGaussian(d, theta);
            double after = objective(cand, oldLog, alpha);
            double klStep = old.kl(cand);
            if (klStep <= KL_SLACK * params.maxKl() || after - before >= 0) {
                if (sane(cand, after, klStep)) dist = cand;
                else refused++;
                return;
            }
            step *= 0.5;
        }
    }

    private boolean sane(CholeskyGaussian cand, double after, double klStep) {
        if (!Double.isFinite(after) || !Double.isFinite(klStep)) return false;
        for (double v : cand.theta) if (!Double.isFinite(v)) return false;
        for (int i = 0; i < d; i++) if (!(cand.std(i) >= MIN_STD_SHARE * space.range(i)) || !Double.isFinite(cand.std(i))) return false;
        return true;
    }

    /** J(θ') = mean_i[exp(log p_θ'(c_i) − log p_θ(c_i)) · V_i] − α·KL(p_θ' ‖ target). */
    private double objective(CholeskyGaussian p, double[] oldLog, double alpha) {
        int n = oldLog.length;
        double s = 0;
        for (int i = 0; i < n; i++) s += StrictMath.exp(p.logPdf(contexts, i * d) - oldLog[i]) * values[i];
        return s / n - alpha * p.kl(target);
    }

    private double[] damped(CholeskyGaussian p, double[] v) {
        double[] f = p.fisherTimes(v);
        for (int j = 0; j < f.length; j++) f[j] += params.cgDamping() * v[j];
        return f;
    }

    /** Solves (F + δI)·x = b by at most cgIterations steps of conjugate gradient [CODE conjugate_gradient.py]. */
    private double[] conjugateGradient(CholeskyGaussian p, double[] b) {
        double[] dir = b.clone();
        double[] r = b.clone();
        double[] x = new double[b.length];
        double r2 = dot(r, r);
        for (int it = 0; it < params.cgIterations(); it++) {
            double[] zz = damped(p, dir);
            double pz = dot(dir, zz);
            if (!(pz > 0)) break;
            double v = r2 / pz;
            for (int j = 0; j < x.length; j++) {
                x[j] += v * dir[j];
                r[j] -= v * zz[j];
            }
            double r2new = dot(r, r);
            double mu = r2new / r2;
            for (int j = 0; j < x.length; j++) dir[j] = r[j] + mu * dir[j];
            r2 = r2new;
            if (r2 < params.cgResidualTol()) break;
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("episodes", (double) episodes);
        m.put("updates", (double) updates);
        m.put("refusedSteps", (double) refused);
        m.put("alpha", lastAlpha);
        m.put("klToTarget", dist.kl(target));
        for (int i = 0; i < d; i++) {
            m.put("mean." + space.name(i), dist.mean(i));
            m.put("std." + space.name(i), dist.std(i));
        }
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        w.writeLong(episodes);
        w.writeLong(updates);
        w.writeLong(refused);
        w.writeDouble(lastAlpha);
        w.writeDoubles(dist.theta, dist.theta.length);
        w.writeInt(count);
        w.writeDoubles(contexts, count * d);
        w.writeDoubles(values, count);
    }

    @Override
    public void readState(SnapshotReader r) {
        episodes = r.readLong();
        updates = r.readLong();
        refused = r.readLong();
        lastAlpha = r.readDouble();
        double[] theta = r.readDoubles();
        if (theta.length != CholeskyGaussian.size(d)) {
            throw new IllegalArgumentException("corrupt snapshot: SPDL distribution of " + theta.length + " parameters, expected " + CholeskyGaussian.size(d));
        }
        for (double v : theta) if (!Double.isFinite(v)) throw new IllegalArgumentException("corrupt snapshot: SPDL distribution not finite");
        int n = r.readInt();
        if (n < 0 || n > params.bufferSize()) throw new IllegalArgumentException("corrupt snapshot: SPDL buffer of " + n + " tasks");
        double[] cs = r.readDoubles();
        double[] vs = r.readDoubles();
        if (cs.length != n * d || vs.length != n) throw new IllegalArgumentException("corrupt snapshot: SPDL buffer sizes do not match");
        dist = new CholeskyGaussian(d, theta);
        count = n;
        System.arraycopy(cs, 0, contexts, 0, cs.length);
        System.arraycopy(vs, 0, values, 0, vs.length);
    }
}
