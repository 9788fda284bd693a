package io.proxima.sim.run;

/**
 * The curves and totals of one run (one teacher, one seed). Curves have {@code evalPoints + 1}
 * points; point k is taken at the end of the first step whose generated rollouts reach
 * {@code LabOptions.x(k)}. Window values (effective ratio, shares) cover the rollouts generated
 * since the previous point.
 *
 * @param teacher teacher name
 * @param seed the run's seed
 * @param x generated rollouts at each point (the grid)
 * @param accuracy held-out accuracy
 * @param poolAccuracy true accuracy over the training pool, memorisation included
 * @param effective effective ratio of the groups generated in the window
 * @param entropy mean entropy of the policy on the held-out prompts (nats)
 * @param trained groups trained on so far
 * @param tokens tokens generated so far
 * @param share share of the window's generated rollouts per source: {@code share[k][g]}
 * @param rollouts generated rollouts in all
 * @param groups generated groups in all
 * @param effectiveGroups generated groups with non-zero advantage
 * @param trainedGroups groups trained on in all
 * @param trainedEffective trained groups with non-zero advantage
 * @param totalTokens tokens generated in all
 * @param cost rollouts·costPerRollout + tokens·costPerToken
 * @param steps training steps
 * @param sourceRollouts generated rollouts per source in all
 * @param sourceAccuracy held-out accuracy per source at the end (NaN for a source without scored held-out prompts)
 * @param truncated rollouts cut by a {@code max_tokens} directive (they failed)
 * @param teacherStats the teacher's own numbers at the end of the run (a meta-teacher's member probabilities…)
 */
public record RunResult(String teacher, long seed, long[] x, double[] accuracy, double[] poolAccuracy, double[] effective, double[] entropy,
                        long[] trained, long[] tokens, double[][] share, long rollouts, long groups, long effectiveGroups,
                        long trainedGroups, long trainedEffective, long totalTokens, double cost, long steps,
                        long[] sourceRollouts, double[] sourceAccuracy, long truncated,
                        java.util.Map<String, Double> teacherStats) {
    public double finalAccuracy() {
        return accuracy[accuracy.length - 1];
    }

    /** Share of generated groups with non-zero advantage. */
    public double effectiveRatio() {
        return groups == 0 ? Double.NaN : (double) effectiveGroups / groups;
    }

    /** Share of trained groups with non-zero advantage. */
    public double trainedEffectiveRatio() {
        return trainedGroups == 0 ? Double.NaN : (double) trainedEffective / trainedGroups;
    }
}
