package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.sample.OrderStatisticTree;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Ordered curricula: a pacing function opens the pool from easy to hard (shared/algorithms/
 * classic-and-deep-rl.md §2 and §8).
 *
 * <pre>
 *   competence c(t), t = batches so far, T = {@code steps}:
 *     linear       min(1, t(1 − c0)/T + c0)                         (Platanios et al. 2019, c0 = 0.01)
 *     root         min(1, sqrt(t(1 − c0²)/T + c0²))
 *     exponential  min(1, p0 · inc^⌊t / stageLength⌋)                (Hacohen & Weinshall 2019, p0 = 0.04, inc 1.5)
 *     babySteps    min(1, (⌊t / (T/stages)⌋ + 1) / stages)           (Bengio et al. 2009: buckets opened one by one)
 *     cyclical     S_⌊t / stageLength⌋ with S = sp, then ×1/α up to ep, then ×α down to sp, …
 *                  (Kesgin & Amasyali 2023: sp 0.25, ep 1.0, α 0.5 → 0.25, 0.5, 1, 0.5, 0.25, …)
 *   eligible = the ⌈c(t)·|g|⌉ easiest tasks of each group (difficulty percentile ≤ c(t))
 *   order: easyFirst; hardFirst (anti-curriculum); random (a random order: control for pacing alone)
 *   difficulty: the task's prior difficulty (0.5 when unknown), or 1 − its estimated pass rate
 * </pre>
 * Tasks are drawn uniformly among the eligible ones, skipping those used within the last
 * ⌊eligible / count⌋ batches when possible, so repetition stays near what a walk of the eligible
 * prefix would give. O(log N) per draw (an order-statistic treap per group).
 */
public final class Pacing implements ItemPolicy {
    /** The pacing parameters; see the class comment for the formulas. */
    public record Params(String pacing, String order, String difficulty, double c0, int steps, double p0, double increase,
                         int stageLength, int stages, double cycleStart, double cycleEnd, double cycleFactor) {
        public static final Params DEFAULTS = new Params("root", "easyFirst", "prior", 0.01, 1000, 0.04, 1.5, 50, 5, 0.25, 1.0, 0.5);
    }

