package io.proxima.core.recipe;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.compose.Pipeline;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;

import java.util.ArrayList;
import java.util.List;

/** One configured pipeline: a recipe name, its four pieces and its directive policies, ready to build. */
public record PipelineSpec(String recipe, Component<GroupPolicy> groupPolicy, Component<ItemPolicy> itemPolicy,
                           Component<OutcomeFilter> filter, Component<RolloutAllocator> allocator,
                           List<Component<DirectivePolicy>> directives) {
    public PipelineSpec {
        directives = List.copyOf(directives);
    }

    public Pipeline create(TeacherContext ctx) {
        List<DirectivePolicy> d = new ArrayList<>();
        for (Component<DirectivePolicy> c : directives) d.add(c.create(ctx));
        return new Pipeline(ctx, groupPolicy.create(ctx), itemPolicy.create(ctx), filter.create(ctx), allocator.create(ctx), d);
    }
}
