package io.proxima.core.recipe;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.compose.Pipeline;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;

/** One configured pipeline: a recipe name and its four pieces, ready to build. */
public record PipelineSpec(String recipe, Component<GroupPolicy> groupPolicy, Component<ItemPolicy> itemPolicy,
                           Component<OutcomeFilter> filter, Component<RolloutAllocator> allocator) {
    public Pipeline create(TeacherContext ctx) {
        return new Pipeline(ctx, groupPolicy.create(ctx), itemPolicy.create(ctx), filter.create(ctx), allocator.create(ctx));
    }
}
