package io.proxima.core.teacher;

import io.proxima.core.compose.Allocations;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * GVM — gradient-variance-minimising rollout allocation (Yao et al. 2025, "Optimizing Chain-of-
 * Thought Reasoners via Gradient Variance Minimization in Rejection Sampling and RL",
 * arXiv:2505.02391). [CODE RLHFlow/GVM em/stage_2_calc_sample_size.py]
 *
 * <pre>
 *   w_i = 0                                  if p_i = 0 (or G_i = 0)
 *   w_i = G_i / sqrt(p_i + a / p_i^(b−1))    otherwise            a = 1e-3, b = 2
 *   q_i = w_i / Σ_j w_j;   n_i = round(q_i · N), the rounding error fixed by largest residuals
 * </pre>
 * p_i is the task's acceptance rate: its last report's pass rate (the posterior mean for a task
 * never reported). G_i, the gradient norm of the accepted samples, is not known to the engine:
 * G_i = 1 [INF], so n_i ∝ 1/sqrt(p_i + a/p_i). N = tasks × rollouts (the uniform budget), and each
 * task gets at least {@code min} and at most {@code max} while the budget allows.
 */
public final class GradientVarianceAllocator implements RolloutAllocator {
    /**
     * @param a the paper's a (1e-3 [CODE])
     * @param b the paper's b (2 [CODE])
     * @param min fewest rollouts per task (2: a GRPO group needs two to carry advantage [INF])
     * @param max most rollouts per task (0 = 4 × rollouts [INF])
     */
    public record Params(double a, double b, int min, int max) {
        public static final Params DEFAULTS = new Params(1e-3, 2.0, 2, 0);
    }

    public static final ComponentType<Params, GradientVarianceAllocator> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("a", d.a(), 0, 1e6), node.number("b", d.b(), -1e3, 1e3),
                node.integer("min", d.min(), 1, 1 << 16), node.integer("max", d.max(), 0, 1 << 16));
        if (p.max() != 0 && p.max() < p.min()) throw new ConfigException(node.path() + ".max", "must be >= min (" + p.min() + "), got " + p.max());
        return p;
    }, GradientVarianceAllocator::new);

    private final Params params;
    private final TeacherContext ctx;

    public GradientVarianceAllocator(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
    }

    /** w_i for acceptance rate p and gradient norm g. */
    public static double weight(double p, double g, double a, double b) {
        if (p <= 0 || g <= 0) return 0.0;
        return g / Math.sqrt(p + a / StrictMath.pow(p, b - 1));
    }

    @Override
    public void allocate(int[] tasks, int count, int[] rollouts) {
        Allocations.byPassRate(ctx, tasks, count, rollouts, params.min(), params.max(), p -> weight(p, 1.0, params.a(), params.b()));
    }

    /** {@code p}: the acceptance rate read; {@code weight}: w_i (the batch's rollouts are shared in proportion to it). */
    @Override
    public void explain(int task, int rollouts, java.util.Map<String, Double> out) {
        double p = Allocations.passRate(ctx, task);
        out.put("p", p);
        out.put("weight", weight(p, 1.0, params.a(), params.b()));
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
