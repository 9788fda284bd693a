package io.proxima.sim.run;

import io.proxima.sim.learner.RolloutLearner;
import io.proxima.sim.learner.RolloutLearnerSpec;
import io.proxima.sim.teach.LabTeacher;
import io.proxima.sim.teach.Pick;
import io.proxima.sim.teach.TeacherSpec;

import java.util.Arrays;
import java.util.List;

/**
 * One run: a teacher trains a fresh {@link RolloutLearner} until the rollout budget is spent.
 *
 * <pre>
 *   per step:  want = batch
 *              up to maxRounds rounds while want > 0 and budget left:
 *                picks = teacher.next(want); generate their rollouts (all count against the budget)
 *                keep = teacher.report(...);  keep the first `want` kept groups
 *                want = batch − kept
 *              train on the kept groups (the step's policy generated all of them), end the step
 * </pre>
 * A filter's drops therefore cost generation, as in DAPO's dynamic sampling; a step whose rounds
 * ran out trains on a partial batch.
 */
public final class PromptRun {
    private PromptRun() {}

    /** Suffix of a meta-teacher's member probability in the teacher's stats. */
    static final String PROBABILITY = ".probability";
    /** Suffix added for the mean of such a probability over the run's curve points. */
    public static final String MEAN = ".mean";

    private static java.util.Map<String, Double> withMeans(java.util.Map<String, Double> last, java.util.Map<String, Double> means) {
        java.util.Map<String, Double> m = new java.util.TreeMap<>(last);
        m.putAll(means);
        return java.util.Map.copyOf(m);
    }

    public static RunResult run(RolloutLearnerSpec spec, TeacherSpec teacherSpec, LabOptions o, long seed) {
        RolloutLearner learner = spec.create(seed);
        LabTeacher teacher = teacherSpec.create(learner, o.rollouts(), seed);
        int sources = learner.sourceCount();
        int points = o.evalPoints() + 1;
        long[] x = new long[points];
        double[] acc = new double[points];
        double[] poolAcc = new double[points];
        double[] eff = new double[points];
        double[] entropy = new double[points];
        long[] trainedAt = new long[points];
        long[] tokensAt = new long[points];
        double[][] share = new double[points][sources];
        long[] sourceRollouts = new long[sources];
        long[] windowSource = new long[sources];

        int cap = Math.min(o.batch(), learner.size());
        double[][] rewards = new double[cap][o.rollouts()];
        int[][] tokens = new int[cap][o.rollouts()];
        boolean[] keep = new boolean[cap];
        int[] keptTask = new int[cap];
        double[][] keptRewards = new double[cap][o.rollouts()];
        int[] keptRollouts = new int[cap];

        java.util.Map<String, Double> probabilitySums = new java.util.TreeMap<>();
        long generated = 0, groups = 0, effective = 0, trained = 0, trainedEff = 0, totalTokens = 0, steps = 0;
        long windowGroups = 0, windowEffective = 0, windowRollouts = 0;
        double lastEff = Double.NaN;
        x[0] = 0;
        acc[0] = learner.testScore();
        poolAcc[0] = learner.poolAccuracy();
        entropy[0] = learner.policyEntropy();
        eff[0] = Double.NaN;
        int next = 1;
        while (generated < o.budget()) {
            int kept = 0;
            for (int round = 0; round < o.maxRounds() && kept < cap && generated < o.budget(); round++) {
                List<Pick> picks = teacher.next(cap - kept);
                for (int i = 0; i < picks.size(); i++) {
                    Pick p = picks.get(i);
                    int g = p.rollouts();
                    if (g == 0) continue; // an allocator's zero: nothing generated, nothing reported
                    if (rewards[i].length < g) {
                        rewards[i] = new double[g];
                        tokens[i] = new int[g];
                    }
                    learner.rollout(p.task(), g, rewards[i], tokens[i], p.maxTokens());
                    int src = learner.group(p.task());
                    generated += g;
                    windowRollouts += g;
                    sourceRollouts[src] += g;
                    windowSource[src] += g;
                    for (int k = 0; k < g; k++) totalTokens += tokens[i][k];
                    groups++;
                    windowGroups++;
                    if (Metrics.effective(rewards[i], g)) {
                        effective++;
                        windowEffective++;
                    }
                }
                teacher.report(picks, rewards, tokens, steps, keep);
                for (int i = 0; i < picks.size() && kept < cap; i++) {
                    if (!keep[i]) continue;
                    Pick p = picks.get(i);
                    if (keptRewards[kept].length < p.rollouts()) keptRewards[kept] = new double[p.rollouts()];
                    System.arraycopy(rewards[i], 0, keptRewards[kept], 0, p.rollouts());
                    keptTask[kept] = p.task();
                    keptRollouts[kept++] = p.rollouts();
                }
            }
            for (int i = 0; i < kept; i++) {
                learner.train(keptTask[i], keptRewards[i], keptRollouts[i]);
                if (Metrics.effective(keptRewards[i], keptRollouts[i])) trainedEff++;
            }
            trained += kept;
            learner.endStep();
            steps++;
            while (next < points && generated >= o.x(next)) {
                x[next] = o.x(next);
                acc[next] = learner.testScore();
                poolAcc[next] = learner.poolAccuracy();
                entropy[next] = learner.policyEntropy();
                if (windowGroups > 0) lastEff = (double) windowEffective / windowGroups;
                eff[next] = lastEff;
                trainedAt[next] = trained;
                tokensAt[next] = totalTokens;
                for (java.util.Map.Entry<String, Double> e : teacher.stats().entrySet()) {
                    if (e.getKey().endsWith(PROBABILITY)) probabilitySums.merge(e.getKey() + MEAN, e.getValue() / o.evalPoints(), Double::sum);
                }
                for (int g = 0; g < sources; g++) {
                    share[next][g] = windowRollouts == 0 ? (next > 0 ? share[next - 1][g] : 0) : (double) windowSource[g] / windowRollouts;
                }
                Arrays.fill(windowSource, 0);
                windowGroups = windowEffective = windowRollouts = 0;
                next++;
            }
        }
        eff[0] = points > 1 ? eff[1] : Double.NaN;
        share[0] = share[points > 1 ? 1 : 0].clone();
        double[] sourceAcc = new double[sources];
        for (int g = 0; g < sources; g++) sourceAcc[g] = learner.testScore(g);
        double cost = generated * spec.costPerRollout() + totalTokens * spec.costPerToken();
        return new RunResult(teacherSpec.name(), seed, x, acc, poolAcc, eff, entropy, trainedAt, tokensAt, share, generated, groups,
                effective, trained, trainedEff, totalTokens, cost, steps, sourceRollouts, sourceAcc, learner.truncatedRollouts(),
                withMeans(teacher.stats(), probabilitySums));
    }
}
