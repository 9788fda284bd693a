package io.proxima.core.outcome;

import java.util.Arrays;
import java.util.Map;

/**
 * What the learner reports for one task after training on it: the rewards of its rollouts (one
 * GRPO group), optionally their token lengths and the learner's step.
 *
 * @param taskId external id of the task
 * @param rewards one reward per rollout; binary (0/1) or real-valued; finite, at least one
 * @param tokenLengths one length per rollout, or empty when not reported
 * @param step the learner's training step, or -1 when not reported
 * @param directives the directives the rollouts were generated under (empty when none)
 * @param loss the learner's training loss on the task (supervised learners), NaN when not reported
 */
public record Outcome(String taskId, double[] rewards, int[] tokenLengths, long step, Map<String, Double> directives, double loss) {
    public static final int[] NO_LENGTHS = new int[0];
    public static final double[] NO_REWARDS = new double[0];

    public Outcome {
        if (rewards == null) rewards = NO_REWARDS;
        if (tokenLengths == null) tokenLengths = NO_LENGTHS;
        directives = directives == null || directives.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(directives));
    }

    /** An outcome without a loss. */
    public Outcome(String taskId, double[] rewards, int[] tokenLengths, long step, Map<String, Double> directives) {
        this(taskId, rewards, tokenLengths, step, directives, Double.NaN);
    }

    /** A supervised learner's outcome: the loss on the item, no rollouts. */
    public static Outcome ofLoss(String taskId, double loss) {
        return new Outcome(taskId, NO_REWARDS, NO_LENGTHS, -1, Map.of(), loss);
    }

    public boolean hasLoss() {
        return !Double.isNaN(loss);
    }

    public static Outcome of(String taskId, double... rewards) {
        return new Outcome(taskId, rewards, NO_LENGTHS, -1, Map.of());
    }

    /** Binary rewards: {@code successes} ones then zeros, {@code rollouts} in all. */
    public static Outcome binary(String taskId, int successes, int rollouts) {
        double[] r = new double[rollouts];
        Arrays.fill(r, 0, Math.min(successes, rollouts), 1.0);
        return of(taskId, r);
    }

    public Outcome atStep(long s) {
        return new Outcome(taskId, rewards, tokenLengths, s, directives, loss);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcome x && taskId.equals(x.taskId) && Arrays.equals(rewards, x.rewards)
                && Arrays.equals(tokenLengths, x.tokenLengths) && step == x.step && directives.equals(x.directives)
                && Double.compare(loss, x.loss) == 0;
    }

    @Override
    public int hashCode() {
        return taskId.hashCode() * 31 + Arrays.hashCode(rewards);
    }

    @Override
    public String toString() {
        return "Outcome[" + taskId + ", rewards=" + Arrays.toString(rewards)
                + (tokenLengths.length > 0 ? ", tokenLengths=" + Arrays.toString(tokenLengths) : "")
                + (step >= 0 ? ", step=" + step : "") + (directives.isEmpty() ? "" : ", directives=" + directives)
                + (hasLoss() ? ", loss=" + loss : "") + "]";
    }
}
