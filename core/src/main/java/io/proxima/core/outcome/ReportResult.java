package io.proxima.core.outcome;

import java.util.List;

/**
 * The answer to {@code report(outcomes)}.
 *
 * @param accepted outcomes applied (all of them: a batch is applied whole or rejected whole)
 * @param kept outcomes the filter advises to train on
 * @param dropped outcomes the filter advises to drop; a trainer that keeps its batch full asks
 *     {@code next(dropped)} for replacements (DAPO dynamic sampling)
 * @param filterBypassed true when the filter's cold-start guard let everything through because
 *     too little passed it recently
 * @param verdicts one per outcome, in the order reported
 */
public record ReportResult(int accepted, int kept, int dropped, boolean filterBypassed, List<Verdict> verdicts) {
    public ReportResult {
        verdicts = List.copyOf(verdicts);
    }

    /** Outcomes flagged ({@link Verdict#flag}): applied, but they cannot be right as reported. */
    public int flagged() {
        int n = 0;
        for (Verdict v : verdicts) if (v.flag() != null) n++;
        return n;
    }
}
