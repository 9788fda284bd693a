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
 * @param flag why the outcome cannot be right as reported ({@link ReportFlag}), or null
 * @param allotted with {@link ReportFlag#ROLLOUTS_MISMATCH}, the rollouts the selection was allotted (else 0)
 */
public record Verdict(String taskId, double passRate, double meanAbsAdvantage, boolean effective, boolean keep, ReportFlag flag, int allotted) {
    /** A verdict without a flag. */
    public Verdict(String taskId, double passRate, double meanAbsAdvantage, boolean effective, boolean keep) {
        this(taskId, passRate, meanAbsAdvantage, effective, keep, null, 0);
    }
}
