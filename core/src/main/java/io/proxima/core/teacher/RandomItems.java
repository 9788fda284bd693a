package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.space.IntList;

/**
 * Item policy of the {@code random} baseline: i.i.d. uniform draws inside the group, distinct
 * within a batch but with replacement across batches. Kept as the weaker of the two baselines
 * (shared/algorithms.md, "Lessons from small real learners").
 */
public final class RandomItems implements ItemPolicy {
    /** No parameters. */
    public record Params() {}

    public static final ComponentType<Params, RandomItems> TYPE =
            ComponentType.of(node -> new Params(), (p, ctx) -> new RandomItems(ctx));

    private final TeacherContext ctx;

    public RandomItems(TeacherContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        IntList members = ctx.pool().members(group);
        int size = members.size();
        int target = batch.size() + count;
        for (int tries = 4 * count + 16; batch.size() < target && tries > 0; tries--) {
            batch.add(members.get(ctx.rng().nextInt(size)));
        }
        // Rejection got unlucky (count close to the group size): take the rest in member order.
        for (int i = 0; batch.size() < target && i < size; i++) batch.add(members.get(i));
    }
}
