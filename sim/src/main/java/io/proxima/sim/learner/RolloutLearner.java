package io.proxima.sim.learner;

import io.proxima.sim.teach.LabTeacher;

/**
 * A learner trained by GRPO on the prompts of a grouped pool: the lab's trainer
 * ({@code PromptRun}) generates groups of rollouts, trains on the groups a teacher keeps, and ends
 * the step. Two kinds: the simulated {@link PromptLearner} (a latent-skill model whose dynamics are
 * written down) and the neural {@code NeuralPromptLearner} (a small policy network trained by real
 * gradient descent), so the same teachers and report run on both.
 *
 * <p>Tasks are dense indices {@code [0, size())}; a task's source is its group in the curriculum.
 */
public interface RolloutLearner extends Learner {
    /** Prompts in the training pool. */
    int size();

    /** Sources (groups) of the pool. */
    int sourceCount();

    String sourceName(int source);

    /** The source of a pool prompt. */
    int group(int task);

    /**
     * Generates {@code g} rollouts of a prompt with the current policy: {@code rewards[0..g)} get
     * their rewards, {@code tokens[0..g)} their lengths. Under a token budget ({@code maxTokens} > 0)
     * a rollout longer than the budget is cut there and fails. Returns the number of successes.
     */
    int rollout(int task, int g, double[] rewards, int[] tokens, int maxTokens);

    /**
     * Trains on the last group of rollouts generated for {@code task} in this step, with its rewards
     * ({@code g} of them, as {@link #rollout} produced them). The update takes effect at
     * {@link #endStep()} for a learner that steps an optimizer once per batch. Returns a
     * learner-specific size of the update (0 when the group carried no gradient).
     */
    double train(int task, double[] rewards, int g);

    /** Held-out score of one source (NaN when it has no scored held-out prompt). */
    double testScore(int source);

    /** True accuracy over the training pool, memorisation included. */
    double poolAccuracy();

    /** Mean entropy (nats) of the policy's answer distribution on the held-out prompts. */
    double policyEntropy();

    /** Rollouts cut by a token budget so far. */
    long truncatedRollouts();

    /** The teacher that reads this learner's true state (the lab's ceiling). */
    LabTeacher oracle(int rollouts, long seed);
}
