package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.sample.OrderStatisticTree;
import io.proxima.core.sample.RankWeights;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.IntList;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * PLR — Prioritized Level Replay (Jiang, Grefenstette, Rocktäschel 2021, arXiv:2010.03934) and its
 * robust variant PLR⊥ (Jiang et al. 2021, "Replay-Guided Adversarial Environment Design",
 * arXiv:2110.02439). [CODE facebookresearch/level-replay level_replay/level_sampler.py]
 *
 * <pre>
 *   score of a report    absAdvantage:       mean_i |r_i − r̄|      (L1 value loss; the group mean is the baseline)
 *                        positiveValueLoss:  mean_i max(r_i − r̄, 0)
 *                        oneMinusSuccess:    1 − r̄
 *   S_i ← (1 − α)·S_i + α·score                                    α = 1 (replace)
 *   P_S(i) = h(S_i)^{1/β} / Σ_j h(S_j)^{1/β}     rank: h = 1/rank(S_i);  power: h = S_i        β = 0.1
 *   P_C(i) = (c − C_i) / Σ_j (c − C_j)           c = picks so far, C_i = c when i was last picked
 *   P_replay = (1 − ρ)·P_S + ρ·P_C                over seen tasks                              ρ = 0.1
 *   each slot: replay with probability (seen / N)  ("proportionate"), or a fixed probability;
 *              otherwise a task never seen (next unseen one of the group's walk)
 *   fresh floor: first, with probability freshShare, the slot takes the group's walk instead
 *              (never-seen tasks first, then the epoch walk)                                  [INF]
 *   replay gap:  a replay draw of a task picked fewer than replayGap·N picks ago takes the
 *              group's walk instead                                                           [INF]
 * </pre>
 * The fresh floor is ours: once every task of a finite pool was seen the paper's schedule replays
 * on every slot, by a rank on |advantage| at β = 0.1 — a few tasks, again and again. On a learner
 * that memorises what it sees again that ended at half the walk's held-out gain (docs/lab.md);
 * PLR was made for procedurally generated levels, where a replayed level is not memorised text.
 * {@code freshShare: 0} is the paper. The replay gap is ours too: at β = 0.1 the rank weights put
 * most of the replay on the few top-scored tasks, so even half the slots replayed trains those
 * again every step; with a gap of g a task comes back at most once per g passes' worth of picks
 * (1 = as often as the walk brings it). {@code replayGap: 0} is the paper.
 * Robust PLR: tasks picked as new are evaluated but not trained on — their reports come back with
 * {@code keep = false}; only replayed tasks train the learner.
 *
 * <p>Cost: a report updates a score in O(log N) (an order-statistic treap per group); a draw is
 * O(log N) (rank: a position drawn from the closed-form rank weights, then the task at that
 * position; power: a descent on subtree weight sums; staleness: rejection against the oldest task,
 * kept by an LRU list). Never a loop over the pool. Per task: 32 bytes (48 with power).
 */
public final class PrioritizedLevelReplay implements ItemPolicy {
    /**
     * @param score what makes a task worth replaying: absAdvantage (value_l1 [CODE best]),
     *     positiveValueLoss (robust PLR's PVL), oneMinusSuccess
     * @param prioritization rank [PAPER best] or power
     * @param temperature β (0.1 [PAPER best])
     * @param staleness ρ, the weight of staleness (0.1 [PAPER best])
     * @param scoreEma α of the score update (1.0 = replace [CODE])
     * @param schedule proportionate (replay with probability seen/N [CODE]) or fixed
     * @param replayProbability replay probability of the fixed schedule (0.5 [CODE robust PLR])
     * @param minSeenShare no replay before this share of the group was seen (0 [INF]; the code's
     *     default 1.0 would wait for a full pass of a large pool)
     * @param robust PLR⊥: train only on replayed tasks (false)
     * @param freshShare share of slots taken from the group's walk before any replay (0.5 [INF]; 0 = the paper)
     * @param replayGap a task is replayed only after this many passes' worth of picks (× the pool
     *     size) since it was last picked; a replay draw that is too recent takes the walk instead
     *     (1 [INF] from defaults version 2, docs/lab.md; 0 = the paper)
     */
    public record Params(String score, String prioritization, double temperature, double staleness, double scoreEma,
                         String schedule, double replayProbability, double minSeenShare, boolean robust, double freshShare,
                         double replayGap) {
        public static final Params DEFAULTS = new Params("absAdvantage", "rank", 0.1, 0.1, 1.0, "proportionate", 0.5, 0.0, false, 0.5, 1.0);

        public Params(String score, String prioritization, double temperature, double staleness, double scoreEma,
                      String schedule, double replayProbability, double minSeenShare, boolean robust) {
            this(score, prioritization, temperature, staleness, scoreEma, schedule, replayProbability, minSeenShare, robust,
                    DEFAULTS.freshShare());
        }

        /** Without a replay gap. */
        public Params(String score, String prioritization, double temperature, double staleness, double scoreEma,
                      String schedule, double replayProbability, double minSeenShare, boolean robust, double freshShare) {
            this(score, prioritization, temperature, staleness, scoreEma, schedule, replayProbability, minSeenShare, robust,
                    freshShare, 0.0);
        }
    }

    public static final ComponentType<Params, PrioritizedLevelReplay> TYPE = type(false);
    public static final ComponentType<Params, PrioritizedLevelReplay> ROBUST_TYPE = type(true);

    private static ComponentType<Params, PrioritizedLevelReplay> type(boolean robust) {
        return ComponentType.of(node -> {
            Params d = Params.DEFAULTS;
            return new Params(
                    node.choice("score", d.score(), List.of("absAdvantage", "positiveValueLoss", "oneMinusSuccess")),
                    node.choice("prioritization", d.prioritization(), List.of("rank", "power")),
                    node.number("temperature", d.temperature(), 1e-3, 1e3),
                    node.number("staleness", d.staleness(), 0, 1),
                    node.number("scoreEma", d.scoreEma(), 1e-9, 1),
                    node.choice("schedule", d.schedule(), List.of("proportionate", "fixed")),
                    node.number("replayProbability", d.replayProbability(), 0, 1),
                    node.number("minSeenShare", d.minSeenShare(), 0, 1),
                    node.bool("robust", robust),
                    node.number("freshShare", d.freshShare(), 0, 1),
                    node.number("replayGap", node.byDefaults(0.0, d.replayGap()), 0, 1000));
        }, PrioritizedLevelReplay::new);
    }

    private static final int NONE = -1;
    /** Rejection tries of a staleness draw before it takes the stalest task. */
    private static final int STALENESS_TRIES = 64;

    private final Params params;
    private final TeacherContext ctx;
    private final boolean power;
    private final OrderStatisticTree tree;
    private final RankWeights rankWeights;
    private final RankWeights.Exclusions taken;
    private int[] root = new int[0];
    private int[] lruHead = new int[0];
    private int[] lruTail = new int[0];
    private float[] score = new float[0];
    private long[] lastPick = new long[0];
    private int[] prev = new int[0];
    private int[] next = new int[0];
    private long[] exploratory = new long[0];
    private long picks;
    private final IntList removed = new IntList();
    private long replayed;
    private long explored;
    /** Set by {@link #replayPick} when its draw was refused by the replay gap. */
    private boolean gapRefused;

    public PrioritizedLevelReplay(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        this.power = params.prioritization().equals("power");
        this.tree = new OrderStatisticTree(power);
        this.rankWeights = new RankWeights(params.temperature());
        this.taken = rankWeights.newExclusions();
    }

    private void ensure() {
        int n = ctx.pool().size();
        if (n > score.length) {
            int cap = Math.max(n, 2 * score.length);
            int old = score.length;
            score = Arrays.copyOf(score, cap);
            lastPick = Arrays.copyOf(lastPick, cap);
            Arrays.fill(lastPick, old, cap, -1L);
            prev = Arrays.copyOf(prev, cap);
            next = Arrays.copyOf(next, cap);
            exploratory = Arrays.copyOf(exploratory, (cap + 63) >>> 6);
            tree.ensureCapacity(cap);
        }
        int g = ctx.pool().groupCount();
        if (g > root.length) {
            int old = root.length;
            root = Arrays.copyOf(root, g);
            lruHead = Arrays.copyOf(lruHead, g);
            lruTail = Arrays.copyOf(lruTail, g);
            Arrays.fill(root, old, g, OrderStatisticTree.emptyRoot());
            Arrays.fill(lruHead, old, g, NONE);
            Arrays.fill(lruTail, old, g, NONE);
        }
    }

    /** Seen tasks of a group (reported at least once). */
    public int seen(int group) {
        ensure();
        return tree.size(root[group]);
    }

    /** The task's current score, NaN if never reported. */
    public double score(int task) {
        ensure();
        return tree.contains(task) ? score[task] : Double.NaN;
    }

    /** Receives one seen task of {@link #forEachSeen}. */
    @FunctionalInterface
    public interface SeenTask {
        /**
         * @param task the task's dense id
         * @param group its group
         * @param score its replay score S_i
         * @param staleness c − C_i: tasks this policy picked since it last picked this one (what P_C weighs)
         */
        void accept(int task, int group, double score, long staleness);
    }

    /**
     * Visits every seen task (reported at least once), group by group, stalest first: the
     * distribution the replay draws from (the dashboard's PLR panel). Reads state only: no
     * randomness, no lazy growth of the columns. O(seen tasks).
     */
    public void forEachSeen(SeenTask visitor) {
        for (int g = 0; g < lruTail.length; g++) {
            for (int t = lruTail[g]; t != NONE; t = prev[t]) visitor.accept(t, g, score[t], picks - lastPick[t]);
        }
    }

    /** The task's score (NaN: never reported, so drawn as a new level) and, for robust PLR, whether it was drawn to explore (evaluated, not trained on). */
    @Override
    public void explain(int task, java.util.Map<String, Double> out) {
        boolean known = task < score.length && tree.contains(task);
        out.put("score", known ? score[task] : Double.NaN);
        if (params.robust() && (task >>> 6) < exploratory.length) out.put("exploratory", (exploratory[task >>> 6] & (1L << task)) != 0 ? 1.0 : 0.0);
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        ensure();
        taken.clear();
        removed.clear();
        int n = ctx.pool().groupSize(group);
        int target = batch.size() + count;
        for (int guard = 4 * n + 4 * count; batch.size() < target && guard > 0; guard--) {
            int seen = tree.size(root[group]) + removed.size();
            if (params.freshShare() > 0 && ctx.rng().nextDouble() < params.freshShare()) {
                int t = nextUnseen(group, batch);
                boolean isNew = t != NONE;
                if (t == NONE) t = walkPick(group, batch);
                if (t != NONE && batch.add(t)) {
                    taken(group, t, isNew);
                    continue;
                }
            }
            boolean replay;
            if (seen == 0) {
                replay = false;
            } else if (seen >= n) {
                replay = true;
            } else {
                double share = (double) seen / n;
                double p = params.schedule().equals("proportionate") ? share : params.replayProbability();
                replay = share >= params.minSeenShare() && ctx.rng().nextDouble() < p;
            }
            gapRefused = false;
            int t = replay ? replayPick(group, batch) : NONE;
            boolean isNew = false;
            if (t == NONE && gapRefused) t = walkPick(group, batch);
            if (t == NONE) {
                t = nextUnseen(group, batch);
                isNew = t != NONE;
            }
            if (t == NONE) {
                gapRefused = false;
                t = replayPick(group, batch);
                if (t == NONE && gapRefused) t = walkPick(group, batch);
            }
            if (t == NONE) continue;
            if (batch.add(t)) taken(group, t, isNew);
        }
        // Power draws take tasks out of the tree for the batch (without replacement); put them back.
        for (int i = 0; i < removed.size(); i++) {
            int t = removed.get(i);
            tree.setPendingWeight(t, weight(score[t]));
            root[group] = tree.insert(root[group], t, score[t]);
        }
        removed.clear();
    }

    /** Books a task the batch took: its pick time, and whether it was explored (new) or replayed. */
    private void taken(int group, int t, boolean isNew) {
        lastPick[t] = picks++;
        if (isNew) {
            explored++;
            if (params.robust()) exploratory[t >>> 6] |= 1L << t;
        } else {
            replayed++;
            moveToHead(group, t);
        }
    }

    private int nextUnseen(int group, BatchBuilder batch) {
        int n = ctx.pool().groupSize(group);
        int seen = tree.size(root[group]) + removed.size();
        if (seen >= n) return NONE;
        // Expected O(n / unseen) steps; the proportionate schedule draws here with probability
        // unseen / n, so a slot costs O(1) expected.
        for (int i = 0; i < n; i++) {
            int t = ctx.walk().next(group, ctx.rng());
            if (!tree.contains(t) && !batch.contains(t)) return t;
        }
        return NONE;
    }

    /** The next task of the group's epoch walk that the batch does not hold (a seen task: the walk keeps coming round). */
    private int walkPick(int group, BatchBuilder batch) {
        int n = ctx.pool().groupSize(group);
        for (int i = 0; i < n; i++) {
            int t = ctx.walk().next(group, ctx.rng());
            if (!batch.contains(t) && tree.contains(t)) return t;
        }
        return NONE;
    }

    private int replayPick(int group, BatchBuilder batch) {
        int t = NONE;
        if (params.staleness() > 0 && ctx.rng().nextDouble() < params.staleness()) t = stalenessPick(group, batch);
        if (t == NONE) t = power ? powerPick(group) : rankPick(group);
        if (t == NONE) return NONE;
        if (power) {
            root[group] = tree.remove(root[group], t);
            removed.add(t);
        } else if (!batch.contains(t)) {
            taken.add(tree.rank(root[group], t) + 1L);
        }
        if (batch.contains(t)) return NONE;
        if (params.replayGap() > 0 && lastPick[t] >= 0 && picks - lastPick[t] < params.replayGap() * ctx.pool().size()) {
            gapRefused = true;
            return NONE;
        }
        return t;
    }

    private int rankPick(int group) {
        long r = rankWeights.sample(tree.size(root[group]), taken, ctx.rng());
        return r < 0 ? NONE : tree.select(root[group], (int) (r - 1));
    }

    private int powerPick(int group) {
        int t = tree.sampleByWeight(root[group], ctx.rng().nextDouble());
        if (t != NONE || tree.size(root[group]) == 0) return t;
        // every seen score is 0: all equally (un)promising
        return tree.select(root[group], ctx.rng().nextInt(tree.size(root[group])));
    }

    /** A seen task with probability ∝ c − C_i, by rejection against the stalest (the LRU tail). */
    private int stalenessPick(int group, BatchBuilder batch) {
        int m = tree.size(root[group]);
        if (m == 0) return NONE;
        int oldest = lruTail[group];
        double maxAge = oldest == NONE ? 0 : picks - lastPick[oldest];
        for (int i = 0; i < STALENESS_TRIES; i++) {
            int t = tree.select(root[group], ctx.rng().nextInt(m));
            if (batch.contains(t)) continue;
            double age = picks - lastPick[t];
            if (maxAge <= 0 || ctx.rng().nextDouble() * maxAge < age) return t;
        }
        for (int t = oldest, k = 0; t != NONE && k < 4 * batch.size() + 4; t = prev[t], k++) {
            if (tree.contains(t) && !batch.contains(t)) return t;
        }
        return NONE;
    }

    private double weight(float s) {
        return StrictMath.pow(Math.max(0.0, s), 1.0 / params.temperature());
    }

    private double scoreOf(ObservedBatch b, int i) {
        double mean = b.passRate[i];
        switch (params.score()) {
            case "oneMinusSuccess":
                return 1.0 - Math.min(1.0, Math.max(0.0, mean));
            case "positiveValueLoss": {
                double s = 0;
                for (double r : b.rewards[i]) s += Math.max(r - mean, 0.0);
                return s / b.rollouts[i];
            }
            default: {
                double s = 0;
                for (double r : b.rewards[i]) s += Math.abs(r - mean);
                return s / b.rollouts[i];
            }
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        ensure();
        double a = params.scoreEma();
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            int g = b.group[i];
            double s = scoreOf(b, i);
            if (tree.contains(t)) {
                float updated = (float) ((1 - a) * score[t] + a * s);
                root[g] = tree.remove(root[g], t);
                score[t] = updated;
            } else {
                score[t] = (float) s;
                if (lastPick[t] < 0) lastPick[t] = picks;
                addHead(g, t);
            }
            if (power) tree.setPendingWeight(t, weight(score[t]));
            root[g] = tree.insert(root[g], t, score[t]);
        }
    }

    @Override
    public void adviseKeep(ObservedBatch b, boolean[] keep) {
        if (!params.robust()) return;
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            long bit = 1L << t;
            if ((exploratory[t >>> 6] & bit) != 0) {
                keep[i] = false;
                exploratory[t >>> 6] &= ~bit;
            }
        }
    }

    private void addHead(int g, int t) {
        prev[t] = NONE;
        next[t] = lruHead[g];
        if (lruHead[g] != NONE) prev[lruHead[g]] = t;
        lruHead[g] = t;
        if (lruTail[g] == NONE) lruTail[g] = t;
    }

    private void unlink(int g, int t) {
        if (prev[t] != NONE) next[prev[t]] = next[t];
        else lruHead[g] = next[t];
        if (next[t] != NONE) prev[next[t]] = prev[t];
        else lruTail[g] = prev[t];
    }

    private void moveToHead(int g, int t) {
        if (lruHead[g] == t) return;
        unlink(g, t);
        addHead(g, t);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("plr.replayed", (double) replayed);
        m.put("plr.explored", (double) explored);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        int n = ctx.pool().size();
        w.writeLong(picks);
        w.writeLong(replayed);
        w.writeLong(explored);
        w.writeFloats(score, n);
        w.writeLongs(lastPick, n);
        w.writeLongs(exploratory, (n + 63) >>> 6);
        // Seen tasks per group, stalest first: restores both the trees and the LRU order.
        for (int g = 0; g < ctx.pool().groupCount(); g++) {
            IntList order = new IntList();
            for (int t = lruTail[g]; t != NONE; t = prev[t]) order.add(t);
            w.writeInts(order.raw(), order.size());
        }
    }

    @Override
    public void readState(SnapshotReader r) {
        ensure();
        picks = r.readLong();
        replayed = r.readLong();
        explored = r.readLong();
        float[] s = r.readFloats();
        long[] lp = r.readLongs();
        long[] ex = r.readLongs();
        System.arraycopy(s, 0, score, 0, s.length);
        System.arraycopy(lp, 0, lastPick, 0, lp.length);
        System.arraycopy(ex, 0, exploratory, 0, ex.length);
        for (int g = 0; g < ctx.pool().groupCount(); g++) {
            for (int t : r.readInts()) {
                addHead(g, t);
                if (power) tree.setPendingWeight(t, weight(score[t]));
                root[g] = tree.insert(root[g], t, score[t]);
            }
        }
    }

    @Override
    public long footprintBytes() {
        return tree.footprintBytes() + 4L * score.length + 8L * lastPick.length + 4L * (prev.length + next.length) + 8L * exploratory.length;
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
