package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.FreshFloor;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.compose.WalkCandidates;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.sample.Ranking;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * PCL — Prompt Curriculum Learning (Gao et al. 2025, "Prompt Curriculum Learning for Efficient
 * LLM Post-Training", arXiv:2510.01135). A value model predicts each prompt's pass rate under the
 * current policy; each step rolls out the candidates predicted nearest the target.
 *
 * <pre>
 *   C      = k·m candidates (from the group's walk)
 *   V(x)   = σ(w · f(x))        f = [task features, one-hot group, 1]
 *   V'(x)  = (κ·V(x) + S_x) / (κ + n_x)      blended with the task's own evidence
 *                                             (S_x successes of n_x rollouts, faded)
 *   S      = the m candidates of C with the smallest |V'(x) − τ|
 *   after the rollouts: one gradient step on Σ_{x∈S} CE(V(x), Y(x)),  Y(x) = mean reward of x
 * </pre>
 * The paper's value model is a transformer head; without one, a logistic model over the task's
 * features and group is the engine's reading [INF], and the task's own history sharpens it
 * (MoPPS, shared/algorithms/llm-rl.md §5). Defaults: τ = 0.5 [PAPER*], k = 4 [INF], κ = 8 (one
 * group of rollouts) [INF], learning rate 0.1 [INF].
 */
public final class PromptCurriculum implements ItemPolicy {
    /**
     * @param target τ, the pass rate to aim at (0.5)
     * @param candidates k, candidates per selected task (4)
     * @param modelWeight κ, pseudo-rollouts the model's prediction counts for against the task's own evidence (8)
     * @param learningRate SGD step of the value model (0.1)
     * @param coverage candidates not selected stay in the epoch, so every task is trained once per
     *     epoch and the model only orders it (true [INF]; false: spent for the epoch, the paper's
     *     fresh candidates each step — on a learner that memorises, the selected tasks then come
     *     round k times faster, docs/lab.md)
     * @param freshShare share of slots taken from the group's walk before the model chooses the
     *     rest ({@link FreshFloor}; 0.75 [INF] from defaults version 2, docs/lab.md; 0 = the model
     *     chooses every slot)
     */
    public record Params(double target, int candidates, double modelWeight, double learningRate, boolean coverage,
                         double freshShare) {
        public static final Params DEFAULTS = new Params(0.5, 4, 8.0, 0.1, true, 0.75);

        /** Without a fresh floor (the model chooses every slot). */
        public Params(double target, int candidates, double modelWeight, double learningRate) {
            this(target, candidates, modelWeight, learningRate, DEFAULTS.coverage(), 0.0);
        }

        /** Without a fresh floor (the model chooses every slot). */
        public Params(double target, int candidates, double modelWeight, double learningRate, boolean coverage) {
            this(target, candidates, modelWeight, learningRate, coverage, 0.0);
        }
    }

    public static final ComponentType<Params, PromptCurriculum> TYPE = ComponentType.of(node -> new Params(
            node.number("target", Params.DEFAULTS.target(), 0, 1),
            node.integer("candidates", Params.DEFAULTS.candidates(), 1, 1024),
            node.number("modelWeight", Params.DEFAULTS.modelWeight(), 0, 1e9),
            node.number("learningRate", Params.DEFAULTS.learningRate(), 0, 100),
            node.bool("coverage", Params.DEFAULTS.coverage()),
            node.number("freshShare", node.byDefaults(0.0, Params.DEFAULTS.freshShare()), 0, 1)), PromptCurriculum::new);

    private final Params params;
    private final TeacherContext ctx;
    /** Weights: features, then one per group, then the bias (last). */
    private double[] w = new double[1];
    private double lastLoss = Double.NaN;
    private int[] cand = new int[64];
    private double[] score = new double[64];
    private int[] order = new int[64];
    private final Ranking ranking = new Ranking();
    /** This call's candidates, once the walk may repeat them (see {@link #pick}). */
    private final BatchBuilder seen = new BatchBuilder();
    private final WalkCandidates drawn = new WalkCandidates();

    public PromptCurriculum(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
    }

    private void ensureWeights() {
        int n = ctx.pool().featureDim() + ctx.pool().groupCount() + 1;
        if (w.length < n) {
            // New groups go between the learned weights and the bias: move the bias to the end and
            // zero only the new slots (the learned group weights stay).
            int old = w.length;
            double bias = w[old - 1];
            w = Arrays.copyOf(w, n);
            Arrays.fill(w, old - 1, n, 0.0);
            w[n - 1] = bias;
        }
    }

    /** V(x): the model's prediction alone. */
    public double model(int task) {
        ensureWeights();
        int d = ctx.pool().featureDim();
        double z = w[w.length - 1] + w[d + ctx.pool().group(task)];
        for (int k = 0; k < d; k++) z += w[k] * ctx.pool().feature(task, k);
        return 1.0 / (1.0 + StrictMath.exp(-z));
    }

    /** V'(x): the model blended with the task's own evidence. */
    public double predict(int task) {
        double k = params.modelWeight();
        double n = ctx.passRates().evidence(task);
        if (k + n == 0) return 0.5;
        return (k * model(task) + ctx.passRates().successes(task)) / (k + n);
    }

    /** V'(x), the prediction ranked against the target, and the model's V(x) alone (no lazy growth: weights not yet sized for the task's group read 0). */
    @Override
    public void explain(int task, java.util.Map<String, Double> out) {
        int d = ctx.pool().featureDim();
        int gw = d + ctx.pool().group(task);
        double z = w[w.length - 1] + (gw < w.length - 1 ? w[gw] : 0.0);
        for (int k = 0; k < d && k < w.length - 1; k++) z += w[k] * ctx.pool().feature(task, k);
        double v = 1.0 / (1.0 + StrictMath.exp(-z));
        double k = params.modelWeight();
        double n = ctx.passRates().evidence(task);
        out.put("model", v);
        out.put("predicted", k + n == 0 ? 0.5 : (k * v + ctx.passRates().successes(task)) / (k + n));
        out.put("target", params.target());
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        count -= FreshFloor.take(ctx, group, count, params.freshShare(), batch);
        if (count == 0) return;
        int groupSize = ctx.pool().groupSize(group);
        int limit = (int) Math.min((long) params.candidates() * count, groupSize);
        if (params.coverage()) {
            int before = batch.size();
            limit = drawn.coverEpochEnd(ctx.walk(), ctx.rng(), group, count, limit, batch);
            count -= batch.size() - before;
        }
        if (cand.length < limit) {
            cand = new int[Math.max(limit, 2 * cand.length)];
            score = new double[cand.length];
            order = new int[cand.length];
        }
        int c = 0;
        // The walk returns distinct tasks until its epoch ends; only draws past that point can
        // repeat a candidate. From there on, a set of the candidates refuses repeats in O(1).
        int distinct = ctx.walk().remainingInEpoch(group);
        int draws = 0;
        drawn.start(group);
        for (int tries = 2 * groupSize + limit; c < limit && tries > 0; tries--) {
            int t = drawn.draw(ctx.walk(), ctx.rng());
            if (++draws == distinct + 1) {
                seen.reset(limit);
                for (int i = 0; i < c; i++) seen.add(cand[i]);
            }
            if (batch.contains(t)) continue;
            if (draws > distinct && !seen.add(t)) continue;
            cand[c] = t;
            score[c++] = Math.abs(predict(t) - params.target());
        }
        ranking.ascending(score, c, order);
        int target = batch.size() + count;
        for (int i = 0; i < c && batch.size() < target; i++) batch.add(cand[order[i]]);
        if (params.coverage()) drawn.putBackUntaken(ctx.walk(), batch);
        for (int guard = 2 * groupSize + count; batch.size() < target && guard > 0; guard--) {
            batch.add(ctx.walk().next(group, ctx.rng()));
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        if (b.size == 0) return;
        ensureWeights();
        int d = ctx.pool().featureDim();
        double[] grad = new double[w.length];
        double loss = 0;
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            double y = Math.min(1.0, Math.max(0.0, b.passRate[i]));
            double v = model(t);
            loss += (v - y) * (v - y);
            double e = v - y; // d CE / d z
            for (int k = 0; k < d; k++) grad[k] += e * ctx.pool().feature(t, k);
            grad[d + ctx.pool().group(t)] += e;
            grad[w.length - 1] += e;
        }
        for (int k = 0; k < w.length; k++) w[k] -= params.learningRate() * grad[k] / b.size;
        lastLoss = loss / b.size;
    }

    /** Mean squared error of V on the last reported batch, before its update. */
    public double lastLoss() {
        return lastLoss;
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pcl.valueMse", lastLoss);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter sw) {
        ensureWeights();
        sw.writeDoubles(w, w.length);
        sw.writeDouble(lastLoss);
    }

    @Override
    public void readState(SnapshotReader r) {
        w = r.readDoubles();
        if (w.length == 0) w = new double[1];
        lastLoss = r.readDouble();
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
