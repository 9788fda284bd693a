package io.proxima.server.dashboard;

import io.proxima.core.Curriculum;

import java.util.Arrays;

/**
 * The distribution PLR replays from (the dashboard's PLR panel): the replay scores S_i and the
 * staleness c − C_i of the tasks it has seen ({@link Curriculum#replayScores}), as a few quantiles
 * (kept per step in the history) and as two histograms (the state now).
 *
 * <p>Quantiles are nearest-rank: the q-quantile of S sorted values is the value at position
 * ⌈q·S⌉ (1-based). Histograms have {@code bins} equal bins over [0, high], high the largest value
 * (1 when every value is 0): bin k holds [k·high/bins, (k+1)·high/bins), the last also high.
 *
 * @param tasks tasks in the pool
 * @param seen tasks PLR has seen (reported at least once); the others are drawn as new levels
 * @param scoreP10 10th percentile of the scores (NaN when none is seen)
 * @param scoreMedian median score
 * @param scoreP90 90th percentile of the scores
 * @param scoreMax largest score
 * @param stalenessMedian median staleness (tasks PLR picked since it last picked the task)
 * @param stalenessMax largest staleness
 * @param scoreHigh upper edge of the score histogram
 * @param scoreCounts seen tasks per score bin
 * @param stalenessHigh upper edge of the staleness histogram
 * @param stalenessCounts seen tasks per staleness bin
 */
record ReplayDistribution(int tasks, int seen, double scoreP10, double scoreMedian, double scoreP90, double scoreMax,
                          double stalenessMedian, double stalenessMax, double scoreHigh, long[] scoreCounts,
                          double stalenessHigh, long[] stalenessCounts) {

    /** The per-step summary's names, in the order of {@link #summary()} (JSON series and CSV columns). */
    static final String[] SUMMARY = {"seen", "scoreP10", "scoreMedian", "scoreP90", "scoreMax", "stalenessMedian", "stalenessMax"};

    /** What a history keeps per sampled step: the values named by {@link #SUMMARY}. */
    double[] summary() {
        return new double[] {seen, scoreP10, scoreMedian, scoreP90, scoreMax, stalenessMedian, stalenessMax};
    }

    /** Reads a curriculum's PLR state; holds scratch columns reused from one read to the next. */
    static final class Reader {
        private final int bins;
        private double[] scores = new double[64];
        private double[] staleness = new double[64];
        private int n;

        Reader(int bins) {
            this.bins = bins;
        }

        /** The distribution now, or null when no pipeline of the curriculum replays levels. */
        ReplayDistribution read(Curriculum c) {
            n = 0;
            boolean plr = c.replayScores((task, group, score, stale) -> {
                if (n == scores.length) {
                    scores = Arrays.copyOf(scores, 2 * n);
                    staleness = Arrays.copyOf(staleness, 2 * n);
                }
                scores[n] = score;
                staleness[n] = stale;
                n++;
            });
            if (!plr) return null;
            Arrays.sort(scores, 0, n);
            Arrays.sort(staleness, 0, n);
            double scoreHigh = high(scores);
            double stalenessHigh = high(staleness);
            return new ReplayDistribution(c.size(), n, quantile(scores, 0.1), quantile(scores, 0.5), quantile(scores, 0.9),
                    quantile(scores, 1.0), quantile(staleness, 0.5), quantile(staleness, 1.0),
                    scoreHigh, histogram(scores, scoreHigh), stalenessHigh, histogram(staleness, stalenessHigh));
        }

        private double quantile(double[] sorted, double q) {
            if (n == 0) return Double.NaN;
            int rank = (int) Math.ceil(q * n); // 1-based
            return sorted[Math.max(1, Math.min(n, rank)) - 1];
        }

        private double high(double[] sorted) {
            return n == 0 || !(sorted[n - 1] > 0) ? 1.0 : sorted[n - 1];
        }

        private long[] histogram(double[] values, double high) {
            long[] counts = new long[bins];
            for (int i = 0; i < n; i++) {
                int k = (int) (values[i] / high * bins);
                counts[k < 0 ? 0 : Math.min(k, bins - 1)]++;
            }
            return counts;
        }
    }
}
