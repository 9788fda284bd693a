package io.proxima.core.compose;

/**
 * The names of a pipeline's pieces as configured (recipe and component types), for explanations.
 *
 * @param shareBound whether the group policy is wrapped in a {@link ShareBound}
 */
public record PieceNames(String recipe, String groupPolicy, boolean shareBound, String itemPolicy, String filter, String allocator) {
    /** Names from the pieces' classes, for a pipeline built without a spec (tests, the lab). */
    static PieceNames of(GroupPolicy g, ItemPolicy i, OutcomeFilter f, RolloutAllocator a) {
        boolean bound = g instanceof ShareBound;
        GroupPolicy inner = bound ? ((ShareBound) g).inner() : g;
        return new PieceNames("pipeline", name(inner), bound, name(i), name(f), name(a));
    }

    private static String name(Object o) {
        String s = o.getClass().getSimpleName();
        return s.isEmpty() ? o.getClass().getName() : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
