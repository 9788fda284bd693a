package io.proxima.core.outcome;

import java.util.Map;

/**
 * One task of a selection.
 *
 * @param taskId external id
 * @param rollouts how many rollouts to spend on it (the GRPO group size)
 * @param directives per-task directives such as {@code max_tokens} or {@code hint_level}; empty
 *     when the teacher gives none
 */
public record SelectedTask(String taskId, int rollouts, Map<String, Double> directives) {
    public SelectedTask {
        directives = directives == null || directives.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(directives));
    }
}
