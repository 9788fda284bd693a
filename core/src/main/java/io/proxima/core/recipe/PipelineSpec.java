package io.proxima.core.recipe;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.compose.PieceNames;
import io.proxima.core.compose.Pipeline;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.ShareBound;
import io.proxima.core.compose.TeacherContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One configured pipeline: a recipe name, its four pieces and its directive policies, ready to
 * build; the group policy is wrapped in a {@link ShareBound} unless its bound is off.
 */
public record PipelineSpec(String recipe, Component<GroupPolicy> groupPolicy, ShareBound.Params shareBound,
                           Component<ItemPolicy> itemPolicy, Component<OutcomeFilter> filter, Component<RolloutAllocator> allocator,
                           List<Component<DirectivePolicy>> directives) {
    public PipelineSpec {
        directives = List.copyOf(directives);
    }

    public Pipeline create(TeacherContext ctx) {
        List<DirectivePolicy> d = new ArrayList<>();
        for (Component<DirectivePolicy> c : directives) d.add(c.create(ctx));
        GroupPolicy groups = groupPolicy.create(ctx);
        if (!shareBound.off()) groups = new ShareBound(shareBound, ctx, groups);
        PieceNames names = new PieceNames(recipe, groupPolicy.type(), !shareBound.off(), itemPolicy.type(), filter.type(), allocator.type());
        return new Pipeline(ctx, groups, itemPolicy.create(ctx), filter.create(ctx), allocator.create(ctx), d, names);
    }
}
