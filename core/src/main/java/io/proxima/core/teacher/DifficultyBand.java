package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.FreshFloor;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.compose.WalkCandidates;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.sample.Ranking;

import java.util.Arrays;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * Online Difficulty Filtering (Bae et al. 2025, arXiv:2504.03380) — the selection half: skip,
 * before spending any rollout, the tasks whose estimated pass rate is outside the band.
 *
 * <pre>
 *   walk the group (without replacement, as ODF walks its dataset); for each candidate t:
 *     never tried                     → take it (explore)
 *     low ≤ E[p_t] ≤ high             → take it            (E[p_t]: Beta posterior mean)
 *     otherwise, with prob. recheck   → take it (saturated and hopeless tasks are re-checked:
 *                                       the learner changes)
 *     otherwise                       → set aside with its distance to the band
 *   stop when count are taken or after candidates·count candidates; fill what is missing with
 *   the set-aside tasks nearest the band
 * </pre>
 * The fill is the cold-start guard: when nothing is in band (a learner near chance) the batch is
 * the walk's candidates nearest the band, never an empty or a repeated one. Candidates passed
 * over go back into the epoch ({@code coverage}, default): every task is still trained once per
 * epoch and the band only orders the epoch, in-band tasks first. With {@code coverage: false} they
 * are spent for the epoch, so the in-band tasks come round k times faster — on a learner that
 * memorises what it sees again that ended far below the walk (docs/lab.md). Cost
 * O(candidates·count) per call, independent of the pool size. The filter half is
 * {@link OnlineDifficultyFilter}.
 */
public final class DifficultyBand implements ItemPolicy {
    /**
     * @param low lower bound of the preferred pass rate (0.2 [PAPER*])
     * @param high upper bound (0.8 [PAPER*])
     * @param candidates at most this many candidates per slot are examined (4 [INF])
     * @param recheck probability to take an out-of-band task anyway (0.1 [INF])
     * @param coverage candidates passed over stay in the epoch (true [INF]; false: spent for the epoch)
     * @param freshShare share of slots taken from the group's walk before the band chooses the
     *     rest ({@link FreshFloor}; 0.75 [INF] from defaults version 2, docs/lab.md; 0 = the band
     *     chooses every slot)
     */
    public record Params(double low, double high, int candidates, double recheck, boolean coverage, double freshShare) {
        public static final Params DEFAULTS = new Params(0.2, 0.8, 4, 0.1, true, 0.75);

        /** Without a fresh floor (the band chooses every slot). */
        public Params(double low, double high, int candidates, double recheck) {
            this(low, high, candidates, recheck, DEFAULTS.coverage(), 0.0);
        }

        /** Without a fresh floor (the band chooses every slot). */
        public Params(double low, double high, int candidates, double recheck, boolean coverage) {
            this(low, high, candidates, recheck, coverage, 0.0);
        }
    }

    public static final ComponentType<Params, DifficultyBand> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("low", d.low(), 0, 1), node.number("high", d.high(), 0, 1),
                node.integer("candidates", d.candidates(), 1, 1024), node.number("recheck", d.recheck(), 0, 1),
                node.bool("coverage", d.coverage()), node.number("freshShare", node.byDefaults(0.0, d.freshShare()), 0, 1));
        if (p.low() > p.high()) throw new ConfigException(node.path() + ".low", "must be <= high (" + p.high() + "), got " + p.low());
        return p;
    }, DifficultyBand::new);

    private final Params params;
    private final TeacherContext ctx;
    private int[] asideTask = new int[64];
    private double[] asideDistance = new double[64];
    private int[] order = new int[64];
    private final Ranking ranking = new Ranking();
    private final WalkCandidates drawn = new WalkCandidates();

    public DifficultyBand(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
    }

    /** 0 inside the band, else the distance of the estimate to it. */
    public double distance(int task) {
        double p = ctx.passRates().mean(task);
        return p < params.low() ? params.low() - p : p > params.high() ? p - params.high() : 0.0;
    }

    /** The distance to the band the draw judged the task by (0 inside it, and for an untried task), and the band. */
    @Override
    public void explain(int task, java.util.Map<String, Double> out) {
        out.put("bandDistance", ctx.passRates().tries(task) == 0 ? 0.0 : distance(task));
        out.put("low", params.low());
        out.put("high", params.high());
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        count -= FreshFloor.take(ctx, group, count, params.freshShare(), batch);
        if (count == 0) return;
        int target = batch.size() + count;
        int groupSize = ctx.pool().groupSize(group);
        int limit = (int) Math.min((long) params.candidates() * count, groupSize);
        if (params.coverage()) limit = drawn.coverEpochEnd(ctx.walk(), ctx.rng(), group, count, limit, batch);
        int aside = 0;
        drawn.start(group);
        for (int seen = 0; batch.size() < target && seen < limit; seen++) {
            int t = drawn.draw(ctx.walk(), ctx.rng());
            if (batch.contains(t)) continue;
            double d = ctx.passRates().tries(t) == 0 ? 0.0 : distance(t);
            if (d == 0.0 || ctx.rng().nextDouble() < params.recheck()) {
                batch.add(t);
            } else {
                if (aside == asideTask.length) {
                    asideTask = Arrays.copyOf(asideTask, 2 * aside);
                    asideDistance = Arrays.copyOf(asideDistance, 2 * aside);
                }
                asideTask[aside] = t;
                asideDistance[aside++] = d;
            }
        }
        if (batch.size() < target && aside > 0) fillNearest(aside, target, batch);
        if (params.coverage()) drawn.putBackUntaken(ctx.walk(), batch);
        // Still short (the group's candidates ran out): continue the walk, taking anything.
        for (int guard = 2 * groupSize + count; batch.size() < target && guard > 0; guard--) {
            batch.add(ctx.walk().next(group, ctx.rng()));
        }
    }

    private void fillNearest(int aside, int target, BatchBuilder batch) {
        if (order.length < aside) order = new int[Math.max(aside, 2 * order.length)];
        // Stable: equal distances keep the walk's random order.
        ranking.ascending(asideDistance, aside, order);
        for (int i = 0; i < aside && batch.size() < target; i++) batch.add(asideTask[order[i]]);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
