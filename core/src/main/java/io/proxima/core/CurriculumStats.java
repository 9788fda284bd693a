package io.proxima.core;

import io.proxima.core.generate.GenerationStats;

import java.util.List;
import java.util.Map;

/**
 * A read-only view of a curriculum: global counts and one row per group.
 *
 * @param recipe the recipe name
 * @param tasks tasks in the pool
 * @param batches {@code next} calls answered
 * @param selections tasks selected in all
 * @param reports outcomes with rewards reported in all
 * @param rollouts rollouts reported in all
 * @param effectiveRatio share of reported groups whose advantages were not all zero (NaN before any)
 * @param lastEffectiveRatio the same for the last report only
 * @param groups per group
 * @param teacher the teacher's own numbers (filter keep share, guard state, value loss…)
 * @param notSelected outcomes applied that no selection awaited ({@link io.proxima.core.outcome.ReportFlag#NOT_SELECTED})
 * @param rolloutsMismatch outcomes applied whose rewards differed from the rollouts allotted
 *     ({@link io.proxima.core.outcome.ReportFlag#ROLLOUTS_MISMATCH})
 * @param generation generated tasks and requests; null when the curriculum has neither a
 *     {@code generation} configuration nor a task with a parent
 */
public record CurriculumStats(String recipe, int tasks, long batches, long selections, long reports, long rollouts,
                              double effectiveRatio, double lastEffectiveRatio, List<Group> groups,
                              Map<String, Double> teacher, long notSelected, long rolloutsMismatch, GenerationStats generation) {
    /**
     * @param name group name
     * @param size tasks in the group
     * @param selections tasks selected from it
     * @param selectionShare its share of all selections (NaN before any)
     * @param reports outcomes reported for it
     * @param meanPassRate mean reported pass rate (NaN before any report)
     * @param meanAbsAdvantage mean over reported groups of mean |A| (NaN before any report)
     * @param effectiveRatio share of its reported groups with non-zero advantage (NaN before any)
     * @param probability the group policy's current probability of drawing it for a slot
     * @param score the group policy's score (Q-value, UCB score; NaN if none)
     * @param epochs completed passes of its walk
     * @param meanLoss mean reported loss (supervised learners; NaN before any)
     */
    public record Group(String name, int size, long selections, double selectionShare, long reports, double meanPassRate,
                        double meanAbsAdvantage, double effectiveRatio, double probability, double score, long epochs,
                        double meanLoss) {}

    public Group group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no group named '" + name + "'"));
    }
}
