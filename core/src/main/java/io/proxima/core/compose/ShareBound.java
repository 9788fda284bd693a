package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Set;

/**
 * Bounds how far a group policy may move a group's share of the batch from its share of the pool.
 *
 * <pre>
 *   s_g = |group g| / |pool|                         the walk's share (what uniform gives)
 *   q_g = clip(λ·p_g, min·s_g, max·s_g)              p = the wrapped policy's probabilities
 *   λ such that Σ_g q_g = 1                           (bisection; exists since min ≤ 1 ≤ max)
 * </pre>
 * Why: a shared network punishes concentration. On neural learners (docs/lab.md) a bandit that
 * moved most of the batch to one group bought early progress, then made the policy confident
 * everywhere and ended below walking the pool; a progress detector that floors the other groups
 * does the same. With the bound a teacher can still halve a solved or hopeless group's share
 * (min) and double a promising one's (max), but never starve or flood one. [INF]
 * {@code "shareBound": {"min": 0, "max": 1e9}} (or {@code false}) leaves the policy unbounded, as
 * in the papers.
 */
public final class ShareBound implements GroupPolicy {
    /**
     * @param min smallest share as a multiple of the pool share (0.25 [INF])
     * @param max largest share as a multiple of the pool share (2.0 [INF])
     */
    public record Params(double min, double max) {
        public static final Params DEFAULTS = new Params(0.25, 2.0);
        /**
         * DUMP's bound from defaults version 2: its UCB bonus moved shares the most of the group
         * policies, and at [0.25, 2] its seed spread on the neural lab's noisy pool was more than
         * twice the walk's; at [0.5, 1.5] it ended at or above its former mean on all three neural
         * learners (docs/lab.md). [INF]
         */
        public static final Params DUMP = new Params(0.5, 1.5);
        /** No bound: the wrapped policy's probabilities pass unchanged. */
        public static final Params OFF = new Params(0.0, Double.POSITIVE_INFINITY);

        public boolean off() {
            return min <= 0 && max == Double.POSITIVE_INFINITY;
        }

        /** Reads {@code shareBound} of a group-policy node: absent → defaults, false → off, an object → its bounds. */
        public static Params read(ConfigNode groupPolicy) {
            if (!groupPolicy.has("shareBound")) return DEFAULTS;
            Object v = groupPolicy.values().get("shareBound");
            String at = groupPolicy.path().isEmpty() ? "shareBound" : groupPolicy.path() + ".shareBound";
            if (Boolean.FALSE.equals(v)) return OFF;
            if (Boolean.TRUE.equals(v)) return DEFAULTS;
            if (!(v instanceof java.util.Map)) throw new ConfigException(at, "must be true, false or {\"min\": m, \"max\": M}, got " + v);
            ConfigNode n = groupPolicy.child("shareBound");
            double min = n.number("min", DEFAULTS.min(), 0, 1);
            double max = n.number("max", DEFAULTS.max(), 1, 1e9);
            n.finish();
            return new Params(min, max >= 1e9 ? Double.POSITIVE_INFINITY : max);
        }
    }

    /** Bisection steps for λ: far below double precision of the shares. */
    private static final int STEPS = 100;
    /** The share-proportional ε added to every group before the search (see {@link #bound}). */
    private static final double TIE = 1e-12;

    private final Params params;
    private final TeacherContext ctx;
    private final GroupPolicy inner;

    public ShareBound(Params params, TeacherContext ctx, GroupPolicy inner) {
        this.params = params;
        this.ctx = ctx;
        this.inner = inner;
    }

    /** The wrapped policy. */
    public GroupPolicy inner() {
        return inner;
    }

    @Override
    public void probabilities(double[] out) {
        inner.probabilities(out);
        int g = ctx.pool().groupCount();
        long total = 0;
        for (int k = 0; k < g; k++) total += ctx.pool().groupSize(k);
        if (total == 0) return;
        if (within(out, g, total)) return; // the common case: nothing to move, O(G)
        bound(out, g, total);
    }

    private void bound(double[] p, int g, long total) {
        // A group the policy gives nothing can only rise to its floor by λ·p; when the caps of the
        // others cannot absorb the rest, it must rise further: a share-proportional ε lets λ lift
        // such groups alike, in proportion to their pool shares (and changes nothing measurable
        // otherwise).
        for (int k = 0; k < g; k++) if (ctx.pool().groupSize(k) > 0) p[k] += TIE * ctx.pool().groupSize(k) / total;
        double lo = 0, hi = 1;
        // Grow hi until Σ clip(hi·p) ≥ 1 (λ·p grows without bound where p > 0).
        for (int i = 0; i < 128 && sum(p, g, total, hi) < 1; i++) hi *= 2;
        if (sum(p, g, total, hi) < 1) return; // every p is 0: nothing to scale (the caller's empty case)
        for (int i = 0; i < STEPS; i++) {
            double mid = 0.5 * (lo + hi);
            if (sum(p, g, total, mid) < 1) lo = mid;
            else hi = mid;
        }
        double s = 0;
        for (int k = 0; k < g; k++) {
            p[k] = clip(hi * p[k], k, total);
            s += p[k];
        }
        for (int k = 0; k < g; k++) p[k] /= s;
    }

    private boolean within(double[] p, int g, long total) {
        for (int k = 0; k < g; k++) if (clip(p[k], k, total) != p[k]) return false;
        return true;
    }

    private double clip(double x, int k, long total) {
        int size = ctx.pool().groupSize(k);
        if (size == 0) return 0.0;
        double share = (double) size / total;
        return Math.max(params.min() * share, Math.min(params.max() * share, x));
    }

    private double sum(double[] p, int g, long total, double lambda) {
        double s = 0;
        for (int k = 0; k < g; k++) s += clip(lambda * p[k], k, total);
        return s;
    }

    @Override
    public void observe(ObservedBatch batch) {
        inner.observe(batch);
    }

    @Override
    public void scores(double[] out) {
        inner.scores(out);
    }

    @Override
    public Set<Signal> consumes() {
        return inner.consumes();
    }

    @Override
    public long footprintBytes() {
        return inner.footprintBytes();
    }

    @Override
    public void writeState(SnapshotWriter w) {
        inner.writeState(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        inner.readState(r);
    }
}
