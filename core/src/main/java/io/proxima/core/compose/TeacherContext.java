package io.proxima.core.compose;

import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.GroupProgress;
import io.proxima.core.estimate.GroupStats;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskPool;

/**
 * What every piece of a teacher may read: the pool, the shared estimators, the per-group walks and
 * the curriculum's seeded generator (the only source of randomness).
 *
 * @param rollouts the configured rollouts per task (the GRPO group size G)
 */
public record TeacherContext(TaskPool pool, EpochWalk walk, PassRates passRates, GroupStats groupStats, Rng rng,
                             int rollouts, Advantages.Mode advantageMode, GroupProgress groupProgress) {
    /** A context with a fresh progress estimator (tests and tools that build pieces by hand). */
    public TeacherContext(TaskPool pool, EpochWalk walk, PassRates passRates, GroupStats groupStats, Rng rng,
                          int rollouts, Advantages.Mode advantageMode) {
        this(pool, walk, passRates, groupStats, rng, rollouts, advantageMode, new GroupProgress(passRates));
    }
}
