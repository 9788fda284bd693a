package io.proxima.core.teacher;

import io.proxima.core.compose.Allocations;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * CurES rollout allocation (Zeng et al. 2025, "CurES: From Gradient Analysis to Efficient
 * Curriculum Learning for Reasoning LLMs", arXiv:2510.01037).
 * [CODE ZexuSun/CurES epic/stage_0_init_difficulty_sample_size.py, init_sample_size — "eq. 127"]
 *
 * <pre>
 *   σ_i = sqrt( p q² E[g_c²] + p² q E[g_w²] − p² q² (E[g_c] − E[g_w])² ),   q = 1 − p
 *   n_i = round(N · σ_i / Σ_j σ_j)
 * </pre>
 * p_i is the task's observed acceptance rate (its last report's pass rate; the Beta(1+S, 1+F)
 * posterior mean before any report, as the code's difficulty estimate); g_c, g_w are the gradient
 * norms of correct and wrong rollouts, which the engine does not see: with unit norms [INF]
 * σ_i = sqrt(p_i q_i (p_i + q_i)) = sqrt(p_i (1 − p_i)) — the most rollouts go to tasks near
 * p = 0.5, none beyond {@code min} to tasks always or never solved. N = tasks × rollouts (the
 * uniform budget; the code uses batch × n_max with n in [4, 16]), each task within [min, max] while
 * the budget allows. (CurES' prompt-sampling rule, p ∝ exp(sqrt(p(1 − p)) / (100·(accepted + 1))),
 * is nearly uniform at the code's constants and is not part of this allocator.)
 */
public final class CuresAllocator implements RolloutAllocator {
    /**
     * @param min fewest rollouts per task (2 [INF]; the code: 4)
     * @param max most rollouts per task (0 = 4 × rollouts [INF]; the code: 16)
     */
    public record Params(int min, int max) {
        public static final Params DEFAULTS = new Params(2, 0);
    }

    public static final ComponentType<Params, CuresAllocator> TYPE = ComponentType.of(node -> {
        Params p = new Params(node.integer("min", Params.DEFAULTS.min(), 1, 1 << 16), node.integer("max", Params.DEFAULTS.max(), 0, 1 << 16));
        if (p.max() != 0 && p.max() < p.min()) throw new ConfigException(node.path() + ".max", "must be >= min (" + p.min() + "), got " + p.max());
        return p;
    }, CuresAllocator::new);

    private final Params params;
    private final TeacherContext ctx;

    public CuresAllocator(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
    }

    @Override
    public void allocate(int[] tasks, int count, int[] rollouts) {
        Allocations.byPassRate(ctx, tasks, count, rollouts, params.min(), params.max(), CuresAllocator::sigma);
    }

    /** σ_i with unit gradient norms: sqrt(p (1 − p)). */
    static double sigma(double p) {
        return Math.sqrt(p * (1 - p));
    }

    /** {@code p}: the acceptance rate read; {@code weight}: σ_i (the batch's rollouts are shared in proportion to it). */
    @Override
    public void explain(int task, int rollouts, java.util.Map<String, Double> out) {
        double p = Allocations.passRate(ctx, task);
        out.put("p", p);
        out.put("weight", sigma(p));
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
