package io.proxima.sim.run;

/**
 * How a comparison runs.
 *
 * @param budget generated rollouts per run (filtered groups count: filtering pays for what it discards)
 * @param batch groups the trainer trains on per step (prompts per step)
 * @param rollouts rollouts per prompt, the GRPO group size G (the curriculum's {@code rollouts})
 * @param maxRounds generation rounds per step when a filter drops groups (DAPO's max_num_gen_batches = 10)
 * @param evalPoints points of every curve after the start (held-out accuracy is measured at each)
 * @param seeds runs per teacher; run s uses seed {@code firstSeed + s} for the learner's dataset,
 *     its rollouts and the curriculum
 * @param firstSeed the first seed
 * @param threads worker threads (results do not depend on it)
 * @param target held-out accuracy for "rollouts to target"; NaN = automatic (90% of uniform's gain)
 */
public record LabOptions(long budget, int batch, int rollouts, int maxRounds, int evalPoints, int seeds, long firstSeed,
                         int threads, double target) {
    public static final long DEFAULT_BUDGET = 200_000;
    public static final int DEFAULT_BATCH = 32;
    public static final int DEFAULT_ROLLOUTS = 8;
    /** verl's {@code max_num_gen_batches} default for DAPO. */
    public static final int DEFAULT_MAX_ROUNDS = 10;
    public static final int DEFAULT_EVAL_POINTS = 100;
    public static final int DEFAULT_SEEDS = 5;
    /** Share of uniform's gain (final − start held-out accuracy) that defines the automatic target. */
    public static final double AUTO_TARGET_SHARE = 0.9;

    public LabOptions {
        if (budget < 1) throw new IllegalArgumentException("budget must be >= 1, got " + budget);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (rollouts < 1 || rollouts > 4096) throw new IllegalArgumentException("rollouts must be in [1, 4096], got " + rollouts);
        if (maxRounds < 1) throw new IllegalArgumentException("max rounds must be >= 1, got " + maxRounds);
        if (evalPoints < 1) throw new IllegalArgumentException("eval points must be >= 1, got " + evalPoints);
        if (seeds < 1) throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (!Double.isNaN(target) && !(target >= 0 && target <= 1)) throw new IllegalArgumentException("target must be in [0, 1], got " + target);
    }

    public static LabOptions defaults() {
        return new LabOptions(DEFAULT_BUDGET, DEFAULT_BATCH, DEFAULT_ROLLOUTS, DEFAULT_MAX_ROUNDS, DEFAULT_EVAL_POINTS,
                DEFAULT_SEEDS, 1, Math.max(1, Runtime.getRuntime().availableProcessors()), Double.NaN);
    }

    public LabOptions withBudget(long b) {
        return new LabOptions(b, batch, rollouts, maxRounds, evalPoints, seeds, firstSeed, threads, target);
    }

    public LabOptions withSeeds(int s) {
        return new LabOptions(budget, batch, rollouts, maxRounds, evalPoints, s, firstSeed, threads, target);
    }

    public LabOptions withThreads(int t) {
        return new LabOptions(budget, batch, rollouts, maxRounds, evalPoints, seeds, firstSeed, t, target);
    }

    public LabOptions withEvalPoints(int e) {
        return new LabOptions(budget, batch, rollouts, maxRounds, e, seeds, firstSeed, threads, target);
    }

    /** The x of curve point k: k·budget/evalPoints rollouts. */
    public long x(int k) {
        return Math.round((double) budget * k / evalPoints);
    }
}
