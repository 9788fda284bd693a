package io.proxima.core.outcome;

/**
 * Why a reported outcome cannot be right as it stands (a sign of rewards credited to the wrong
 * task, or of a trainer that lost rollouts). A flagged outcome is still applied, unless the
 * curriculum's configuration says {@code "strictReports": true}: then the whole report is refused.
 */
public enum ReportFlag {
    /** No selection of the task awaits a report: it was never selected, or each of its selections was reported already. */
    NOT_SELECTED("notSelected"),
    /** The number of rewards differs from the rollouts allotted to the task's selection. */
    ROLLOUTS_MISMATCH("rolloutsMismatch");

    /** The name in JSON answers and statistics. */
    public final String key;

    ReportFlag(String key) {
        this.key = key;
    }
}
