package io.proxima.core.recipe;

import io.proxima.core.compose.TeacherContext;

/** A configured piece: its type name and validated parameters, ready to build. */
public record Component<T>(String type, Object params, ComponentType<Object, T> kind) {
    public T create(TeacherContext ctx) {
        return kind.create(params, ctx);
    }

    @SuppressWarnings("unchecked")
    static <P, T> Component<T> bind(String type, ComponentType<P, T> kind, ConfigNode node) {
        ComponentType<Object, T> k = (ComponentType<Object, T>) kind;
        return new Component<>(type, k.parse(node), k);
    }
}
