package io.proxima.core.outcome;

/**
 * What the curriculum concluded about one reported outcome.
 *
 * @param taskId external id
 * @param passRate this report's mean reward (the group's empirical pass rate for binary rewards)
 * @param meanAbsAdvantage mean |A_i| of the group under the curriculum's advantage mode
 * @param effective whether the group carries gradient (its rewards are not all equal)
 * @param keep the filter's advice: train on this group ({@code true}) or drop it and ask for a
 *     replacement with {@code next}
 */
public record Verdict(String taskId, double passRate, double meanAbsAdvantage, boolean effective, boolean keep) {}
