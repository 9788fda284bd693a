package io.proxima.core.estimate;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * Running statistics per group and overall: selections, reported groups, effective groups
 * (non-zero advantage), sums of pass rate and mean |A|, and a fading pooled pass rate that serves
 * as the prior of the group's tasks that have no evidence of their own.
 */
public final class GroupStats {
    /**
     * Weight of the old pooled evidence at each new outcome of the group. 0.99 ≈ the last hundred
     * outcomes: the group prior follows a learner that improves. [INF]
     */
    public static final double POOLED_DECAY = 0.99;

    private int groups;
    private long[] selected = new long[4];
    private long[] reported = new long[4];
    private long[] effective = new long[4];
    private long[] rollouts = new long[4];
    private double[] sumPassRate = new double[4];
    private double[] sumAbsAdvantage = new double[4];
    private double[] pooledSuccesses = new double[4];
    private double[] pooledTrials = new double[4];
    private double[] sumLoss = new double[4];
    private long[] losses = new long[4];
    private long batches;
    private long maxStep = -1;
    private long totalSelected;
    private long totalReported;
    private long totalEffective;
    private long totalRollouts;
    private double lastReportEffectiveRatio = Double.NaN;

    public void ensureGroups(int n) {
        if (n > selected.length) {
            int cap = Math.max(n, selected.length * 2);
            selected = Arrays.copyOf(selected, cap);
            reported = Arrays.copyOf(reported, cap);
            effective = Arrays.copyOf(effective, cap);
            rollouts = Arrays.copyOf(rollouts, cap);
            sumPassRate = Arrays.copyOf(sumPassRate, cap);
            sumAbsAdvantage = Arrays.copyOf(sumAbsAdvantage, cap);
            pooledSuccesses = Arrays.copyOf(pooledSuccesses, cap);
            pooledTrials = Arrays.copyOf(pooledTrials, cap);
            sumLoss = Arrays.copyOf(sumLoss, cap);
            losses = Arrays.copyOf(losses, cap);
        }
        groups = Math.max(groups, n);
    }

    public void recordSelection(int group) {
        ensureGroups(group + 1);
        selected[group]++;
        totalSelected++;
    }

    public void recordBatch() {
        batches++;
    }

    public void observe(ObservedBatch b) {
        int eff = 0;
        int withRewards = 0;
        for (int i = 0; i < b.size; i++) {
            int g = b.group[i];
            ensureGroups(g + 1);
            maxStep = Math.max(maxStep, b.step[i]);
            if (!Double.isNaN(b.loss[i])) {
                sumLoss[g] += b.loss[i];
                losses[g]++;
            }
            if (b.rollouts[i] == 0) continue; // a loss-only outcome: no reward statistics
            withRewards++;
            reported[g]++;
            rollouts[g] += b.rollouts[i];
            sumPassRate[g] += b.passRate[i];
            sumAbsAdvantage[g] += b.meanAbsAdvantage[i];
            if (!b.hinted[i]) { // the prior follows the unaided policy
                pooledSuccesses[g] = POOLED_DECAY * pooledSuccesses[g] + b.successes[i];
                pooledTrials[g] = POOLED_DECAY * pooledTrials[g] + b.rollouts[i];
            }
            if (b.effective[i]) {
                effective[g]++;
                eff++;
            }
            totalRollouts += b.rollouts[i];
        }
        totalReported += withRewards;
        totalEffective += eff;
        if (withRewards > 0) lastReportEffectiveRatio = (double) eff / withRewards;
    }

    public int groups() {
        return groups;
    }

    public long selected(int g) {
        return g < groups ? selected[g] : 0;
    }

    public long reported(int g) {
        return g < groups ? reported[g] : 0;
    }

    public long effective(int g) {
        return g < groups ? effective[g] : 0;
    }

    public long rollouts(int g) {
        return g < groups ? rollouts[g] : 0;
    }

    /** Mean of reported pass rates of the group; NaN before any report. */
    public double meanPassRate(int g) {
        return reported(g) == 0 ? Double.NaN : sumPassRate[g] / reported[g];
    }

    /** Mean over reported groups of mean |A|; NaN before any report. */
    public double meanAbsAdvantage(int g) {
        return reported(g) == 0 ? Double.NaN : sumAbsAdvantage[g] / reported[g];
    }

    /** Mean reported loss of the group; NaN before any. */
    public double meanLoss(int g) {
        return g < groups && losses[g] > 0 ? sumLoss[g] / losses[g] : Double.NaN;
    }

    /** Recent pooled pass rate of the group (fading); NaN before any report. */
    public double pooledPassRate(int g) {
        return g < groups && pooledTrials[g] > 0 ? pooledSuccesses[g] / pooledTrials[g] : Double.NaN;
    }

    public long batches() {
        return batches;
    }

    /** The learner's step for schedules: the largest step reported so far, else the batch count. */
    public long learnerStep() {
        return maxStep >= 0 ? maxStep : batches;
    }

    public long totalSelected() {
        return totalSelected;
    }

    public long totalReported() {
        return totalReported;
    }

    public long totalEffective() {
        return totalEffective;
    }

    public long totalRollouts() {
        return totalRollouts;
    }

    /** Share of all reported groups whose advantages were not all zero; NaN before any report. */
    public double effectiveRatio() {
        return totalReported == 0 ? Double.NaN : (double) totalEffective / totalReported;
    }

    public double lastReportEffectiveRatio() {
        return lastReportEffectiveRatio;
    }

    public void write(SnapshotWriter w) {
        w.writeInt(groups);
        w.writeLongs(selected, groups);
        w.writeLongs(reported, groups);
        w.writeLongs(effective, groups);
        w.writeLongs(rollouts, groups);
        w.writeDoubles(sumPassRate, groups);
        w.writeDoubles(sumAbsAdvantage, groups);
        w.writeDoubles(pooledSuccesses, groups);
        w.writeDoubles(pooledTrials, groups);
        w.writeDoubles(sumLoss, groups);
        w.writeLongs(losses, groups);
        w.writeLong(batches);
        w.writeLong(totalSelected);
        w.writeLong(totalReported);
        w.writeLong(totalEffective);
        w.writeLong(totalRollouts);
        w.writeDouble(lastReportEffectiveRatio);
        w.writeLong(maxStep);
    }

    public void read(SnapshotReader r) {
        int n = r.readInt();
        ensureGroups(n);
        System.arraycopy(r.readLongs(), 0, selected, 0, n);
        System.arraycopy(r.readLongs(), 0, reported, 0, n);
        System.arraycopy(r.readLongs(), 0, effective, 0, n);
        System.arraycopy(r.readLongs(), 0, rollouts, 0, n);
        System.arraycopy(r.readDoubles(), 0, sumPassRate, 0, n);
        System.arraycopy(r.readDoubles(), 0, sumAbsAdvantage, 0, n);
        System.arraycopy(r.readDoubles(), 0, pooledSuccesses, 0, n);
        System.arraycopy(r.readDoubles(), 0, pooledTrials, 0, n);
        System.arraycopy(r.readDoubles(), 0, sumLoss, 0, n);
        System.arraycopy(r.readLongs(), 0, losses, 0, n);
        batches = r.readLong();
        totalSelected = r.readLong();
        totalReported = r.readLong();
        totalEffective = r.readLong();
        totalRollouts = r.readLong();
        lastReportEffectiveRatio = r.readDouble();
        maxStep = r.readLong();
    }
}
