package io.proxima.cli;

import io.proxima.core.space.TaskSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scripted learner of {@code proxima demo}: a skill per group that grows when it trains on
 * groups of rollouts that disagree (the GRPO case: no gain when all rollouts agree).
 *
 * <pre>
 *   p(task) = σ(1.7 · (skill[group] − difficulty))      0 for unlearnable tasks
 *   gain    = rate · p̂(1 − p̂)  for each trained group   (p̂: its observed pass rate)
 *   skill[group] += gain;  each other group gets transfer · gain
 * </pre>
 * A toy, on purpose: the simulation lab ({@code proxima simulate}) has the realistic learners.
 */
final class DemoLearner {
    static final String[] GROUPS = {"arithmetic", "algebra", "geometry", "olympiad"};
    private static final double[] MEAN_DIFFICULTY = {-1.0, 0.5, 1.5, 3.0};
    private static final double[] UNLEARNABLE_SHARE = {0.0, 0.0, 0.05, 0.5};
    private static final double SLOPE = 1.7;
    private static final double RATE = 0.004;
    private static final double TRANSFER = 0.25;

    private final double[] difficulty;
    private final boolean[] unlearnable;
    private final int[] group;
    private final double[] skill = new double[GROUPS.length];
    private final SplittableRandom random;

    DemoLearner(int tasksPerGroup, long seed) {
        SplittableRandom setup = new SplittableRandom(seed);
        int n = tasksPerGroup * GROUPS.length;
        difficulty = new double[n];
        unlearnable = new boolean[n];
        group = new int[n];
        for (int i = 0; i < n; i++) {
            int g = i % GROUPS.length;
            group[i] = g;
            difficulty[i] = MEAN_DIFFICULTY[g] + 0.8 * gaussian(setup);
            unlearnable[i] = setup.nextDouble() < UNLEARNABLE_SHARE[g];
        }
        random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    int size() {
        return difficulty.length;
    }

    List<TaskSpec> tasks() {
        List<TaskSpec> specs = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) specs.add(TaskSpec.of(id(i), GROUPS[group[i]]));
        return specs;
    }

    static String id(int i) {
        return "q" + i;
    }

    static int index(String id) {
        return Integer.parseInt(id.substring(1));
    }

    double successProbability(int task) {
        if (unlearnable[task]) return 0.0;
        return 1.0 / (1.0 + Math.exp(-SLOPE * (skill[group[task]] - difficulty[task])));
    }

    double[] rollout(int task, int rollouts) {
        double p = successProbability(task);
        double[] r = new double[rollouts];
        for (int k = 0; k < rollouts; k++) r[k] = random.nextDouble() < p ? 1.0 : 0.0;
        return r;
    }

    void train(int task, double passRate) {
        double gain = RATE * passRate * (1 - passRate);
        for (int g = 0; g < skill.length; g++) skill[g] += g == group[task] ? gain : TRANSFER * gain;
    }

    /** Mean true success probability over the group's tasks. */
    double accuracy(int g) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (group[i] == g) {
                s += successProbability(i);
                n++;
            }
        }
        return s / n;
    }

    double accuracy() {
        double s = 0;
        for (int i = 0; i < size(); i++) s += successProbability(i);
        return s / size();
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
