package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.BatchGroupMeans;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * TSCL — Teacher-Student Curriculum Learning (Matiisen, Oliver, Cohen, Schulman 2017,
 * arXiv:1707.00183). [CODE tambetm/TSCL minecraft/trainers/batched_minecraft_dynamic.py]
 * One arm per group; the score x of a group in a report is its mean reward.
 *
 * <pre>
 *   window: keep the last K (t, x) pairs per group; LP = least-squares slope of x over t
 *           (1 while fewer than 2 points: unexplored groups come first)
 *   online: r = x_t − x_prev;  Q ← Q + α(r − Q);  LP = Q
 *   value   = |LP| (the paper: forgetting, a negative slope, also calls for practice)
 *   policy  ε-greedy: (1 − ε) split over the arms of maximal value, ε/N to each arm
 *           Boltzmann: p ∝ exp((value − max)/τ)
 * </pre>
 * Defaults: window variant, K = 10, ε-greedy with ε = 0.1, τ = 0.0004, α = 0.1 [CODE].
 */
public final class TeacherStudentCurriculum implements GroupPolicy {
    /**
     * @param variant window (slope over the last K scores) or online (EMA of score differences)
     * @param window K (10 [CODE])
     * @param policy epsilonGreedy or boltzmann
     * @param epsilon ε (0.1 [CODE])
     * @param tau τ of the Boltzmann policy (0.0004 [CODE])
     * @param alpha α of the online variant (0.1 [CODE])
     * @param absolute act on |LP| (true [PAPER]; the code's --abs defaults to false)
     * @param progressGate multiply each group's value by its learnability from revisits
     *     (GroupProgress): the slope of a noisy group's mean reward is large by chance alone
     *     (true [INF]; false = the paper)
     */
    public record Params(String variant, int window, String policy, double epsilon, double tau, double alpha, boolean absolute,
                         boolean progressGate) {
        public static final Params DEFAULTS = new Params("window", 10, "epsilonGreedy", 0.1, 0.0004, 0.1, true, true);
    }

