package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic pools and learner every benchmark uses, so that figures are comparable.
 *
 * <p>Pool of {@code n} tasks: ids {@code "t0" .. "t(n-1)"}, {@link #GROUPS} groups of equal size
 * ({@code "g" + i % GROUPS}) and a prior difficulty in [0, 1) per task, all derived from the index
 * by a fixed hash (no generator, no clock: the same pool on every run).
 *
 * <p>Learner: a task of difficulty d solves {@code round((1 − d)·G)} of its G binary rollouts, so
 * outcomes span every pass rate from 0/8 to 8/8 (some groups degenerate, most not).
 */
final class Pools {
    /** Groups in every pool (the issue asks for ~8). */
    static final int GROUPS = 8;
    /** Batch size of {@code next} and of the reports (the 1024). */
    static final int BATCH = 1024;
    /** Binary rollouts per outcome (the 8; also the recipes' default G). */
    static final int ROLLOUTS = 8;
    /** Seed of every benchmarked curriculum. */
    static final long SEED = 1;

    private Pools() {}

    /** Prior difficulty of task i: a SplitMix64 hash of i mapped to [0, 1). */
    static double difficulty(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    static String id(int i) {
        return "t" + i;
    }

    /** The pool's task specs (one list: {@code Curriculum.create} adds them in one call). */
    static List<TaskSpec> tasks(int n) {
        List<TaskSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) specs.add(TaskSpec.of(id(i), "g" + (i % GROUPS), difficulty(i)));
        return specs;
    }

    static CurriculumConfig config(String recipe) {
        return CurriculumConfig.builder().recipe(recipe).seed(SEED).rollouts(ROLLOUTS).build();
    }

    static Curriculum curriculum(String recipe, int n) {
        return Curriculum.create(config(recipe), tasks(n));
    }

    /** What the synthetic learner reports for one selection. */
    static List<Outcome> outcomes(Selection s) {
        List<Outcome> out = new ArrayList<>(s.size());
        for (SelectedTask t : s.tasks()) {
            int i = Integer.parseInt(t.taskId(), 1, t.taskId().length(), 10);
            int successes = (int) Math.round((1 - difficulty(i)) * t.rollouts());
            out.add(Outcome.binary(t.taskId(), successes, t.rollouts()));
        }
        return out;
    }

    /** What the synthetic learner reports for task i with {@code rollouts} rollouts. */
    static Outcome outcome(int i, int rollouts) {
        int successes = (int) Math.round((1 - difficulty(i)) * rollouts);
        return Outcome.binary(id(i), successes, rollouts);
    }

    /**
     * Reports every task of the pool once ({@link #ROLLOUTS} rollouts each), in index order, in
     * reports of {@link #BATCH}: afterwards every task has a pass rate (and, under PLR, a score).
     */
    static void reportAll(Curriculum c, int n) {
        List<Outcome> out = new ArrayList<>(BATCH);
        for (int i = 0; i < n; i++) {
            out.add(outcome(i, ROLLOUTS));
            if (out.size() == BATCH || i == n - 1) {
                c.report(out);
                out = new ArrayList<>(BATCH);
            }
        }
    }

    /** A few next/report rounds so the teachers' estimates (SEC's Q, PCL's model, pass rates) are not at their initial values. */
    static void warmUp(Curriculum c, int rounds) {
        for (int r = 0; r < rounds; r++) c.report(outcomes(c.next(BATCH)));
    }
}