    public static final ComponentType<Params, Pacing> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(
                node.choice("pacing", d.pacing(), List.of("linear", "root", "exponential", "babySteps", "cyclical")),
                node.choice("order", d.order(), List.of("easyFirst", "hardFirst", "random")),
                node.choice("difficulty", d.difficulty(), List.of("prior", "estimated")),
                node.number("c0", d.c0(), 1e-9, 1), node.integer("steps", d.steps(), 1, Integer.MAX_VALUE),
                node.number("p0", d.p0(), 1e-9, 1), node.number("increase", d.increase(), 1, 100),
                node.integer("stageLength", d.stageLength(), 1, Integer.MAX_VALUE), node.integer("stages", d.stages(), 1, 1 << 16),
                node.number("cycleStart", d.cycleStart(), 1e-9, 1), node.number("cycleEnd", d.cycleEnd(), 1e-9, 1),
                node.number("cycleFactor", d.cycleFactor(), 1e-9, 1 - 1e-9));
        if (p.cycleStart() > p.cycleEnd()) {
            throw new ConfigException(node.path() + ".cycleStart", "must be <= cycleEnd (" + p.cycleEnd() + "), got " + p.cycleStart());
        }
        return p;
    }, Pacing::new);

    /** Draws per slot before settling for a task used recently. */
    private static final int FRESH_TRIES = 8;

    private final Params params;
    private final TeacherContext ctx;
    private final OrderStatisticTree tree = new OrderStatisticTree();
    private int[] root = new int[0];
    private int inserted;
    private long[] lastUsed = new long[0];
    private final double[] cyclePeriod;

    public Pacing(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        this.cyclePeriod = cyclePeriod(params.cycleStart(), params.cycleEnd(), params.cycleFactor());
    }

    /** The competence c(t) after {@code t} batches. */
    public double competence(long t) {
        double c0 = params.c0();
        switch (params.pacing()) {
            case "linear":
                return Math.min(1, t * (1 - c0) / params.steps() + c0);
            case "exponential":
                return Math.min(1, params.p0() * StrictMath.pow(params.increase(), (double) (t / params.stageLength())));
            case "babySteps": {
                long stageSteps = Math.max(1, params.steps() / params.stages());
                return Math.min(1, (double) (t / stageSteps + 1) / params.stages());
            }
            case "cyclical":
                return cycle(t / params.stageLength());
            default:
                return Math.min(1, Math.sqrt(t * (1 - c0 * c0) / params.steps() + c0 * c0));
        }
    }

    /** Stage k of the cyclical schedule (one period of the code's get_cycle_sizes, repeated). */
    private double cycle(long k) {
        double[] period = cyclePeriod;
        return period[(int) (k % period.length)];
    }

    /**
     * One period of Kesgin and Amasyali's rule: S = [sp]; while n has not come back to sp:
     * grow (n ← min(n/α, ep)) if n = sp or the sizes are rising and n ≠ ep, else shrink
     * (n ← max(n·α, sp)).
     */
    static double[] cyclePeriod(double sp, double ep, double a) {
        List<Double> seq = new java.util.ArrayList<>();
        seq.add(sp);
        double n = sp;
        for (int t = 0; t < 10_000; t++) {
            boolean rising = t == 0 || seq.get(t - 1) < seq.get(t);
            n = (n == sp || (rising && n != ep)) ? Math.min(n / a, ep) : Math.max(n * a, sp);
            if (n == sp) break;
            seq.add(n);
        }
        return seq.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private float key(int t) {
        double d;
        if (params.difficulty().equals("estimated")) {
            d = 1 - ctx.passRates().mean(t);
        } else {
            d = ctx.pool().priorDifficulty(t);
            if (Double.isNaN(d)) d = 0.5;
        }
        switch (params.order()) {
            case "hardFirst":
                return (float) d;
            case "random": {
                int h = t * 0x9E3779B9;
                h ^= h >>> 15;
                h *= 0x2C1B3C6D;
                h ^= h >>> 12;
                return (h >>> 8) / (float) (1 << 24);
            }
            default:
                return (float) -d;
        }
    }

    private void ensure() {
        int n = ctx.pool().size();
        int g = ctx.pool().groupCount();
        if (g > root.length) {
            int old = root.length;
            root = Arrays.copyOf(root, g);
            Arrays.fill(root, old, g, OrderStatisticTree.emptyRoot());
        }
        if (n > lastUsed.length) {
            int old = lastUsed.length;
            lastUsed = Arrays.copyOf(lastUsed, Math.max(n, 2 * old));
            Arrays.fill(lastUsed, old, lastUsed.length, Long.MIN_VALUE / 2);
            tree.ensureCapacity(lastUsed.length);
        }
        for (; inserted < n; inserted++) {
            int gr = ctx.pool().group(inserted);
            root[gr] = tree.insert(root[gr], inserted, key(inserted));
        }
    }

    /** How many of the group's easiest tasks are eligible now. */
    public int eligible(int group) {
        ensure();
        int size = ctx.pool().groupSize(group);
        double c = competence(ctx.groupStats().batches());
        return Math.max(1, Math.min(size, (int) Math.ceil(c * size - 1e-9)));
    }

    /** The task's difficulty key in the order, and the competence c(t) of the draw (its batch: the one before the current count). */
    @Override
    public void explain(int task, java.util.Map<String, Double> out) {
        out.put("orderKey", (double) key(task));
        out.put("competence", competence(Math.max(0, ctx.groupStats().batches() - 1)));
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        ensure();
        int e = eligible(group);
        long now = ctx.groupStats().batches();
        long recent = Math.max(0, e / Math.max(1, count) - 1);
        int target = batch.size() + count;
        for (int guard = 4 * count + 16; batch.size() < target && guard > 0; guard--) {
            int t = -1;
            for (int k = 0; k < FRESH_TRIES; k++) {
                int c = tree.select(root[group], ctx.rng().nextInt(e));
                if (batch.contains(c)) continue;
                t = c;
                if (now - lastUsed[c] > recent) break;
            }
            if (t >= 0 && batch.add(t)) lastUsed[t] = now;
        }
        // The eligible prefix is smaller than the request: widen it in order.
        for (int r = 0; batch.size() < target && r < ctx.pool().groupSize(group); r++) {
            int t = tree.select(root[group], r);
            if (batch.add(t)) lastUsed[t] = now;
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        if (!params.difficulty().equals("estimated")) return;
        ensure();
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            int g = b.group[i];
            root[g] = tree.rekey(root[g], t, key(t));
        }
    }

    @Override
    public Set<Signal> consumes() {
        return params.difficulty().equals("estimated") ? Set.of(Signal.REWARDS) : Set.of();
    }

    @Override
    public java.util.Map<String, Double> view() {
        return java.util.Map.of("pacing.competence", competence(ctx.groupStats().batches()));
    }

    @Override
    public long footprintBytes() {
        return tree.footprintBytes() + 8L * lastUsed.length;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        int n = ctx.pool().size();
        w.writeLongs(lastUsed, n);
        // The keys as they stand in the trees (estimated difficulty is read when a task is reported,
        // so it can differ from what the pass rates would give now): the trees are rebuilt from them.
        float[] keys = new float[n];
        for (int t = 0; t < n; t++) keys[t] = tree.key(t);
        w.writeFloats(keys, n);
    }

    @Override
    public void readState(SnapshotReader r) {
        long[] l = r.readLongs();
        float[] keys = r.readFloats();
        int n = ctx.pool().size();
        if (l.length != n || keys.length != n) throw new IllegalArgumentException("corrupt snapshot: pacing state for " + l.length + " tasks, pool has " + n);
        root = new int[ctx.pool().groupCount()];
        Arrays.fill(root, OrderStatisticTree.emptyRoot());
        lastUsed = Arrays.copyOf(l, Math.max(n, 1));
        tree.ensureCapacity(lastUsed.length);
        for (int t = 0; t < n; t++) {
            int g = ctx.pool().group(t);
            root[g] = tree.insert(root[g], t, keys[t]);
        }
        inserted = n;
    }
}
