package io.proxima.core.compose;

import io.proxima.core.sample.Rng;

/**
 * The fresh floor of an item policy: each slot of a pick is, with probability {@code share}, the
 * next task of the group's walk, before the policy chooses the rest.
 *
 * <p>Why: on the neural learners (docs/lab.md) an item policy that orders the epoch by pass rate
 * lost to the walk even when every task was still trained once per epoch — batches of similar
 * difficulty, in much the same order every epoch. Taking part of each batch from the walk bounds
 * how far the policy can move the batch from a random one, whatever the policy. PLR's
 * {@code freshShare} is the same floor (with never-seen tasks first). [INF]
 */
public final class FreshFloor {
    private FreshFloor() {}

    /**
     * Draws how many of {@code count} slots the walk takes (each with probability {@code share}),
     * adds that many distinct tasks of {@code group}'s walk to {@code batch}, and returns how many
     * it added. The group holds at least {@code count} tasks not in the batch.
     */
    public static int take(TeacherContext ctx, int group, int count, double share, BatchBuilder batch) {
        if (share <= 0 || count <= 0) return 0;
        Rng rng = ctx.rng();
        int k = 0;
        for (int i = 0; i < count; i++) if (rng.nextDouble() < share) k++;
        int before = batch.size();
        int target = before + k;
        // A repeat can only come across an epoch boundary; the guard bounds the pathological case.
        for (int guard = 2 * ctx.pool().groupSize(group) + k; batch.size() < target && guard > 0; guard--) {
            int t = ctx.walk().next(group, rng);
            if (t < 0) break;
            batch.add(t);
        }
        return batch.size() - before;
    }
}
