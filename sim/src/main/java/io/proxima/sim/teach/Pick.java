package io.proxima.sim.teach;

import java.util.Map;

/**
 * One task a lab teacher chose.
 *
 * @param task dense index of the prompt in the learner's pool
 * @param rollouts rollouts to generate (the GRPO group size; an allocator may give 0)
 * @param directives the selection's directives ({@code max_tokens}, {@code hint_level}…), empty when none
 */
public record Pick(int task, int rollouts, Map<String, Double> directives) {
    /** The {@code max_tokens} directive. */
    public static final String MAX_TOKENS = "max_tokens";

    public Pick {
        directives = directives == null || directives.isEmpty() ? Map.of() : Map.copyOf(directives);
    }

    public Pick(int task, int rollouts) {
        this(task, rollouts, Map.of());
    }

    /** The token budget of each rollout, 0 when there is none. */
    public int maxTokens() {
        Double m = directives.get(MAX_TOKENS);
        return m == null || !(m >= 1) ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.floor(m));
    }
}
