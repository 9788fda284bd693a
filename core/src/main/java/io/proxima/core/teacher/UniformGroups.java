package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.space.TaskPool;

/**
 * Group policy of the baselines: no preference between groups, so every task of the pool is
 * equally likely: P(group g) = |g| / N.
 */
public final class UniformGroups implements GroupPolicy {
    /** No parameters. */
    public record Params() {}

    public static final ComponentType<Params, UniformGroups> TYPE =
            ComponentType.of(node -> new Params(), (p, ctx) -> new UniformGroups(ctx));

    private final TaskPool pool;

    public UniformGroups(TeacherContext ctx) {
        this.pool = ctx.pool();
    }

    @Override
    public void probabilities(double[] out) {
        double n = pool.size();
        for (int g = 0; g < pool.groupCount(); g++) out[g] = n == 0 ? 0 : pool.groupSize(g) / n;
    }
}
