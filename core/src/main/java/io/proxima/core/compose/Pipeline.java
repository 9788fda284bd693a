package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.sample.SumTree;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.teacher.Teacher;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * A teacher for a discrete pool built from four pieces (shared/design.md, "Composition"):
 * <pre>
 *   group policy  → probability per group; slots drawn i.i.d., a group never gives more tasks than it holds
 *   item policy   → which tasks inside each group
 *   allocator     → rollouts per task
 *   filter        → after the rollouts: which groups to train on
 * </pre>
 * The batch is shuffled at the end so that a trainer's mini-batches mix groups.
 */
public final class Pipeline implements Teacher {
    private final TeacherContext ctx;
    private final GroupPolicy groups;
    private final ItemPolicy items;
    private final OutcomeFilter filter;
    private final RolloutAllocator allocator;
    private final List<DirectivePolicy> directives;
    private final PieceNames names;
    private double[] probabilities = new double[0];
    private int[] counts = new int[0];
    private double[] kept = new double[0];
    /** The group draw's tree, reused across calls (emptied, then filled as a new one would be). */
    private SumTree tree;
    private int treeGroups;

    public Pipeline(TeacherContext ctx, GroupPolicy groups, ItemPolicy items, OutcomeFilter filter, RolloutAllocator allocator) {
        this(ctx, groups, items, filter, allocator, List.of());
    }

    public Pipeline(TeacherContext ctx, GroupPolicy groups, ItemPolicy items, OutcomeFilter filter, RolloutAllocator allocator,
                    List<DirectivePolicy> directives) {
        this(ctx, groups, items, filter, allocator, directives, PieceNames.of(groups, items, filter, allocator));
    }

    public Pipeline(TeacherContext ctx, GroupPolicy groups, ItemPolicy items, OutcomeFilter filter, RolloutAllocator allocator,
                    List<DirectivePolicy> directives, PieceNames names) {
        this.names = names;
        this.directives = List.copyOf(directives);
        this.ctx = ctx;
        this.groups = groups;
        this.items = items;
        this.filter = filter;
        this.allocator = allocator;
    }

    @Override
    public void propose(int n, BatchBuilder batch, int[] rollouts) {
        int g = ctx.pool().groupCount();
        if (probabilities.length < g) {
            probabilities = new double[g];
            counts = new int[g];
        }
        Arrays.fill(probabilities, 0, g, 0.0);
        Arrays.fill(counts, 0, g, 0);
        groups.probabilities(probabilities);
        if (items.thinsGroups()) thin(probabilities, g);
        drawGroupCounts(n, g);
        for (int k = 0; k < g; k++) {
            if (counts[k] > 0) {
                batch.forGroup(k);
                items.pick(k, counts[k], batch);
            }
        }
        if (batch.size() != n) {
            throw new IllegalStateException("item policy returned " + batch.size() + " tasks for a batch of " + n);
        }
        shuffle(batch);
        allocator.allocate(batch.raw(), n, rollouts);
    }

    /** Weighs each group by the share of its tasks the item policy would take; unchanged if it would take none anywhere. */
    private void thin(double[] p, int g) {
        if (kept.length < g) kept = new double[g];
        double sum = 0;
        for (int k = 0; k < g; k++) {
            kept[k] = p[k] > 0 ? p[k] * items.keptShare(k) : 0.0;
            sum += kept[k];
        }
        if (!(sum > 0)) return;
        for (int k = 0; k < g; k++) p[k] = kept[k] / sum;
    }

    /** Multinomial draw of n slots over groups, capped by group sizes; O(G + n log G). */
    private void drawGroupCounts(int n, int g) {
        if (tree == null || treeGroups != g) {
            tree = new SumTree(g);
            treeGroups = g;
        } else {
            tree.clear();
        }
        boolean any = false;
        for (int k = 0; k < g; k++) {
            double p = ctx.pool().groupSize(k) > 0 ? probabilities[k] : 0.0;
            tree.add(p > 0 ? p : 0.0);
            any |= p > 0;
        }
        for (int slot = 0; slot < n; slot++) {
            int k = any ? tree.sample(ctx.rng()) : -1;
            if (k < 0) {
                // The policy's groups are exhausted for this batch: fill from the rest of the pool,
                // in proportion to what each group still has (as SEC's dataloader does).
                any = false;
                for (int j = 0; j < g; j++) {
                    int left = ctx.pool().groupSize(j) - counts[j];
                    tree.set(j, left);
                    any |= left > 0;
                }
                k = tree.sample(ctx.rng());
            }
            counts[k]++;
            if (counts[k] == ctx.pool().groupSize(k)) tree.set(k, 0.0);
        }
    }

