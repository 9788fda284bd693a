package io.proxima.core.continuous;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ACCEL-style editing for any continuous teacher (Parker-Holder et al. 2022, "Evolving Curricula
 * with Regret-Based Environment Design", arXiv:2203.01302): a share of the proposals are small
 * random edits of the best-scoring recent tasks instead of the teacher's own proposals. Used by
 * {@link MutatingTeacher}; configured as {@code teacher.mutation} of any teacher.
 *
 * @param share probability that a proposal is an edit (once the buffer holds a task)
 * @param scale σ of the Gaussian edit, as a share of each dimension's range (the edit is clipped to the box)
 * @param score what ranks buffered tasks: {@link Score#PROGRESS} or {@link Score#REGRET}
 * @param bufferSize recent (task, return, score) triples kept, oldest dropped first
 * @param top the edited task is drawn uniformly among the {@code top} best-scoring buffered tasks
 */
public record Mutation(double share, double scale, Score score, int bufferSize, int top) {
    public static final double DEFAULT_SHARE = 0.2;
    public static final double DEFAULT_SCALE = 0.05;
    public static final int DEFAULT_BUFFER_SIZE = 256;
    public static final int DEFAULT_TOP = 10;
    public static final int MAX_BUFFER_SIZE = 1 << 16;

    /** How a buffered task is scored when it is observed. */
    public enum Score {
        /**
         * |r − r'|, r' the return of the nearest buffered task (range-normalised Euclidean
         * distance; 0 for the first task): absolute learning progress, as ALP-GMM's, over the buffer.
         */
        PROGRESS("progress"),
        /** 1 − r: ACCEL's regret proxy when returns are success rates in [0, 1] (use rewardScale otherwise). */
        REGRET("regret");

        private final String key;

        Score(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static final List<String> KEYS = List.of("progress", "regret");

        public static Score parse(String key) {
            for (Score s : values()) if (s.key.equals(key)) return s;
            throw new IllegalArgumentException("score must be one of " + KEYS + ", got \"" + key + "\"");
        }
    }

    public Mutation {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("share must be in [0, 1], got " + share);
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        if (score == null) throw new IllegalArgumentException("score is missing");
        if (bufferSize < 1 || bufferSize > MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException("bufferSize must be in [1, " + MAX_BUFFER_SIZE + "], got " + bufferSize);
        }
        if (top < 1 || top > bufferSize) throw new IllegalArgumentException("top must be in [1, bufferSize=" + bufferSize + "], got " + top);
    }

    /** Every field, for the canonical configuration. */
    Map<String, Object> resolved() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("share", share);
        m.put("scale", scale);
        m.put("score", score.key());
        m.put("bufferSize", bufferSize);
        m.put("top", top);
        return m;
    }
}
