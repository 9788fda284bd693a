package io.proxima.core.teacher;

import io.proxima.core.compose.GuardedFilter;
import io.proxima.core.compose.KeepShareGuard;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;

/**
 * DAPO dynamic sampling (Yu et al. 2025, "DAPO: An Open-Source LLM Reinforcement Learning System
 * at Scale", arXiv:2503.14476; verl {@code algorithm.filter_groups}).
 *
 * <pre>
 *   keep(uid)  ⇔  std(r_uid) &gt; 0  or  |group(uid)| = 1       (population std, metric = acc)
 * </pre>
 * A group whose rewards all agree has every advantage zero: no gradient. The trainer drops it and
 * asks {@code next(dropped)} for replacements until its batch holds {@code train_batch_size}
 * prompts. The reference raises an error after {@code max_num_gen_batches} rounds; we degrade
 * instead (shared/algorithms/llm-rl.md §2, pitfalls): {@link KeepShareGuard} lets everything
 * through while too little passes, so a learner near chance still trains.
 *
 * <p>The guard's default threshold is ours (0.5 [INF]): every dropped group was paid for in
 * generation, and a trainer refills its batch, so a filter that keeps a share k of the groups
 * multiplies generation per step by 1/k. At equal generated rollouts on neural learners
 * (docs/lab.md) the filter at verl's tolerance (k down to 0.1, 10 rounds) lost to walking the
 * pool; at 0.5 it filters only while it costs at most twice the generation. {@code minKeepShare:
 * 0.1} is verl's {@code max_num_gen_batches = 10}.
 */
public final class DynamicSampling extends GuardedFilter {
    /**
     * @param minKeepShare guard threshold: below this share of recent groups kept, keep everything
     *     (0.5 [INF]; 0.1 ≈ verl's max_num_gen_batches = 10 [CODE], read as a share of groups kept)
     * @param guardWindow outcomes the guard remembers (256 [INF])
     */
    public record Params(double minKeepShare, int guardWindow) {
        public static final Params DEFAULTS = new Params(0.5, 256);
    }

    public static final ComponentType<Params, DynamicSampling> TYPE = ComponentType.of(node -> new Params(
            node.number("minKeepShare", Params.DEFAULTS.minKeepShare(), 0, 1),
            node.integer("guardWindow", Params.DEFAULTS.guardWindow(), 1, 1 << 20)), (p, ctx) -> new DynamicSampling(p));

    public DynamicSampling(Params params) {
        super(params.minKeepShare(), params.guardWindow());
    }

    @Override
    protected void verdicts(ObservedBatch b, boolean[] keep) {
        for (int i = 0; i < b.size; i++) keep[i] = b.effective[i] || b.rollouts[i] == 1;
    }
}
