package io.proxima.core.recipe;

import io.proxima.core.compose.TeacherContext;

/**
 * A named kind of pipeline piece ({@code "sec"}, {@code "odf"}, {@code "uniform"}…): reads its
 * parameters from configuration into a record and builds the piece from them.
 *
 * @param <P> the parameter record
 * @param <T> the piece (GroupPolicy, ItemPolicy, OutcomeFilter, RolloutAllocator)
 */
public interface ComponentType<P, T> {
    /** Reads and validates the parameters; must call {@link ConfigNode#finish()}. */
    P parse(ConfigNode node);

    T create(P params, TeacherContext ctx);

    /** Shorthand to build one from two lambdas. */
    static <P, T> ComponentType<P, T> of(java.util.function.Function<ConfigNode, P> parse,
                                         java.util.function.BiFunction<P, TeacherContext, T> create) {
        return new ComponentType<>() {
            @Override
            public P parse(ConfigNode node) {
                P p = parse.apply(node);
                node.finish();
                return p;
            }

            @Override
            public T create(P params, TeacherContext ctx) {
                return create.apply(params, ctx);
            }
        };
    }
}
