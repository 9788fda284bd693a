package io.proxima.core.estimate;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;

/**
 * Is a group learnable? Measured from revisits: each time a task is reported again, its pass
 * rate's change since its previous report is one sample of the learner's progress on the group.
 *
 * <pre>
 *   δ = p̂_now − p̂_previous            per revisited task (the task's last report)
 *   m, v = exponentially weighted mean and variance of δ per group (weight 0.99 per revisit)
 *   t = m / sqrt(v / n_eff)           a t-statistic of progress; n_eff = effective sample count
 * </pre>
 * Why: mean |advantage| is highest for groups at chance — including a broken verifier's coin-flip
 * rewards, where nothing can be learned — so a bandit on it alone can pour the budget into noise
 * (shared/algorithms.md, "Lessons from small real learners"). A group that keeps carrying
 * advantage without its pass rates moving is noise or beyond reach; {@link #learnability} turns
 * the t-statistic into a weight in [floor, 1] that SEC and DUMP apply to their signal. [INF]
 */
public final class GroupProgress {
    /** Weight of the old statistics at each revisit (~100 revisits of memory). */
    public static final double DECAY = 0.99;
    /** Revisits before the weight departs from 1: until then, every group is given the benefit of the doubt. */
    public static final double MIN_REVISITS = 32;
    /** t at which a group counts as clearly learnable (weight 1). */
    public static final double FULL_T = 2.0;

    private final PassRates passRates;
    private double[] weight = new double[4];
    private double[] mean = new double[4];
    private double[] sq = new double[4];

    public GroupProgress(PassRates passRates) {
        this.passRates = passRates;
    }

    private void ensure(int g) {
        if (g > weight.length) {
            int cap = Math.max(g, 2 * weight.length);
            weight = Arrays.copyOf(weight, cap);
            mean = Arrays.copyOf(mean, cap);
            sq = Arrays.copyOf(sq, cap);
        }
    }

    /** Reads each task's previous pass rate: call before the pass rates are updated with the batch. */
    public void observe(ObservedBatch b) {
        for (int i = 0; i < b.size; i++) {
            if (b.rollouts[i] == 0) continue;
            if (b.hinted[i]) continue; // hinted: not the unaided policy
            double previous = passRates.lastPassRate(b.task[i]);
            if (Double.isNaN(previous)) continue;
            int g = b.group[i];
            ensure(g + 1);
            double d = b.passRate[i] - previous;
            weight[g] = DECAY * weight[g] + 1;
            mean[g] += (d - mean[g]) / weight[g];
            sq[g] = DECAY * sq[g] + d * d;
        }
    }

    /** Effective number of revisits behind the group's statistics. */
    public double revisits(int g) {
        return g < weight.length ? weight[g] : 0;
    }

    /** Mean change of pass rate per revisit. */
    public double meanChange(int g) {
        return g < mean.length ? mean[g] : 0;
    }

    /** t-statistic of progress; NaN before any revisit. */
    public double t(int g) {
        double n = revisits(g);
        if (n == 0) return Double.NaN;
        double m = mean[g];
        double var = Math.max(sq[g] / n - m * m, 1e-12);
        return m / Math.sqrt(var / n);
    }

    /**
     * A weight in [floor, 1]: 1 until {@link #MIN_REVISITS} revisits, then t/{@link #FULL_T}
     * clipped to [floor, 1]. The floor keeps exploring a group that looks stuck.
     */
    public double learnability(int g, double floor) {
        if (revisits(g) < MIN_REVISITS) return 1.0;
        return Math.max(floor, Math.min(1.0, t(g) / FULL_T));
    }

    public void write(SnapshotWriter w, int groups) {
        ensure(groups);
        w.writeDoubles(weight, groups);
        w.writeDoubles(mean, groups);
        w.writeDoubles(sq, groups);
    }

    public void read(SnapshotReader r) {
        double[] a = r.readDoubles();
        double[] b = r.readDoubles();
        double[] c = r.readDoubles();
        ensure(a.length);
        System.arraycopy(a, 0, weight, 0, a.length);
        System.arraycopy(b, 0, mean, 0, b.length);
        System.arraycopy(c, 0, sq, 0, c.length);
    }
}
