package io.proxima.core.continuous;

import java.util.Map;

/**
 * A read-only view of a continuous curriculum.
 *
 * @param teacher the teacher type ("alp-gmm", …)
 * @param dims dimensions of the space
 * @param batches {@code next} calls answered
 * @param proposed tasks proposed in all (= the next task id)
 * @param reports outcomes reported in all
 * @param episodes episode returns reported in all (teacher updates)
 * @param meanReturn mean raw return over all episodes (NaN before any)
 * @param lastMeanReturn mean raw return of the last report (NaN before any)
 * @param teacherView the teacher's own numbers (fits, components, regions…)
 */
public record ContinuousStats(String teacher, int dims, long batches, long proposed, long reports, long episodes,
                              double meanReturn, double lastMeanReturn, Map<String, Double> teacherView) {}
