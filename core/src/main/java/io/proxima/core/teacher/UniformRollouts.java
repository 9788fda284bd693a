package io.proxima.core.teacher;

import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;

import java.util.Arrays;

/** Every selected task gets the configured number of rollouts (the GRPO group size G). */
public final class UniformRollouts implements RolloutAllocator {
    /** No parameters: G is the curriculum's {@code rollouts}. */
    public record Params() {}

    public static final ComponentType<Params, UniformRollouts> TYPE =
            ComponentType.of(node -> new Params(), (p, ctx) -> new UniformRollouts(ctx.rollouts()));

    private final int rollouts;

    public UniformRollouts(int rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public void allocate(int[] tasks, int count, int[] out) {
        Arrays.fill(out, 0, count, rollouts);
    }
}
