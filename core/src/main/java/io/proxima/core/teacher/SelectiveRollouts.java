package io.proxima.core.teacher;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GRESO — pre-rollout selective rollouts (Zheng et al. 2025, "Act Only When It Pays: Efficient
 * Reinforcement Learning for LLM Reasoning via Selective Rollouts", arXiv:2506.02177; the
 * authors' verl fork, {@code DataProfiler.filter_examples_all_probabilistic} [CODE]).
 *
 * <pre>
 *   walk the group (without replacement, as the paper's dataloader); for each candidate t:
 *     e_t = its latest consecutive visits whose mean reward ≥ easyAbove (0.98: all correct)
 *     h_t = its latest consecutive visits whose mean reward ≤ hardBelow (0.11: all wrong at G = 8)
 *     skip t with probability 1 − max(p_easy^e_t, minKeep)   if e_t &gt; 0
 *                             1 − max(p_hard^h_t, minKeep)   if h_t &gt; 0 (skipHard: the paper's
 *                                                            setting, off by default)
 *     a skipped task is passed over for this epoch and costs no rollout
 *   after each report that revisits a task (the paper: from the second epoch):
 *     easy share of its groups ≥ target/3   ⇒ p_easy ← max(p_easy − Δ, minP)   (skip more)
 *     otherwise                                p_easy ← min(p_easy + Δ, maxP)
 *     hard share  ≥ 2·target/3 ⇒ the same for p_hard
 *   acrossGroups (the paper's one dataset): P(group g) ∝ policy's P(g) · Σ_{t∈g} keep(t) / |g|
 *   reliabilityGate [INF]: · w_g, w_g = clip((r_g − 0.05) / 0.15, 0.1, 1), r_g the test–retest
 *     correlation of g's pass rates (a task's previous report against this one, ~500 revisits
 *     of memory, from 100 revisits on; 1 while undefined)
 * </pre>
 * The reliability gate is ours: a verifier whose rewards do not depend on the prompt (coin flips)
 * is never unanimous, so GRESO never skips it and hands it the slots of solved groups; its pass
 * rates do not persist from visit to visit, which every learnable or memorisable group's do
 * (r ≥ 0.33 from the first revisit on the lab's networks; docs/lab.md).
 * Why: a group whose rewards all agree has zero GRPO advantage, so its rollouts buy no gradient;
 * the paper measures that a prompt with no gradient in one epoch very likely has none in the
 * next, and skips it before generating. The exploration probability keeps every task a chance
 * ({@code minKeep}) to come back as the learner changes, and the targets keep the zero-variance
 * share of what is generated near {@code targetZeroVariance} (more exploration on hard tasks,
 * which change more as the policy improves). Composes with DAPO's filter as in the paper
 * ({@code greso} recipe), or alone. Cost: O(count) expected per pick, O(groups · longest streak)
 * per batch for the thinning; five bytes of state per task (a streak byte, the last pass rate).
 */
public final class SelectiveRollouts implements ItemPolicy {
    /**
     * @param pEasy initial exploration probability of a task whose last groups were all correct (0.5 [CODE])
     * @param pHard initial exploration probability of a task whose last groups were all wrong (0.5 [CODE])
     * @param targetZeroVariance share of generated groups with no gradient to aim at; a third of it
     *     easy, two thirds hard (0.25 [CODE])
     * @param step Δ of the exploration probabilities per report (0.01 [CODE])
     * @param minP lowest exploration probability (0.05 [CODE])
     * @param maxP highest exploration probability (0.95 [CODE])
     * @param minKeep lowest probability that a task is kept, however long its streak (0.01 [CODE])
     * @param easyAbove a visit whose mean reward is at least this counts as all correct (0.98 [CODE])
     * @param hardBelow a visit whose mean reward is at most this counts as all wrong (0.11 [CODE])
     * @param acrossGroups skip over the whole pool, as the paper's dataloader over one dataset:
     *     each group's slots are thinned by the share of its tasks that would be kept (true);
     *     false skips only inside each group's slots
     * @param skipHard skip tasks whose last groups were all wrong too (the paper: true; false [INF]:
     *     a network that starts near chance reports most groups all wrong, and skipping them starved
     *     it on every neural learner of the lab, docs/lab.md)
     * @param reliabilityGate with {@code acrossGroups}, also thin a group whose pass rates do not
     *     persist from one visit of a task to the next (test–retest correlation near 0: rewards
     *     that do not depend on the prompt, such as a broken verifier's coin flips) (true [INF];
     *     false: the paper)
     */
    public record Params(double pEasy, double pHard, double targetZeroVariance, double step, double minP, double maxP,
                         double minKeep, double easyAbove, double hardBelow, boolean acrossGroups, boolean skipHard,
                         boolean reliabilityGate) {
        public static final Params DEFAULTS = new Params(0.5, 0.5, 0.25, 0.01, 0.05, 0.95, 0.01, 0.98, 0.11, true, false, true);
    }

    /** Weight of the old test–retest sums at each revisit (~500 revisits of memory). */
    static final double RELIABILITY_DECAY = 0.998;
    /** Revisits before a group's reliability counts (its correlation's standard error is then ~0.1). */
    static final double RELIABILITY_MIN_PAIRS = 100;
    /** Correlation at or below which a group gets the floor weight, and at or above which full weight. */
    static final double RELIABILITY_LOW = 0.05;
    static final double RELIABILITY_HIGH = 0.2;
    /** The weight of a group whose pass rates do not persist: kept small, not 0, so a repaired verifier can show. */
    static final double RELIABILITY_FLOOR = 0.1;

    public static final ComponentType<Params, SelectiveRollouts> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.number("pEasy", d.pEasy(), 0, 1), node.number("pHard", d.pHard(), 0, 1),
                node.number("targetZeroVariance", d.targetZeroVariance(), 0, 1), node.number("step", d.step(), 0, 1),
                node.number("minP", d.minP(), 0, 1), node.number("maxP", d.maxP(), 0, 1),
                node.number("minKeep", d.minKeep(), 0, 1), node.number("easyAbove", d.easyAbove(), 0, 1),
                node.number("hardBelow", d.hardBelow(), 0, 1), node.bool("acrossGroups", d.acrossGroups()),
                node.bool("skipHard", d.skipHard()), node.bool("reliabilityGate", d.reliabilityGate()));
        if (p.minP() > p.maxP()) throw new ConfigException(node.path() + ".minP", "must be <= maxP (" + p.maxP() + "), got " + p.minP());
        if (p.hardBelow() >= p.easyAbove()) {
            throw new ConfigException(node.path() + ".hardBelow", "must be < easyAbove (" + p.easyAbove() + "), got " + p.hardBelow());
        }
        return p;
    }, SelectiveRollouts::new);

    /** Streaks saturate here: with p ≤ 0.95 the keep probability is at its floor long before. */
    private static final int MAX_STREAK = 127;

    private final Params params;
    private final TeacherContext ctx;
    /** Per task: +k = its last k visits were all correct, −k = all wrong, 0 = neither (or never seen). */
    private byte[] streak = new byte[0];
    /** Per task, the pass rate of its last report (NaN: never reported). */
    private float[] lastPass = new float[0];
    /** Per group, exponentially weighted test–retest sums over revisits: n, Σx, Σy, Σx², Σy², Σxy (x: previous, y: this pass rate). */
    private double[] retest = new double[0];
    private static final int RETEST = 6;
    private double pEasy;
    private double pHard;
    private long skippedEasy;
    private long skippedHard;
    private int[] passedOver = new int[64];
    /** Per group, how many of its tasks have each non-zero streak: {@code [group · SPAN + streak + MAX_STREAK]}. */
    private int[] streaks = new int[0];
    private static final int SPAN = 2 * MAX_STREAK + 1;
    /** The longest streak any task has had: bounds the loop of {@link #keptShare} (O(groups · longest) per batch). */
    private int longest;

    public SelectiveRollouts(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        this.pEasy = params.pEasy();
        this.pHard = params.pHard();
    }

    private void ensure() {
        int n = ctx.pool().size();
        if (n > streak.length) {
            int cap = Math.max(n, 2 * streak.length);
            streak = Arrays.copyOf(streak, cap);
            int old = lastPass.length;
            lastPass = Arrays.copyOf(lastPass, cap);
            Arrays.fill(lastPass, old, cap, Float.NaN);
        }
        int g = ctx.pool().groupCount();
        if (g * RETEST > retest.length) retest = Arrays.copyOf(retest, Math.max(g, 2 * retest.length / RETEST) * RETEST);
        if (g * SPAN > streaks.length) streaks = Arrays.copyOf(streaks, Math.max(g, 2 * streaks.length / SPAN) * SPAN);
    }

    private void setStreak(int task, int group, int s) {
        int old = streak[task];
        if (old == s) return;
        if (old != 0) streaks[group * SPAN + old + MAX_STREAK]--;
        if (s != 0) streaks[group * SPAN + s + MAX_STREAK]++;
        longest = Math.max(longest, Math.abs(s));
        streak[task] = (byte) s;
    }

    @Override
    public boolean thinsGroups() {
        return params.acrossGroups();
    }

    @Override
    public double keptShare(int group) {
        ensure();
        int size = ctx.pool().groupSize(group);
        if (size == 0) return 0.0;
        double kept = size;
        int base = group * SPAN + MAX_STREAK;
        for (int s = 1; s <= longest; s++) {
            int easy = streaks[base + s];
            int hard = streaks[base - s];
            if (easy > 0) kept -= easy * (1 - keep(pEasy, s));
            if (hard > 0 && params.skipHard()) kept -= hard * (1 - keep(pHard, s));
        }
        double share = Math.max(kept, 0.0) / size;
        return params.reliabilityGate() ? share * reliabilityWeight(group) : share;
    }

    /**
     * The test–retest correlation of the group's pass rates: over revisits of its tasks, the
     * correlation of a task's previous pass rate with this one; NaN before
     * {@link #RELIABILITY_MIN_PAIRS} revisits or when either side has no variance (a solved group).
     */
    public double reliability(int group) {
        ensure();
        int o = group * RETEST;
        double n = retest[o];
        if (n < RELIABILITY_MIN_PAIRS) return Double.NaN;
        double mx = retest[o + 1] / n, my = retest[o + 2] / n;
        double vx = retest[o + 3] / n - mx * mx, vy = retest[o + 4] / n - my * my;
        if (vx < 1e-4 || vy < 1e-4) return Double.NaN;
        return (retest[o + 5] / n - mx * my) / Math.sqrt(vx * vy);
    }

    /** The factor the reliability gate puts on the group's kept share: 1 unless its pass rates are shown not to persist. */
    public double reliabilityWeight(int group) {
        double r = reliability(group);
        if (Double.isNaN(r)) return 1.0;
        double w = (r - RELIABILITY_LOW) / (RELIABILITY_HIGH - RELIABILITY_LOW);
        return Math.min(1.0, Math.max(RELIABILITY_FLOOR, w));
    }

    private double keep(double p, int s) {
        return Math.max(Math.pow(p, s), params.minKeep());
    }

    /** The current exploration probability of tasks whose last groups were all correct. */
    public double pEasy() {
        return pEasy;
    }

    /** The current exploration probability of tasks whose last groups were all wrong. */
    public double pHard() {
        return pHard;
    }

    /** The task's streak: +k all correct, −k all wrong on its last k visits, 0 otherwise. */
    public int streak(int task) {
        return task < streak.length ? streak[task] : 0;
    }

    /** The probability that the task is kept (not skipped) when the walk reaches it now. */
    public double keepProbability(int task) {
        int s = streak(task);
        if (s == 0 || (s < 0 && !params.skipHard())) return 1.0;
        return keep(s > 0 ? pEasy : pHard, Math.abs(s));
    }

    @Override
    public void pick(int group, int count, BatchBuilder batch) {
        ensure();
        int target = batch.size() + count;
        int groupSize = ctx.pool().groupSize(group);
        int aside = 0;
        // At most one epoch of candidates per pick: a group all of whose tasks are skipped still fills its slots.
        for (int seenCandidates = 0; batch.size() < target && seenCandidates < groupSize; seenCandidates++) {
            int t = ctx.walk().next(group, ctx.rng());
            if (batch.contains(t)) continue;
            int s = streak[t];
            if ((s > 0 || (s < 0 && params.skipHard())) && ctx.rng().nextDouble() >= keepProbability(t)) {
                if (s > 0) skippedEasy++;
                else skippedHard++;
                if (aside == passedOver.length) passedOver = Arrays.copyOf(passedOver, 2 * aside);
                passedOver[aside++] = t;
                continue;
            }
            batch.add(t);
        }
        // Cold guard: the candidates ran out (everything skipped) — take the passed-over tasks.
        for (int i = 0; i < aside && batch.size() < target; i++) batch.add(passedOver[i]);
        for (int guard = 2 * groupSize + count; batch.size() < target && guard > 0; guard--) {
            batch.add(ctx.walk().next(group, ctx.rng()));
        }
    }

    @Override
    public void observe(ObservedBatch b) {
        ensure();
        int easy = 0;
        int hard = 0;
        int counted = 0;
        boolean revisit = false;
        for (int i = 0; i < b.size; i++) {
            double p = b.passRate[i];
            if (Double.isNaN(p) || b.hinted[i]) continue;
            int t = b.task[i];
            float previous = lastPass[t];
            if (!Float.isNaN(previous)) {
                revisit = true;
                int o = b.group[i] * RETEST;
                double x = previous;
                retest[o] = RELIABILITY_DECAY * retest[o] + 1;
                retest[o + 1] = RELIABILITY_DECAY * retest[o + 1] + x;
                retest[o + 2] = RELIABILITY_DECAY * retest[o + 2] + p;
                retest[o + 3] = RELIABILITY_DECAY * retest[o + 3] + x * x;
                retest[o + 4] = RELIABILITY_DECAY * retest[o + 4] + p * p;
                retest[o + 5] = RELIABILITY_DECAY * retest[o + 5] + x * p;
            }
            lastPass[t] = (float) p;
            counted++;
            int s = streak[t];
            if (p >= params.easyAbove()) {
                easy++;
                setStreak(t, b.group[i], s > 0 ? Math.min(s + 1, MAX_STREAK) : 1);
            } else if (p <= params.hardBelow()) {
                hard++;
                setStreak(t, b.group[i], s < 0 ? Math.max(s - 1, -MAX_STREAK) : -1);
            } else {
                setStreak(t, b.group[i], 0);
            }
        }
        // The paper adapts from its second epoch on; a report that revisits nothing is still the first look.
        if (!revisit || counted == 0) return;
        double target = params.targetZeroVariance();
        pEasy = adapt(pEasy, (double) easy / counted >= target / 3);
        if (params.skipHard()) pHard = adapt(pHard, (double) hard / counted >= 2 * target / 3);
    }

    private double adapt(double p, boolean tooMany) {
        return tooMany ? Math.max(p - params.step(), params.minP()) : Math.min(p + params.step(), params.maxP());
    }

    @Override
    public void explain(int task, Map<String, Double> out) {
        out.put("streak", (double) streak(task));
        out.put("keepProbability", keepProbability(task));
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("greso.pEasy", pEasy);
        m.put("greso.pHard", pHard);
        m.put("greso.skippedEasy", (double) skippedEasy);
        m.put("greso.skippedHard", (double) skippedHard);
        if (params.reliabilityGate()) {
            int gated = 0;
            for (int g = 0; g < ctx.pool().groupCount(); g++) if (reliabilityWeight(g) < 1.0) gated++;
            m.put("greso.unreliableGroups", (double) gated);
        }
        return m;
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        int n = ctx.pool().size();
        w.writeDouble(pEasy);
        w.writeDouble(pHard);
        w.writeLong(skippedEasy);
        w.writeLong(skippedHard);
        int[] packed = new int[(n + 3) >>> 2];
        for (int t = 0; t < n; t++) packed[t >>> 2] |= (streak[t] & 0xFF) << ((t & 3) << 3);
        w.writeInts(packed, packed.length);
        w.writeFloats(lastPass, n);
        w.writeDoubles(retest, ctx.pool().groupCount() * RETEST);
    }

    @Override
    public void readState(SnapshotReader r) {
        ensure();
        pEasy = r.readDouble();
        pHard = r.readDouble();
        skippedEasy = r.readLong();
        skippedHard = r.readLong();
        int[] packed = r.readInts();
        int n = Math.min(ctx.pool().size(), packed.length << 2);
        Arrays.fill(streaks, 0);
        longest = 0;
        for (int t = 0; t < n; t++) {
            streak[t] = 0;
            setStreak(t, ctx.pool().group(t), (byte) (packed[t >>> 2] >>> ((t & 3) << 3)));
        }
        float[] last = r.readFloats();
        System.arraycopy(last, 0, lastPass, 0, Math.min(last.length, lastPass.length));
        double[] sums = r.readDoubles();
        System.arraycopy(sums, 0, retest, 0, Math.min(sums.length, retest.length));
    }

    @Override
    public long footprintBytes() {
        return streak.length + 4L * lastPass.length + 4L * streaks.length + 8L * retest.length;
    }
}
