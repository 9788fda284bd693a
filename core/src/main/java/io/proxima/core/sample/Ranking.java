package io.proxima.core.sample;

import java.util.Arrays;

/**
 * Order of candidates by a non-negative score without boxing: each key packs the score's float
 * bits (monotonic for non-negative floats) above the candidate's index, so one primitive sort
 * gives the order, with ties kept in candidate order (stable).
 */
public final class Ranking {
    private long[] keys = new long[64];

    /**
     * Writes into {@code out[0 .. n)} the indices {@code 0 .. n-1} ordered by ascending
     * {@code score[i]} (scores must be finite and ≥ 0), ties in index order.
     */
    public void ascending(double[] score, int n, int[] out) {
        if (keys.length < n) keys = new long[Math.max(n, 2 * keys.length)];
        for (int i = 0; i < n; i++) {
            double s = score[i];
            if (!(s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException("score[" + i + "] must be finite and >= 0, got " + s);
            keys[i] = ((long) Float.floatToIntBits((float) s) << 32) | i;
        }
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) out[i] = (int) keys[i];
    }
}
