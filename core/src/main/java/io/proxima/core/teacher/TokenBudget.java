package io.proxima.core.teacher;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;

import java.util.List;
import java.util.Map;

/**
 * Token-budget curriculum — "Train Long, Think Short" (Hammoud et al. 2025, arXiv:2508.08940):
 * start with a generous generation budget and tighten it over training. Directive
 * {@code max_tokens}.
 *
 * <pre>
 *   exponential  B(t) = max(B_min, ⌊B₀ · γ^⌊t / T_step⌋⌋)                 [PAPER*]
 *   linear       B(t) = B₀ − (B₀ − B_final) · min(1, t / T_decay)
 *   per task     B_i(t) = min(B₀, B(t) · (1 + s · (1 − p_i)))   with s = {@code difficultyScale}
 *                (harder tasks, by their estimated pass rate p_i, keep more room) [INF]
 * </pre>
 * t is the learner's step (the largest step reported so far, else the batch count). Defaults
 * [INF, shared/algorithms/llm-rl.md §8]: B₀ 4096, B_final = B_min = B₀/3, T_step 50, γ chosen so that
 * B reaches B_final at 2/3 of {@code steps} (1000).
 */
public final class TokenBudget implements DirectivePolicy {
    /** Directive name. */
    public static final String KEY = "max_tokens";

    public record Params(String schedule, int start, int end, int steps, int stepLength, double difficultyScale) {
        public static final Params DEFAULTS = new Params("exponential", 4096, 1365, 1000, 50, 0.0);
    }

    public static final ComponentType<Params, TokenBudget> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        int start = node.integer("start", d.start(), 1, Integer.MAX_VALUE);
        Params p = new Params(node.choice("schedule", d.schedule(), List.of("exponential", "linear")), start,
                node.integer("end", node.has("start") ? Math.max(1, start / 3) : d.end(), 1, Integer.MAX_VALUE),
                node.integer("steps", d.steps(), 1, Integer.MAX_VALUE), node.integer("stepLength", d.stepLength(), 1, Integer.MAX_VALUE),
                node.number("difficultyScale", d.difficultyScale(), 0, 100));
        if (p.end() > p.start()) throw new ConfigException(node.path() + ".end", "must be <= start (" + p.start() + "), got " + p.end());
        return p;
    }, TokenBudget::new);

    private final Params params;
    private final TeacherContext ctx;
    private final double gamma;

    public TokenBudget(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        // reach `end` after 2/3 of the steps: γ^(k) = end/start with k = (2/3·steps)/stepLength decays
        double decays = Math.max(1.0, (2.0 / 3.0) * params.steps() / params.stepLength());
        this.gamma = StrictMath.pow((double) params.end() / params.start(), 1.0 / decays);
    }

    /** B(t). */
    public int budget(long t) {
        if (params.schedule().equals("linear")) {
            double f = Math.min(1.0, (double) t / params.steps());
            return (int) Math.round(params.start() - (params.start() - params.end()) * f);
        }
        double b = Math.floor(params.start() * StrictMath.pow(gamma, (double) (t / params.stepLength())));
        return (int) Math.max(params.end(), b);
    }

    @Override
    public void directives(int task, long step, Map<String, Double> out) {
        double b = budget(step);
        if (params.difficultyScale() > 0) {
            double p = ctx.passRates().mean(task);
            b = Math.min(params.start(), Math.floor(b * (1 + params.difficultyScale() * (1 - p))));
        }
        out.put(KEY, b);
    }
}
