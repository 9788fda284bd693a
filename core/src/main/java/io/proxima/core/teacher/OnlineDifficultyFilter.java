package io.proxima.core.teacher;

import io.proxima.core.compose.GuardedFilter;
import io.proxima.core.compose.KeepShareGuard;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;

/**
 * Online Difficulty Filtering, balanced (Bae et al. 2025, "Online Difficulty Filtering for
 * Reasoning Oriented Reinforcement Learning", arXiv:2504.03380) — the filter half.
 *
 * <pre>
 *   p̂(x) = (1/G) Σ r_i            this step's rollouts only, no smoothing
 *   keep  ⇔  low ≤ p̂(x) ≤ high      (both inclusive; low = 0.2, high = 0.8, G = 8)
 * </pre>
 * Why: the KL lower bound between initial and optimal policy grows with the variance p(1−p) of
 * the sampled accuracy, maximal at 0.5. The trainer drops what is not kept and refills with
 * {@code next} (the paper stacks fresh generation batches until the batch is full).
 * Cold start: {@link KeepShareGuard} lets everything through while less than
 * {@code minKeepShare} of the last {@code guardWindow} groups would be kept.
 * The selection half (prefer tasks predicted in the band) is {@link DifficultyBand}.
 */
public final class OnlineDifficultyFilter extends GuardedFilter {
    /**
     * @param low lower bound of the kept pass rate, inclusive (0.2 [PAPER*])
     * @param high upper bound, inclusive (0.8 [PAPER*])
     * @param minKeepShare guard: below this recent kept share the filter is bypassed (0.2 [INF])
     * @param guardWindow outcomes the guard remembers (256 [INF])
     */
    public record Params(double low, double high, double minKeepShare, int guardWindow) {
        public static final Params DEFAULTS = new Params(0.2, 0.8, 0.2, 256);
    }

    public static final ComponentType<Params, OnlineDifficultyFilter> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("low", d.low(), 0, 1), node.number("high", d.high(), 0, 1),
                node.number("minKeepShare", d.minKeepShare(), 0, 1), node.integer("guardWindow", d.guardWindow(), 1, 1 << 20));
        if (p.low() > p.high()) throw new ConfigException(node.path() + ".low", "must be <= high (" + p.high() + "), got " + p.low());
        return p;
    }, (p, ctx) -> new OnlineDifficultyFilter(p));

    private final Params params;

    public OnlineDifficultyFilter(Params params) {
        super(params.minKeepShare(), params.guardWindow());
        this.params = params;
    }

    @Override
    protected void verdicts(ObservedBatch b, boolean[] keep) {
        for (int i = 0; i < b.size; i++) keep[i] = b.passRate[i] >= params.low() && b.passRate[i] <= params.high();
    }
}
