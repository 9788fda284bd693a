package io.proxima.server.dashboard;

import java.util.Map;

/**
 * What one report of a continuous curriculum did.
 *
 * @param step reports so far, this one included
 * @param seq the report's event sequence number in the log
 * @param outcomes outcomes (proposed tasks) in the report
 * @param episodes episode returns in the report (the rollouts of a continuous curriculum)
 * @param episodesTotal episode returns reported since the curriculum was created
 * @param meanReturn mean raw return of the report
 * @param teacher the teacher's own numbers after the report
 */
record ParamStepRow(long step, long seq, int outcomes, long episodes, long episodesTotal, double meanReturn, Map<String, Double> teacher) {}
