package io.proxima.core.outcome;

import java.util.Map;

/**
 * Why one task of a selection was chosen: the pieces that chose it and the numbers they used,
 * read from the curriculum's state right after the draw (explaining never draws randomness or
 * changes state, so a selection drawn with an explanation is the one drawn without).
 *
 * @param taskId the selected task
 * @param group its group ("" when added without one)
 * @param pieces the teacher's part: pipeline, pieces' names and their numbers for this task
 * @param rollouts the rollouts the allocator gave it
 * @param passRate the task's pass-rate posterior (the shared estimator every piece reads)
 */
public record TaskExplanation(String taskId, String group, Pieces pieces, int rollouts, PassRate passRate) {

    /**
     * The teacher's part of an explanation.
     *
     * @param pipeline the recipe name of the pipeline that proposed the task (a meta-teacher's member)
     * @param memberProbability the meta-teacher's probability of that member proposing the batch; NaN without a meta-teacher
     * @param groupPolicy the group policy's type
     * @param shareBound whether a {@code ShareBound} bounds the group policy
     * @param groupProbability the probability of the task's group in the draw (after any share bound)
     * @param groupScore the group policy's score of the group (Q-value, UCB score…); NaN where it has none
     * @param itemPolicy the item policy's type
     * @param item the item policy's own numbers for the task (PLR score, PCL prediction, ODF band distance…), by name
     * @param filter the outcome filter's type
     * @param allocator the rollout allocator's type
     * @param allocation the allocator's own numbers for the task (the pass rate it read, its weight or value…), by name
     */
    public record Pieces(String pipeline, double memberProbability, String groupPolicy, boolean shareBound, double groupProbability,
                         double groupScore, String itemPolicy, Map<String, Double> item, String filter, String allocator,
                         Map<String, Double> allocation) {
        public Pieces {
            item = Map.copyOf(item);
            allocation = Map.copyOf(allocation);
        }
    }

    /**
     * A Beta(α, β) pass-rate posterior.
     *
     * @param mean α / (α + β)
     * @param tries reports of the task so far
     */
    public record PassRate(double mean, double alpha, double beta, int tries) {}
}