    private void shuffle(BatchBuilder batch) {
        for (int i = batch.size() - 1; i > 0; i--) batch.swap(i, ctx.rng().nextInt(i + 1));
    }

    @Override
    public boolean observe(ObservedBatch batch, boolean[] keep) {
        groups.observe(batch);
        items.observe(batch);
        for (DirectivePolicy d : directives) d.observe(batch);
        boolean bypassed = filter.judge(batch, keep);
        items.adviseKeep(batch, keep);
        return bypassed;
    }

    @Override
    public void directives(int task, long step, Map<String, Double> out) {
        for (DirectivePolicy d : directives) d.directives(task, step, out);
    }

    /** Whether any directive policy is configured. */
    public boolean hasDirectives() {
        return !directives.isEmpty();
    }

    /** The item policy (read-only uses: the dashboard reads PLR's scores through {@code Curriculum}). */
    public ItemPolicy itemPolicy() {
        return items;
    }

    /** The pieces' names as configured. */
    public PieceNames names() {
        return names;
    }

    /**
     * The group probability is the one of the last draw (kept in {@code probabilities}), not a
     * new evaluation of the group policy: the policy may have moved since, and evaluating it is
     * not free.
     */
    @Override
    public void explain(int[] tasks, int[] groups, int[] rollouts, TaskExplanation.Pieces[] out) {
        double[] score = scores();
        for (int i = 0; i < tasks.length; i++) out[i] = explain(tasks[i], groups[i], rollouts[i], Double.NaN, score);
    }

    /** The group policy's score per group (one evaluation for a whole batch's explanation). */
    double[] scores() {
        double[] score = new double[ctx.pool().groupCount()];
        groups.scores(score);
        return score;
    }

    TaskExplanation.Pieces explain(int task, int group, int rollouts, double memberProbability, double[] score) {
        double p = group < probabilities.length ? probabilities[group] : Double.NaN;
        Map<String, Double> item = new java.util.TreeMap<>();
        items.explain(task, item);
        Map<String, Double> allocation = new java.util.TreeMap<>();
        allocator.explain(task, rollouts, allocation);
        return new TaskExplanation.Pieces(names.recipe(), memberProbability, names.groupPolicy(), names.shareBound(), p, score[group],
                names.itemPolicy(), item, names.filter(), names.allocator(), allocation);
    }

    @Override
    public void groupView(double[] probability, double[] score) {
        groups.probabilities(probability);
        if (items.thinsGroups()) thin(probability, ctx.pool().groupCount());
        groups.scores(score);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>(items.view());
        m.putAll(filter.view());
        return m;
    }

    @Override
    public Set<Signal> consumes() {
        EnumSet<Signal> s = EnumSet.noneOf(Signal.class);
        s.addAll(groups.consumes());
        s.addAll(items.consumes());
        s.addAll(filter.consumes());
        s.addAll(allocator.consumes());
        for (DirectivePolicy d : directives) s.addAll(d.consumes());
        return s;
    }

    @Override
    public long footprintBytes() {
        long b = groups.footprintBytes() + items.footprintBytes() + filter.footprintBytes() + allocator.footprintBytes();
        for (DirectivePolicy d : directives) b += d.footprintBytes();
        return b;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        groups.writeState(w);
        items.writeState(w);
        filter.writeState(w);
        allocator.writeState(w);
        for (DirectivePolicy d : directives) d.writeState(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        groups.readState(r);
        items.readState(r);
        filter.readState(r);
        allocator.readState(r);
        for (DirectivePolicy d : directives) d.readState(r);
    }
}
