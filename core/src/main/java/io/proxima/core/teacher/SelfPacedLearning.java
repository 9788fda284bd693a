package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.sample.OrderStatisticTree;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Self-paced learning from reported per-item losses: SPL (Kumar, Packer, Koller 2010, "Self-Paced
 * Learning for Latent Variable Models") and SPLD, with diversity across groups (Jiang et al. 2014,
 * "Self-Paced Learning with Diversity"). shared/algorithms/classic-and-deep-rl.md §1.
 *
 * <pre>
 *   hard SPL      v_i = 1[ℓ_i &lt; λ]
 *   linear SPL    v_i = max(0, 1 − ℓ_i/λ)            (soft: included items drawn in proportion to v_i)
 *   SPLD          within each group, sort by loss, rank r = 1..n_g:
 *                 v_i = 1  iff  ℓ_i &lt; λ + γ / (√r + √(r − 1))
 *   age           λ ← μλ and γ ← μγ once per pass over the pool — Kumar's outer iteration — i.e.
 *                 each time as many items have been selected as the pool holds (μ = 1.3); or every
 *                 {@code growEvery} batches when that is set
 *   λ₀            {@code initialAge}, or (0 = auto) the median loss of the first report, so that
 *                 about half of the items are "easy" at the start [PAPER*]
 * </pre>
 * Items never reported have no loss yet: like new levels in PLR they are taken with probability
 * (unseen share of the group), from the group's walk. Within a batch, included items are drawn
 * uniformly (hard) or by rejection with probability v_i (linear). O(log² N) per draw: the
 * included set is a prefix of an order-statistic treap sorted by loss.
 */
public final class SelfPacedLearning implements ItemPolicy {
    /**
     * @param regularizer hard or linear
     * @param initialAge λ₀ (0 = the median loss of the first report)
     * @param growth μ (1.3 [PAPER*])
     * @param growEvery batches between two growths of the age; 0 = once per pass over the pool (the
     *     paper's outer iteration; the lab showed a fixed 50 letting mislabelled items back too soon)
     * @param diversity γ₀ of SPLD (0 = plain SPL)
     * @param lossEma weight of a new loss against the item's previous one (1 = replace)
     */
    public record Params(String regularizer, double initialAge, double growth, int growEvery, double diversity, double lossEma) {
        public static final Params DEFAULTS = new Params("hard", 0.0, 1.3, 0, 0.0, 1.0);
    }

