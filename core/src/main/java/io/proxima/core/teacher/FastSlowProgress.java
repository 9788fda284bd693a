package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.BatchGroupMeans;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * Learning progress as the gap between a fast and a slow moving average of each group's success
 * (Kanitscheider et al. 2021, "Multi-task curriculum learning in a complex, visual,
 * hard-exploration domain: Minecraft", arXiv:2106.14876).
 *
 * <pre>
 *   x        = the group's mean reward in a report
 *   fast    ← fast + α_f (x − fast);   slow ← slow + α_s (x − slow)     (both start at the first x)
 *   LP       = |fast − slow|          (rising and falling success both count: forgetting is practised)
 *   P(g)     = (1 − ε)·LP_g / Σ LP + ε / N      (uniform while Σ LP = 0; groups never reported get
 *                                                 the largest LP, so each is tried)
 * </pre>
 * Defaults: α_f = 0.1, α_s = 0.01 [INF], ε = 0.1 [INF]; the paper's reweighting of p for small
 * success rates is left out.
 */
public final class FastSlowProgress implements GroupPolicy {
    /**
     * @param fast α_f, the fast average's step (0.1 [INF])
     * @param slow α_s, the slow average's step (0.01 [INF]); must be below fast
     * @param epsilon uniform exploration share ε (0.1 [INF])
     * @param progressGate multiply each group's LP by its learnability from revisits (true [INF])
     */
    public record Params(double fast, double slow, double epsilon, boolean progressGate) {
        public static final Params DEFAULTS = new Params(0.1, 0.01, 0.1, true);
    }

    public static final ComponentType<Params, FastSlowProgress> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("fast", d.fast(), 1e-9, 1), node.number("slow", d.slow(), 1e-9, 1),
                node.number("epsilon", d.epsilon(), 0, 1), node.bool("progressGate", d.progressGate()));
        if (p.slow() >= p.fast()) throw new ConfigException(node.path() + ".slow", "must be below fast (" + p.fast() + "), got " + p.slow());
        return p;
    }, FastSlowProgress::new);

    private final Params params;
    private final TaskPool pool;
    private final TeacherContext ctx;
    private double[] fast = new double[0];
    private double[] slow = new double[0];
    private final BatchGroupMeans batchMeans = new BatchGroupMeans();

    public FastSlowProgress(Params params, TeacherContext ctx) {
        this.params = params;
        this.pool = ctx.pool();
        this.ctx = ctx;
    }

    private void ensure(int g) {
        if (g > fast.length) {
            int cap = Math.max(g, 2 * fast.length);
            int old = fast.length;
            fast = Arrays.copyOf(fast, cap);
            slow = Arrays.copyOf(slow, cap);
            Arrays.fill(fast, old, cap, Double.NaN);
            Arrays.fill(slow, old, cap, Double.NaN);
        }
    }

    /** |fast − slow| of a group; NaN before its first report. */
    public double progress(int g) {
        ensure(pool.groupCount());
        return Math.abs(fast[g] - slow[g]);
    }

    @Override
    public void probabilities(double[] out) {
        int g = pool.groupCount();
        ensure(g);
        int live = 0;
        double maxSeen = 0;
        for (int c = 0; c < g; c++) {
            if (pool.groupSize(c) == 0) continue;
            live++;
            if (!Double.isNaN(fast[c])) maxSeen = Math.max(maxSeen, progress(c));
        }
        if (live == 0) return;
        double unseen = maxSeen > 0 ? maxSeen : 1.0;
        double z = 0;
        for (int c = 0; c < g; c++) {
            out[c] = pool.groupSize(c) == 0 ? 0.0 : Double.isNaN(fast[c]) ? unseen : progress(c);
            if (params.progressGate()) out[c] *= ctx.groupProgress().learnability(c, TeacherStudentCurriculum.GATE_FLOOR);
            z += out[c];
        }
        double eps = params.epsilon();
        for (int c = 0; c < g; c++) {
            if (pool.groupSize(c) == 0) continue;
            out[c] = z > 0 ? (1 - eps) * out[c] / z + eps / live : 1.0 / live;
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        int groups = pool.groupCount();
        ensure(groups);
        double[] means = batchMeans.of(b, groups);
        for (int g = 0; g < groups; g++) {
            double x = means[g];
            if (Double.isNaN(x)) continue;
            if (Double.isNaN(fast[g])) {
                fast[g] = x;
                slow[g] = x;
            } else {
                fast[g] += params.fast() * (x - fast[g]);
                slow[g] += params.slow() * (x - slow[g]);
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
        w.writeDoubles(fast, g);
        w.writeDoubles(slow, g);
    }

    @Override
    public void readState(SnapshotReader r) {
        double[] f = r.readDoubles();
        double[] s = r.readDoubles();
        ensure(f.length);
        System.arraycopy(f, 0, fast, 0, f.length);
        System.arraycopy(s, 0, slow, 0, s.length);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
