package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * SEC — Self-Evolving Curriculum (Chen et al. 2025, "Self-Evolving Curriculum for LLM Reasoning",
 * arXiv:2505.14970). A non-stationary bandit with one arm per group (category).
 *
 * <pre>
 *   π(c)  = exp(Q(c)/τ) / Σ_c' exp(Q(c')/τ)                      Boltzmann, one draw per slot
 *   r(c)  = mean over the batch's trajectories of category c of |A_j|
 *   Q(c) ← α·r(c) + (1 − α)·Q(c)                                  TD(0), Q₀ = 0
 * </pre>
 * The reference code updates every arm, with r(c) = 0 for arms absent from the batch, so unsampled
 * arms decay towards 0 ({@code decayUnsampled = true}); the paper's text updates sampled arms
 * only ({@code false}). The paper's defaults: α = 0.5 and τ = 1.0 (the paper's runs; τ = 0.4 on MATH,
 * 0.2 on the 2-D puzzle curriculum) [CODE Vincent-La/cofa sec/…/auto_curriculum/priority.py]; ours
 * (defaults version 2) take τ = 2: on a shared network a hotter bandit's batch swings cost more
 * than its preference bought where nothing was to be exploited (docs/lab.md).
 * Inside a category, problems are taken without replacement (the per-category queues of the
 * code = the pipeline's item policy, {@code walk} by default).
 */
public final class SelfEvolvingCurriculum implements GroupPolicy {
    /**
     * @param alpha TD(0) learning rate α (0.5 [PAPER runs]; config default 0.1 [CODE])
     * @param tau Boltzmann temperature τ (2.0 [INF] from defaults version 2: at the reference code's
     *     1.0 the bandit ended ×0.90 of the walk on the neural lab's flat pool, docs/lab.md; 1.0 [CODE]
     *     in defaults version 1)
     * @param decayUnsampled update absent arms with r = 0 (true = reference code)
     * @param progressGate weigh each arm by its learnability (GroupProgress): an arm whose pass
     *     rates do not move on revisits — noise, or beyond reach — loses its pull even though its
     *     |A| stays high (true [INF]; false = the paper)
     * @param gateFloor the smallest weight the gate gives (0.1 [INF]): exploration is not starved
     */
    public record Params(double alpha, double tau, boolean decayUnsampled, boolean progressGate, double gateFloor) {
        public static final Params DEFAULTS = new Params(0.5, 2.0, true, true, 0.1);

        public Params(double alpha, double tau, boolean decayUnsampled) {
            this(alpha, tau, decayUnsampled, DEFAULTS.progressGate(), DEFAULTS.gateFloor());
        }
    }

    public static final ComponentType<Params, SelfEvolvingCurriculum> TYPE = ComponentType.of(node -> new Params(
            node.number("alpha", Params.DEFAULTS.alpha(), 1e-9, 1),
            node.number("tau", node.byDefaults(1.0, Params.DEFAULTS.tau()), 1e-6, 1e6),
            node.bool("decayUnsampled", Params.DEFAULTS.decayUnsampled()),
            node.bool("progressGate", Params.DEFAULTS.progressGate()),
            node.number("gateFloor", Params.DEFAULTS.gateFloor(), 0, 1)), SelfEvolvingCurriculum::new);

    private final Params params;
    private final TaskPool pool;
    private final TeacherContext ctx;
    private double[] q = new double[4];
    private double[] rewardSum = new double[4];
    private int[] trajectories = new int[4];

    public SelfEvolvingCurriculum(Params params, TeacherContext ctx) {
        this.params = params;
        this.pool = ctx.pool();
        this.ctx = ctx;
    }

    private void ensure(int n) {
        if (n > q.length) {
            int cap = Math.max(n, 2 * q.length);
            q = Arrays.copyOf(q, cap);
            rewardSum = Arrays.copyOf(rewardSum, cap);
            trajectories = Arrays.copyOf(trajectories, cap);
        }
    }

    /** Q-value of a group. */
    public double q(int group) {
        return group < q.length ? q[group] : 0.0;
    }

    @Override
    public void probabilities(double[] out) {
        int g = pool.groupCount();
        ensure(g);
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < g; c++) if (pool.groupSize(c) > 0) max = Math.max(max, q[c]);
        double z = 0;
        for (int c = 0; c < g; c++) {
            out[c] = pool.groupSize(c) > 0 ? StrictMath.exp((q[c] - max) / params.tau()) * gate(c) : 0.0;
            z += out[c];
        }
        for (int c = 0; c < g; c++) out[c] = z > 0 ? out[c] / z : 0.0;
    }

    /** The progress gate's weight of an arm (1 when the gate is off). */
    private double gate(int c) {
        return params.progressGate() ? ctx.groupProgress().learnability(c, params.gateFloor()) : 1.0;
    }

    @Override
    public void observe(ObservedBatch b) {
        int g = pool.groupCount();
        ensure(g);
        Arrays.fill(rewardSum, 0, g, 0.0);
        Arrays.fill(trajectories, 0, g, 0);
        for (int i = 0; i < b.size; i++) {
            int c = b.group[i];
            for (int j = b.offset[i]; j < b.offset[i + 1]; j++) rewardSum[c] += Math.abs(b.advantage[j]);
            trajectories[c] += b.rollouts[i];
        }
        double a = params.alpha();
        for (int c = 0; c < g; c++) {
            if (trajectories[c] > 0) {
                q[c] = a * (rewardSum[c] / trajectories[c]) + (1 - a) * q[c];
            } else if (params.decayUnsampled()) {
                q[c] = (1 - a) * q[c];
            }
        }
    }

    @Override
    public void scores(double[] out) {
        for (int c = 0; c < pool.groupCount(); c++) out[c] = q(c);
    }

    @Override
    public void writeState(SnapshotWriter w) {
        // Q grows lazily (at the next proposal or report): a group added since has Q₀ = 0 but no slot yet.
        int g = pool.groupCount();
        ensure(g);
        w.writeDoubles(q, g);
    }

    @Override
    public void readState(SnapshotReader r) {
        double[] v = r.readDoubles();
        ensure(v.length);
        System.arraycopy(v, 0, q, 0, v.length);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