    public static final ComponentType<Params, TeacherStudentCurriculum> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        return new Params(node.choice("variant", d.variant(), List.of("window", "online")),
                node.integer("window", d.window(), 2, 1 << 16),
                node.choice("policy", d.policy(), List.of("epsilonGreedy", "boltzmann")),
                node.number("epsilon", d.epsilon(), 0, 1), node.number("tau", d.tau(), 1e-9, 1e6),
                node.number("alpha", d.alpha(), 1e-9, 1), node.bool("absolute", d.absolute()),
                node.bool("progressGate", d.progressGate()));
    }, TeacherStudentCurriculum::new);

    /** Smallest weight of the progress gate: a stuck group keeps a tenth of its pull. [INF] */
    static final double GATE_FLOOR = 0.1;

    private final Params params;
    private final TaskPool pool;
    private final TeacherContext ctx;
    /** window: group g's ring is [g·K, (g+1)·K) of times and scores. */
    private double[] times = new double[0];
    private double[] scores = new double[0];
    private int[] filled = new int[0];
    private int[] next = new int[0];
    /** online: Q and the previous score (NaN before any). */
    private double[] q = new double[0];
    private double[] previous = new double[0];
    private final BatchGroupMeans batchMeans = new BatchGroupMeans();

    public TeacherStudentCurriculum(Params params, TeacherContext ctx) {
        this.params = params;
        this.pool = ctx.pool();
        this.ctx = ctx;
    }

    private void ensure(int g) {
        if (g > filled.length) {
            int cap = Math.max(g, 2 * filled.length);
            int old = filled.length;
            times = Arrays.copyOf(times, cap * params.window());
            scores = Arrays.copyOf(scores, cap * params.window());
            filled = Arrays.copyOf(filled, cap);
            next = Arrays.copyOf(next, cap);
            q = Arrays.copyOf(q, cap);
            previous = Arrays.copyOf(previous, cap);
            Arrays.fill(previous, old, cap, Double.NaN);
        }
    }

    /** The learning progress of a group (before |·|). */
    public double progress(int g) {
        ensure(pool.groupCount());
        if (params.variant().equals("online")) return q[g];
        int n = filled[g];
        if (n < 2) return 1.0;
        int base = g * params.window();
        double mt = 0, mx = 0;
        for (int k = 0; k < n; k++) {
            mt += times[base + k];
            mx += scores[base + k];
        }
        mt /= n;
        mx /= n;
        double sxy = 0, sxx = 0;
        for (int k = 0; k < n; k++) {
            double dt = times[base + k] - mt;
            sxy += dt * (scores[base + k] - mx);
            sxx += dt * dt;
        }
        return sxx == 0 ? 0.0 : sxy / sxx;
    }

    private double value(int g) {
        double lp = progress(g);
        double v = params.absolute() ? Math.abs(lp) : lp;
        return params.progressGate() ? v * ctx.groupProgress().learnability(g, GATE_FLOOR) : v;
    }

    @Override
    public void probabilities(double[] out) {
        int g = pool.groupCount();
        ensure(g);
        int live = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < g; c++) {
            if (pool.groupSize(c) == 0) continue;
            live++;
            out[c] = value(c);
            max = Math.max(max, out[c]);
        }
        if (live == 0) return;
        if (params.policy().equals("boltzmann")) {
            double z = 0;
            for (int c = 0; c < g; c++) {
                out[c] = pool.groupSize(c) > 0 ? StrictMath.exp((out[c] - max) / params.tau()) : 0.0;
                z += out[c];
            }
            for (int c = 0; c < g; c++) out[c] /= z;
            return;
        }
        int best = 0;
        for (int c = 0; c < g; c++) if (pool.groupSize(c) > 0 && out[c] == max) best++;
        double eps = params.epsilon();
        for (int c = 0; c < g; c++) {
            if (pool.groupSize(c) == 0) {
                out[c] = 0.0;
            } else {
                out[c] = eps / live + (out[c] == max ? (1 - eps) / best : 0.0);
            }
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        int groups = pool.groupCount();
        ensure(groups);
        double[] means = batchMeans.of(b, groups);
        int k = params.window();
        for (int g = 0; g < groups; g++) {
            double x = means[g];
            if (Double.isNaN(x)) continue;
            if (params.variant().equals("online")) {
                double r = Double.isNaN(previous[g]) ? 0.0 : x - previous[g];
                q[g] += params.alpha() * (r - q[g]);
                previous[g] = x;
            } else {
                times[g * k + next[g]] = b.clock;
                scores[g * k + next[g]] = x;
                next[g] = (next[g] + 1) % k;
                if (filled[g] < k) filled[g]++;
            }
        }
    }

    @Override
    public void scores(double[] out) {
        for (int g = 0; g < pool.groupCount(); g++) out[g] = progress(g);
    }

    @Override
    public void writeState(SnapshotWriter w) {
        int g = pool.groupCount();
        ensure(g);
        w.writeDoubles(times, g * params.window());
        w.writeDoubles(scores, g * params.window());
        w.writeInts(filled, g);
        w.writeInts(next, g);
        w.writeDoubles(q, g);
        w.writeDoubles(previous, g);
    }

    @Override
    public void readState(SnapshotReader r) {
        double[] t = r.readDoubles();
        double[] s = r.readDoubles();
        int[] f = r.readInts();
        int[] nx = r.readInts();
        double[] qq = r.readDoubles();
        double[] pv = r.readDoubles();
        ensure(f.length);
        System.arraycopy(t, 0, times, 0, t.length);
        System.arraycopy(s, 0, scores, 0, s.length);
        System.arraycopy(f, 0, filled, 0, f.length);
        System.arraycopy(nx, 0, next, 0, nx.length);
        System.arraycopy(qq, 0, q, 0, qq.length);
        System.arraycopy(pv, 0, previous, 0, pv.length);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
