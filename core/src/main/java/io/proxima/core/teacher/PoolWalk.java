package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;

/**
 * Item policy of the {@code uniform} baseline: each group is walked without replacement, a fresh
 * random permutation per epoch (see {@link io.proxima.core.sample.EpochWalk}). This is how ODF and
 * DAPO walk their datasets, and a strong baseline on real learners.
 */
public final class PoolWalk implements ItemPolicy {
    /** No parameters. */
    public record Params() {}

    public static final ComponentType<Params, PoolWalk> TYPE =
            ComponentType.of(node -> new Params(), (p, ctx) -> new PoolWalk(ctx));

    private final TeacherContext ctx;

    public PoolWalk(TeacherContext ctx) {
        this.ctx = ctx;
    }

    private int[] drawn = new int[64];

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        int target = batch.size() + count;
        // Draw first, add after: the walk's reads are cache misses at 1M+ tasks, and a loop with no
        // data-dependent branch lets the CPU overlap them (the batch's duplicate check would not).
        if (drawn.length < count) drawn = new int[Math.max(count, 2 * drawn.length)];
        for (int i = 0; i < count; i++) drawn[i] = ctx.walk().next(group, ctx.rng());
        for (int i = 0; i < count; i++) batch.add(drawn[i]);
        // A task already in the batch can come again only across an epoch boundary; draw more.
        for (int guard = 2 * ctx.pool().groupSize(group) + count; batch.size() < target && guard > 0; guard--) {
            batch.add(ctx.walk().next(group, ctx.rng()));
        }
    }
}
