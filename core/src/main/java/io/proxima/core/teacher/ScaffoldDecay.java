package io.proxima.core.teacher;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;

import java.util.Map;

/**
 * Scaffold decay after RuscaRL (Zhou et al. 2025, "Breaking the Exploration Bottleneck:
 * Rubric-Scaffolded Reinforcement Learning for General LLM Reasoning", arXiv:2508.16949):
 * checklist rubrics are given with the task while the model learns and withdrawn over training.
 * Directive {@code scaffold} in [0, 1]: the share of the rubric to show.
 *
 * <pre>
 *   s(t) = 1 − σ(k · (t/T − m))       a sigmoid from ≈1 to ≈0 over T steps, centred at m·T   [PAPER* shape]
 * </pre>
 * Defaults [INF]: T = {@code steps} 1000, m = 0.5, k = 10. (The paper also varies the rubric count
 * inside a group; a trainer can map s to per-rollout counts.)
 */
public final class ScaffoldDecay implements DirectivePolicy {
    /** Directive name. */
    public static final String KEY = "scaffold";

    public record Params(int steps, double midpoint, double sharpness) {
        public static final Params DEFAULTS = new Params(1000, 0.5, 10.0);
    }

    public static final ComponentType<Params, ScaffoldDecay> TYPE = ComponentType.of(node -> new Params(
            node.integer("steps", Params.DEFAULTS.steps(), 1, Integer.MAX_VALUE),
            node.number("midpoint", Params.DEFAULTS.midpoint(), 0, 1),
            node.number("sharpness", Params.DEFAULTS.sharpness(), 1e-6, 1e6)), (p, ctx) -> new ScaffoldDecay(p));

    private final Params params;

    public ScaffoldDecay(Params params) {
        this.params = params;
    }

    /** s(t). */
    public double strength(long t) {
        double x = params.sharpness() * ((double) t / params.steps() - params.midpoint());
        return 1.0 - 1.0 / (1.0 + StrictMath.exp(-x));
    }

    @Override
    public void directives(int task, long step, Map<String, Double> out) {
        out.put(KEY, strength(step));
    }
}
