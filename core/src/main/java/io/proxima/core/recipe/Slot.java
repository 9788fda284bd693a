package io.proxima.core.recipe;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.compose.RolloutAllocator;

/** The four places of a pipeline, by their configuration key. */
public enum Slot {
    GROUP_POLICY("groupPolicy", GroupPolicy.class),
    ITEM_POLICY("itemPolicy", ItemPolicy.class),
    FILTER("filter", OutcomeFilter.class),
    ALLOCATOR("allocator", RolloutAllocator.class),
    /** A list of pieces, not one: token budget, hint level, scaffold… (none by default). */
    DIRECTIVES("directives", DirectivePolicy.class);

    public final String key;
    public final Class<?> piece;

    Slot(String key, Class<?> piece) {
        this.key = key;
        this.piece = piece;
    }
}
