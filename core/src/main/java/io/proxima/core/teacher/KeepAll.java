package io.proxima.core.teacher;

import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;

import java.util.Arrays;

/** The filter that keeps every reported group. */
public final class KeepAll implements OutcomeFilter {
    /** No parameters. */
    public record Params() {}

    public static final ComponentType<Params, KeepAll> TYPE = ComponentType.of(node -> new Params(), (p, ctx) -> new KeepAll());

    @Override
    public boolean judge(ObservedBatch batch, boolean[] keep) {
        Arrays.fill(keep, 0, batch.size, true);
        return false;
    }
}
