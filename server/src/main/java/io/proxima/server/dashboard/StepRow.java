package io.proxima.server.dashboard;

import java.util.Map;

/**
 * What one report of a discrete curriculum did: a training step as the dashboard plots it. Per-group
 * arrays are indexed by group number (order of first appearance) and may be shorter than the group
 * list when groups were added later (a missing entry is "no data").
 *
 * @param step reports so far, this one included (the x axis)
 * @param seq the report's event sequence number in the log
 * @param learnerStep largest {@code step} the outcomes carried, -1 if none
 * @param outcomes outcomes in the report
 * @param rollouts rollouts (rewards) in the report
 * @param rolloutsTotal rollouts reported since the curriculum was created
 * @param effectiveRatio share of the report's groups whose advantages were not all zero (NaN: none with rewards)
 * @param meanPassRate mean observed pass rate of the report's outcomes
 * @param selected tasks drawn per group by the {@code next} calls since the previous report
 * @param probability the group policy's probability per group after the report
 * @param score the group policy's score per group after the report (NaN: the policy has none)
 * @param meanAbsAdvantage mean |advantage| per group over this report's outcomes (NaN: none of the group)
 * @param passRateHistogram tasks of the pool per pass-rate bin after the report, or null when not sampled at this step
 * @param band for a difficulty band (ODF): tasks {untried, below, in band, above} after the report, or null (no band, or not sampled)
 * @param replay for PLR: the {@link ReplayDistribution#summary()} of its scores and staleness after the report, or null (no PLR, or not sampled)
 * @param teacher the teacher's own numbers after the report
 */
record StepRow(long step, long seq, long learnerStep, int outcomes, long rollouts, long rolloutsTotal, double effectiveRatio,
               double meanPassRate, int[] selected, double[] probability, double[] score, double[] meanAbsAdvantage,
               long[] passRateHistogram, long[] band, double[] replay, Map<String, Double> teacher) {

    /** Share of the step's selections that came from group {@code g} (NaN when no task was drawn). */
    double share(int g) {
        long total = 0;
        for (int s : selected) total += s;
        return total == 0 ? Double.NaN : g < selected.length ? (double) selected[g] / total : 0.0;
    }

    static double at(double[] a, int g) {
        return g < a.length ? a[g] : Double.NaN;
    }
}
