package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.recipe.ConfigNode;
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
 * Runs several pipelines side by side and lets a non-stationary bandit choose, for each batch,
 * which one proposes it — so a user need not know in advance which teacher suits their data
 * (in the spirit of Meta-ACL, Portelas et al. 2020, and of SEC's bandit one level up) [INF].
 *
 * <pre>
 *   batch b: member m ~ P(m) = (1 − ε)·softmax(Q/τ)_m + ε/M; m proposes the whole batch
 *   report:  every member observes every outcome (its estimates learn from all the data);
 *            outcome i counts for the member that proposed its task: r_m = mean over those
 *            outcomes of the signal (mean |A| under the curriculum's advantage mode, or the
 *            share of effective groups);  Q_m ← (1 − α)·Q_m + α·r_m
 *   filter:  each outcome is judged by the filter of the member that proposed it
 * </pre>
 * The exponential forgetting α lets the choice follow a best teacher that changes over training;
 * ε keeps every member sampled so a late bloomer is noticed. Defaults α = 0.3, τ = 0.05,
 * ε = 0.1 [INF].
 */
public final class MetaTeacher implements Teacher {
    /** Members one meta-teacher may run (the proposer column is a byte a task). */
    public static final int MAX_MEMBERS = 16;

    /**
     * @param alpha Q's step (0.3 [INF])
     * @param tau softmax temperature (0.05 [INF]; Q lives in [0, ~1])
     * @param epsilon uniform exploration share (0.1 [INF])
     * @param signal meanAbsAdvantage or effectiveRatio
     */
    public record Params(double alpha, double tau, double epsilon, String signal) {
        public static final Params DEFAULTS = new Params(0.3, 0.05, 0.1, "meanAbsAdvantage");
    }

    public static Params parse(ConfigNode node) {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("alpha", d.alpha(), 1e-9, 1), node.number("tau", d.tau(), 1e-6, 1e6),
                node.number("epsilon", d.epsilon(), 0, 1),
                node.choice("signal", d.signal(), List.of("meanAbsAdvantage", "effectiveRatio")));
        node.finish();
        return p;
    }

    private final Params params;
    private final TeacherContext ctx;
    private final List<Pipeline> members;
    private final List<String> names;
    private final double[] q;
    private final long[] proposals;
    private final double[] probability;
    private final double[] rewardSum;
    private final int[] rewardCount;
    private byte[] proposer = new byte[0];

    public MetaTeacher(Params params, TeacherContext ctx, List<Pipeline> members, List<String> names) {
        this.params = params;
        this.ctx = ctx;
        this.members = List.copyOf(members);
        this.names = List.copyOf(names);
        int m = members.size();
        this.q = new double[m];
        this.proposals = new long[m];
        this.probability = new double[m];
        this.rewardSum = new double[m];
        this.rewardCount = new int[m];
    }

    /** The member pipelines, in the configured order. */
    public List<Pipeline> members() {
        return members;
    }

    /** P(member proposes the next batch). */
    public double[] memberProbabilities() {
        int m = members.size();
        double max = Arrays.stream(q).max().orElse(0);
        double z = 0;
        for (int i = 0; i < m; i++) {
            probability[i] = StrictMath.exp((q[i] - max) / params.tau());
            z += probability[i];
        }
        for (int i = 0; i < m; i++) probability[i] = (1 - params.epsilon()) * probability[i] / z + params.epsilon() / m;
        return probability.clone();
    }

    private void ensure() {
        int n = ctx.pool().size();
        if (n > proposer.length) {
            int old = proposer.length;
            proposer = Arrays.copyOf(proposer, Math.max(n, 2 * old));
            Arrays.fill(proposer, old, proposer.length, (byte) -1);
        }
    }

    @Override
    public void propose(int n, BatchBuilder batch, int[] rollouts) {
        ensure();
        double[] p = memberProbabilities();
        double u = ctx.rng().nextDouble();
        int m = 0;
        for (double acc = p[0]; m < p.length - 1 && u >= acc; acc += p[++m]) {
            // walk the cumulative distribution
        }
        members.get(m).propose(n, batch, rollouts);
        proposals[m]++;
        for (int i = 0; i < batch.size(); i++) proposer[batch.get(i)] = (byte) m;
    }

    @Override
    public boolean observe(ObservedBatch b, boolean[] keep) {
        ensure();
        int m = members.size();
        boolean[][] verdicts = new boolean[m][b.size];
        boolean[] bypassed = new boolean[m];
        for (int k = 0; k < m; k++) bypassed[k] = members.get(k).observe(b, verdicts[k]);
        Arrays.fill(rewardSum, 0.0);
        Arrays.fill(rewardCount, 0);
        boolean any = false;
        for (int i = 0; i < b.size; i++) {
            int k = proposer[b.task[i]];
            if (k < 0) k = 0; // reported without having been proposed: the first member judges
            keep[i] = verdicts[k][i];
            any |= bypassed[k];
            rewardSum[k] += params.signal().equals("effectiveRatio") ? (b.effective[i] ? 1.0 : 0.0) : b.meanAbsAdvantage[i];
            rewardCount[k]++;
        }
        for (int k = 0; k < m; k++) {
            if (rewardCount[k] > 0) q[k] = (1 - params.alpha()) * q[k] + params.alpha() * rewardSum[k] / rewardCount[k];
        }
        return any;
    }

    @Override
    public void directives(int task, long step, Map<String, Double> out) {
        int k = task < proposer.length ? proposer[task] : -1;
        members.get(Math.max(0, k)).directives(task, step, out);
    }

    /** The member that proposed the task (its pieces' numbers) and the member's probability, unchanged since the draw. */
    @Override
    public void explain(int[] tasks, int[] groups, int[] rollouts, TaskExplanation.Pieces[] out) {
        double[] p = memberProbabilities();
        double[][] scores = new double[members.size()][];
        for (int i = 0; i < tasks.length; i++) {
            int t = tasks[i];
            int k = Math.max(0, t < proposer.length ? proposer[t] : -1);
            if (scores[k] == null) scores[k] = members.get(k).scores();
            out[i] = members.get(k).explain(t, groups[i], rollouts[i], p[k], scores[k]);
        }
    }

    @Override
    public void groupView(double[] probability, double[] score) {
        double[] p = memberProbabilities();
        double[] each = new double[probability.length];
        double[] ignored = new double[probability.length];
        Arrays.fill(probability, 0.0);
        for (int k = 0; k < members.size(); k++) {
            Arrays.fill(each, 0.0);
            members.get(k).groupView(each, ignored);
            for (int g = 0; g < probability.length; g++) probability[g] += p[k] * each[g];
        }
        Arrays.fill(score, Double.NaN);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> v = new LinkedHashMap<>();
        double[] p = memberProbabilities();
        for (int k = 0; k < members.size(); k++) {
            String prefix = "meta." + k + "." + names.get(k);
            v.put(prefix + ".probability", p[k]);
            v.put(prefix + ".q", q[k]);
            v.put(prefix + ".batches", (double) proposals[k]);
        }
        return v;
    }

    @Override
    public Set<Signal> consumes() {
        EnumSet<Signal> s = EnumSet.noneOf(Signal.class);
        for (Pipeline p : members) s.addAll(p.consumes());
        return s;
    }

    @Override
    public long footprintBytes() {
        long b = proposer.length;
        for (Pipeline p : members) b += p.footprintBytes();
        return b;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        w.writeDoubles(q, q.length);
        w.writeLongs(proposals, proposals.length);
        int n = ctx.pool().size();
        int[] asInts = new int[n];
        for (int t = 0; t < n; t++) asInts[t] = proposer[t];
        w.writeInts(asInts, n);
        for (Pipeline p : members) p.writeState(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        ensure();
        double[] qq = r.readDoubles();
        long[] pr = r.readLongs();
        if (qq.length != q.length) throw new IllegalArgumentException("snapshot has " + qq.length + " meta members, config has " + q.length);
        System.arraycopy(qq, 0, q, 0, q.length);
        System.arraycopy(pr, 0, proposals, 0, proposals.length);
        int[] asInts = r.readInts();
        for (int t = 0; t < asInts.length; t++) proposer[t] = (byte) asInts[t];
        for (Pipeline p : members) p.readState(r);
    }
}
