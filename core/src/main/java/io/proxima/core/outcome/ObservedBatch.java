package io.proxima.core.outcome;

import io.proxima.core.estimate.Advantages;

/**
 * A validated report in columns, with everything teachers derive from it computed once: the
 * empirical pass rate, the GRPO advantages of every rollout, mean |A| and whether the group
 * carries gradient. Teachers read it; nobody changes it.
 *
 * <p>Outcome {@code i} has task {@code task[i]} in group {@code group[i]}; its rollouts' advantages
 * are {@code advantage[offset[i] .. offset[i+1])}.
 */
public final class ObservedBatch {
    public final int size;
    /** The curriculum's batch counter when the report arrived. */
    public final long clock;
    public final int[] task;
    public final int[] group;
    public final int[] rollouts;
    /** Mean reward: the group's empirical pass rate for binary rewards. */
    public final double[] passRate;
    /** Sum of rewards clamped to [0, 1]: fractional successes for the Beta posterior. */
    public final double[] successes;
    public final double[] meanAbsAdvantage;
    public final boolean[] effective;
    public final int[] offset;
    public final double[] advantage;
    /**
     * The rewards as reported, one array per outcome (the caller's arrays, not copied: a batch is
     * read during {@code report} only; teachers must not keep it).
     */
    public final double[][] rewards;
    public final long[] step;
    /** The reported loss, NaN where none. */
    public final double[] loss;
    /** The directives each outcome's rollouts were generated under (empty maps where none). */
    public final java.util.List<java.util.Map<String, Double>> directives;
    /**
     * Whether the rollouts were generated with a hint ({@code hint_level} &gt; 0): such outcomes say
     * little about the unaided policy, so the pass-rate estimators skip them.
     */
    public final boolean[] hinted;

    public ObservedBatch(long clock, int[] task, int[] group, double[][] rewards, long[] step, Advantages.Mode mode) {
        this(clock, task, group, rewards, step, mode, null, null);
    }

    /**
     * @param loss per outcome, NaN where none; null for none at all. An outcome may have no rewards
     *     (a loss only): its pass rate is NaN and it has no advantages.
     */
    public ObservedBatch(long clock, int[] task, int[] group, double[][] rewards, long[] step, Advantages.Mode mode, double[] loss) {
        this(clock, task, group, rewards, step, mode, loss, null);
    }

    /** @param directives per outcome (null for none at all) */
    public ObservedBatch(long clock, int[] task, int[] group, double[][] rewards, long[] step, Advantages.Mode mode, double[] loss,
                         java.util.List<java.util.Map<String, Double>> directives) {
        this.size = task.length;
        this.clock = clock;
        this.task = task;
        this.group = group;
        this.step = step;
        if (loss == null) {
            loss = new double[task.length];
            java.util.Arrays.fill(loss, Double.NaN);
        }
        this.loss = loss;
        this.directives = directives == null ? java.util.Collections.nCopies(task.length, java.util.Map.of()) : java.util.List.copyOf(directives);
        this.hinted = new boolean[task.length];
        for (int i = 0; i < task.length; i++) {
            Double h = this.directives.get(i).isEmpty() ? null : this.directives.get(i).get("hint_level");
            hinted[i] = h != null && h > 0;
        }
        this.rollouts = new int[size];
        this.passRate = new double[size];
        this.successes = new double[size];
        this.meanAbsAdvantage = new double[size];
        this.effective = new boolean[size];
        this.offset = new int[size + 1];
        for (int i = 0; i < size; i++) offset[i + 1] = offset[i] + rewards[i].length;
        this.advantage = new double[offset[size]];
        this.rewards = rewards;
        for (int i = 0; i < size; i++) {
            double[] r = rewards[i];
            rollouts[i] = r.length;
            if (r.length == 0) {
                passRate[i] = Double.NaN;
                continue;
            }
            passRate[i] = Advantages.mean(r);
            double s = 0;
            for (double x : r) s += Math.min(1.0, Math.max(0.0, x));
            successes[i] = s;
            effective[i] = !Advantages.degenerate(r);
            meanAbsAdvantage[i] = Advantages.computeWithMeanAbs(r, mode, advantage, offset[i]);
        }
    }

    /** Total rollouts in the batch. */
    public int totalRollouts() {
        return offset[size];
    }
}
