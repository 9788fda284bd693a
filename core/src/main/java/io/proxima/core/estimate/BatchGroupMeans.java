package io.proxima.core.estimate;

import io.proxima.core.outcome.ObservedBatch;

import java.util.Arrays;

/** The mean reported pass rate of each group within one report (NaN for groups absent from it). Reused across reports. */
public final class BatchGroupMeans {
    private double[] sum = new double[0];
    private int[] count = new int[0];
    private double[] mean = new double[0];

    /** Computes the means of {@code b} over groups {@code 0 .. groups); returns the array (valid up to groups). */
    public double[] of(ObservedBatch b, int groups) {
        if (groups > mean.length) {
            sum = new double[groups];
            count = new int[groups];
            mean = new double[groups];
        }
        Arrays.fill(sum, 0, groups, 0.0);
        Arrays.fill(count, 0, groups, 0);
        for (int i = 0; i < b.size; i++) {
            if (b.rollouts[i] == 0) continue;
            sum[b.group[i]] += b.passRate[i];
            count[b.group[i]]++;
        }
        for (int g = 0; g < groups; g++) mean[g] = count[g] == 0 ? Double.NaN : sum[g] / count[g];
        return mean;
    }
}