    public static final ComponentType<Params, SelfPacedLearning> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        return new Params(node.choice("regularizer", d.regularizer(), List.of("hard", "linear")),
                node.number("initialAge", d.initialAge(), 0, 1e12), node.number("growth", d.growth(), 1, 100),
                node.integer("growEvery", d.growEvery(), 0, Integer.MAX_VALUE), node.number("diversity", d.diversity(), 0, 1e12),
                node.number("lossEma", d.lossEma(), 1e-9, 1));
    }, SelfPacedLearning::new);

    private static final int TRIES = 16;

    private final Params params;
    private final TeacherContext ctx;
    private final OrderStatisticTree tree = new OrderStatisticTree();
    private int[] root = new int[0];
    private float[] loss = new float[0];
    /** λ and γ, and the clock of the last growth (batches, or selections when growing per pass); λ is NaN until set. */
    private double age = Double.NaN;
    private double diversity;
    private long grownAt;

    public SelfPacedLearning(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        this.diversity = params.diversity();
        if (params.initialAge() > 0) age = params.initialAge();
    }

    private void ensure() {
        int n = ctx.pool().size();
        if (n > loss.length) {
            loss = Arrays.copyOf(loss, Math.max(n, 2 * loss.length));
            tree.ensureCapacity(loss.length);
        }
        int g = ctx.pool().groupCount();
        if (g > root.length) {
            int old = root.length;
            root = Arrays.copyOf(root, g);
            Arrays.fill(root, old, g, OrderStatisticTree.emptyRoot());
        }
    }

    /** The age λ now (NaN before it is set), after the growths due by the batch clock. */
    public double age() {
        grow();
        return age;
    }

    /** The growth clock: batches, or items selected when the age grows once per pass over the pool. */
    private long clock() {
        return params.growEvery() > 0 ? ctx.groupStats().batches() : ctx.groupStats().totalSelected();
    }

    private long period() {
        return params.growEvery() > 0 ? params.growEvery() : Math.max(1, ctx.pool().size());
    }

    private void grow() {
        long now = clock();
        long period = period();
        while (now - grownAt >= period) {
            grownAt += period;
            if (!Double.isNaN(age)) {
                age *= params.growth();
                diversity *= params.growth();
            }
        }
    }

    /** Is the r-th easiest item (1-based) of a group with loss ℓ included? */
    private boolean included(int r, double l) {
        double threshold = age + (diversity > 0 ? diversity / (Math.sqrt(r) + Math.sqrt(r - 1)) : 0.0);
        return l < threshold;
    }

    /** Number of included items of the group: the longest prefix, by loss, that passes (binary search). */
    public int includedCount(int group) {
        ensure();
        grow();
        int seen = tree.size(root[group]);
        if (seen == 0 || Double.isNaN(age)) return seen;
        int lo = 0;
        int hi = seen;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (included(mid, loss[tree.select(root[group], mid - 1)])) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The task's loss (NaN: never reported, drawn as unseen) and the age λ of the draw. */
    @Override
    public void explain(int task, Map<String, Double> out) {
        out.put("loss", task < loss.length && tree.contains(task) ? loss[task] : Double.NaN);
        out.put("age", age);
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        ensure();
        int size = ctx.pool().groupSize(group);
        int target = batch.size() + count;
        int m = includedCount(group);
        int seen = tree.size(root[group]);
        for (int guard = 4 * count + 16; batch.size() < target && guard > 0; guard--) {
            int unseen = size - seen;
            int t = -1;
            if (unseen > 0 && (seen == 0 || ctx.rng().nextDouble() < (double) unseen / size)) t = nextUnseen(group, batch);
            if (t < 0 && seen > 0) t = drawIncluded(group, Math.max(1, m), batch);
            if (t >= 0) batch.add(t);
        }
        // Not enough distinct included items: the easiest remaining ones, then the walk.
        for (int r = 0; batch.size() < target && r < seen; r++) batch.add(tree.select(root[group], r));
        for (int g = 2 * size; batch.size() < target && g > 0; g--) batch.add(ctx.walk().next(group, ctx.rng()));
    }

    private int nextUnseen(int group, BatchBuilder batch) {
        int size = ctx.pool().groupSize(group);
        for (int i = 0; i < size; i++) {
            int t = ctx.walk().next(group, ctx.rng());
            if (!tree.contains(t) && !batch.contains(t)) return t;
        }
        return -1;
    }

    private int drawIncluded(int group, int m, BatchBuilder batch) {
        boolean linear = params.regularizer().equals("linear") && !Double.isNaN(age);
        for (int k = 0; k < TRIES; k++) {
            int t = tree.select(root[group], ctx.rng().nextInt(m));
            if (batch.contains(t)) continue;
            if (!linear || ctx.rng().nextDouble() < Math.max(0.0, 1.0 - loss[t] / age)) return t;
        }
        return -1;
    }

    @Override
    public void observe(ObservedBatch b) {
        ensure();
        double[] first = null;
        int firstCount = 0;
        if (Double.isNaN(age)) first = new double[b.size];
        double a = params.lossEma();
        for (int i = 0; i < b.size; i++) {
            double l = b.loss[i];
            if (Double.isNaN(l)) continue;
            int t = b.task[i];
            int g = b.group[i];
            if (tree.contains(t)) {
                root[g] = tree.remove(root[g], t);
                loss[t] = (float) ((1 - a) * loss[t] + a * l);
            } else {
                loss[t] = (float) l;
            }
            root[g] = tree.insert(root[g], t, -loss[t]);
            if (first != null) first[firstCount++] = l;
        }
        if (first != null && firstCount > 0) {
            Arrays.sort(first, 0, firstCount);
            double median = firstCount % 2 == 1 ? first[firstCount / 2] : (first[firstCount / 2 - 1] + first[firstCount / 2]) / 2;
            // "about half easy": the items at the median must count as easy, so λ sits just above it
            age = Math.nextUp(median);
            grownAt = clock();
        }
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.LOSS);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("spl.age", age());
        if (params.diversity() > 0) m.put("spl.diversity", diversity);
        return m;
    }

    @Override
    public long footprintBytes() {
        return tree.footprintBytes() + 4L * loss.length;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        int n = ctx.pool().size();
        w.writeDouble(age);
        w.writeDouble(diversity);
        w.writeLong(grownAt);
        w.writeFloats(loss, n);
        int[] seen = new int[n];
        for (int t = 0; t < n; t++) seen[t] = tree.contains(t) ? 1 : 0;
        w.writeInts(seen, n);
    }

    @Override
    public void readState(SnapshotReader r) {
        ensure();
        age = r.readDouble();
        diversity = r.readDouble();
        grownAt = r.readLong();
        float[] l = r.readFloats();
        int[] seen = r.readInts();
        System.arraycopy(l, 0, loss, 0, l.length);
        for (int t = 0; t < seen.length; t++) {
            if (seen[t] == 1) {
                int g = ctx.pool().group(t);
                root[g] = tree.insert(root[g], t, -loss[t]);
            }
        }
    }
}
