package io.proxima.sim.learner;

import io.proxima.core.sample.Rng;

/**
 * A GRPO-style learner over a grouped prompt pool (shared/design.md, "Simulation lab";
 * shared/algorithms.md, "Binary rewards with success probability p", "Repetition and
 * memorisation").
 *
 * <pre>
 *   prompt i of source g, difficulty d_i, kind ∈ {normal, unlearnable, noisy, random label}
 *   p_i   = σ(s·(θ_g + m_i − d_i))       normal: latent skill θ_g, per-prompt memorisation m_i
 *         = 0                            unlearnable (never solved)
 *         = noisyReward                  noisy (the reward is a coin: nothing to learn)
 *         = σ(s·(m_i − d_i))             random label: memorisation only (training moves m_i, never θ);
 *                                        a held-out one scores σ(−s·d): its start, lowered as s sharpens
 *   rollout: G Bernoulli(p_i) rewards, each a fair coin instead with probability η_g (verifierNoise);
 *               tokens ~ base·exp(perDifficulty·d_i)·exp(noise·z)
 *   train on a group with empirical pass rate p̂:   v = p̂(1 − p̂)        (0 when all rewards agree);
 *                  skill and memorisation below take, for v, Cov(reward, correct) over the group (= v when η = 0)
 *     normal only:  Δ = lr · v · exp(−(θ_g − θ₀_g)/headroom) / (1 + m_i)   diminishing returns; a
 *                   memorised prompt teaches less that transfers (its gradient goes to memorisation)
 *                   θ_h += T[g][h]·Δ for every source h (T[g][g] = 1)    transfer
 *                   m_i += memoRate_g · v                               memorisation: only prompt i (the source's rate, else the learner's)
 *     every trained group:  U += v;   s = 1 + sharpening·U/1000         entropy collapse: p → 0 or 1
 *   rolloutWeighted (optional): the step's groups are applied at its end, v × G_i / (mean G over the step's trained groups)
 *   end of step:   θ_h ← θ₀_h + (1 − forgetting)(θ_h − θ₀_h) for sources not practised in the step;
 *                  m_i fades by (1 − memoForgetting) per step (lazily)
 *   held-out accuracy = mean over held-out prompts (drawn like the pool, noisy ones excluded) of
 *                  σ(s·(θ_g − d)) — no memorisation: it measures transferable skill only.
 * </pre>
 * Why: a teacher that re-picks prompts it likes sees their pass rate rise (memorisation) while
 * held-out accuracy does not move; per-prompt pass rates drift to 0/1 as the slope s grows, so a
 * source whose mean is 0.5 may hold few prompts near 0.5; unlearnable prompts carry no advantage,
 * noisy ones carry the most and teach nothing (the trap of |advantage| bandits).
 *
 * <p>Columns by dense prompt index (struct of arrays). All randomness comes from two generators
 * seeded from the seed: one draws the pool and held-out set (so every teacher of a seed faces the
 * same dataset), the other the rollouts. Not thread-safe: one learner per run.
 */
public final class PromptLearner implements RolloutLearner {
    /** Prompt kinds. */
    public static final byte NORMAL = 0;
    public static final byte UNLEARNABLE = 1;
    public static final byte NOISY = 2;
    /** A random label: solved only by memorising the prompt (the neural learners' "random" family). */
    public static final byte MEMORISABLE = 3;
    /** Update units per unit of sharpening (the spec's slope gain is per 1000 units). */
    static final double SHARPENING_UNIT = 1000.0;

    private final PromptLearnerSpec spec;
    private final Rng rng;
    private final int sources;
    // pool columns
    private final int[] group;
    private final float[] difficulty;
    private final byte[] kind;
    private final float[] memo;
    private final int[] memoStep;
    // held-out columns
    private final int[] hGroup;
    private final float[] hDifficulty;
    private final byte[] hKind;
    // latent state
    private final double[] skill;
    private final double[] skill0;
    /** Memorisation gain per unit of variance, per source (a source's own, else the learner's). */
    private final double[] memoRate;
    /** Per source: probability that a reward is a fair coin (a partly broken verifier). */
    private final double[] verifierNoise;
    private final double[][] transfer;
    private final boolean[] practised;
    private double update;
    /** With {@code rolloutWeighted}: the step's trained groups (task, rollouts, reward variance), applied at its end. */
    private final io.proxima.core.space.IntList pending = new io.proxima.core.space.IntList();
    private final io.proxima.core.space.IntList pendingRollouts = new io.proxima.core.space.IntList();
    private final java.util.ArrayList<Double> pendingVariance = new java.util.ArrayList<>();
    private final java.util.ArrayList<Double> pendingInformative = new java.util.ArrayList<>();
    /** This step's groups under a partly broken verifier (cleared at its end). */
    private final java.util.ArrayList<NoisyDraw> noisyDraws = new java.util.ArrayList<>();
    private long steps;
    private long trainedGroups;

    private long truncated;

    public PromptLearner(PromptLearnerSpec spec, long seed) {
        this.spec = spec;
        this.sources = spec.sources().size();
        Rng structure = new Rng(seed * 0x9E3779B97F4A7C15L + 0x5EED);
        this.rng = new Rng(seed * 0xBF58476D1CE4E5B9L + 0x7011);
        int n = spec.poolSize();
        group = new int[n];
        difficulty = new float[n];
        kind = new byte[n];
        memo = new float[n];
        memoStep = new int[n];
        int i = 0;
        for (int g = 0; g < sources; g++) {
            PromptLearnerSpec.Source s = spec.sources().get(g);
            for (int k = 0; k < s.size(); k++, i++) {
                group[i] = g;
                difficulty[i] = (float) (s.difficultyMean() + s.difficultySd() * structure.nextGaussian());
                kind[i] = drawKind(structure, s);
            }
        }
        // Held-out: the same sources in proportion to their sizes (the last source takes the rounding remainder).
        int h = spec.heldOut();
        hGroup = new int[h];
        hDifficulty = new float[h];
        hKind = new byte[h];
        int j = 0;
        for (int g = 0; g < sources; g++) {
            PromptLearnerSpec.Source s = spec.sources().get(g);
            int count = g == sources - 1 ? h - j : (int) Math.round((double) h * s.size() / n);
            for (int k = 0; k < count && j < h; k++, j++) {
                hGroup[j] = g;
                hDifficulty[j] = (float) (s.difficultyMean() + s.difficultySd() * structure.nextGaussian());
                hKind[j] = drawKind(structure, s);
            }
        }
        skill = new double[sources];
        skill0 = new double[sources];
        memoRate = new double[sources];
        verifierNoise = new double[sources];
        for (int g = 0; g < sources; g++) {
            double r = spec.sources().get(g).memorisationRate();
            memoRate[g] = Double.isNaN(r) ? spec.memorisationRate() : r;
            verifierNoise[g] = spec.sources().get(g).verifierNoise();
        }
        transfer = new double[sources][sources];
        practised = new boolean[sources];
        for (int g = 0; g < sources; g++) {
            PromptLearnerSpec.Source s = spec.sources().get(g);
            skill[g] = skill0[g] = s.skill();
            for (int k = 0; k < sources; k++) {
                transfer[g][k] = g == k ? 1.0 : s.transfer().getOrDefault(spec.sources().get(k).name(), spec.transfer());
            }
        }
    }

    private static byte drawKind(Rng r, PromptLearnerSpec.Source s) {
        double u = r.nextDouble();
        if (u < s.unlearnable()) return UNLEARNABLE;
        if (u < s.unlearnable() + s.noisy()) return NOISY;
        return u < s.unlearnable() + s.noisy() + s.memorisable() ? MEMORISABLE : NORMAL;
    }

    /** Rollouts cut by a token budget so far. */
    @Override
    public long truncatedRollouts() {
        return truncated;
    }

    public PromptLearnerSpec spec() {
        return spec;
    }

    /** Prompts in the pool. */
    @Override
    public int size() {
        return group.length;
    }

    @Override
    public int sourceCount() {
        return sources;
    }

    @Override
    public String sourceName(int source) {
        return spec.sources().get(source).name();
    }

    @Override
    public io.proxima.sim.teach.LabTeacher oracle(int rollouts, long seed) {
        return new io.proxima.sim.teach.Oracle(this, rollouts, seed);
    }

    /**
     * Mean binary entropy of the held-out success probabilities: this learner's stand-in for the
     * policy's entropy (it falls as the slope sharpens every prompt's p towards 0 or 1).
     */
    @Override
    public double policyEntropy() {
        double s = slope();
        double sum = 0;
        int n = 0;
        for (int j = 0; j < hGroup.length; j++) {
            if (hKind[j] != NORMAL) continue;
            double p = sigmoid(s * (skill[hGroup[j]] - hDifficulty[j]));
            if (p > 0 && p < 1) sum -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
            n++;
        }
        return n == 0 ? 0.0 : sum / n;
    }

    @Override
    public int group(int task) {
        return group[task];
    }

    public double difficulty(int task) {
        return difficulty[task];
    }

    public byte kind(int task) {
        return kind[task];
    }

    /** Current logistic slope s (grows as the policy sharpens). */
    public double slope() {
        return 1.0 + spec.sharpening() * update / SHARPENING_UNIT;
    }

    public double skill(int source) {
        return skill[source];
    }

    public double transfer(int from, int to) {
        return transfer[from][to];
    }

    /** Memorisation of a prompt now (logits). */
    public double memorisation(int task) {
        double m = memo[task];
        if (m == 0) return 0;
        long age = steps - memoStep[task];
        return age == 0 ? m : m * Math.pow(1 - spec.memorisationForgetting(), age);
    }

    /** Share of a prompt's gain that goes to transferable skill: 1 / (1 + m_i). */
    public double novelty(int task) {
        return 1.0 / (1.0 + memorisation(task));
    }

    /** The true success probability of a pool prompt (memorisation included). */
    public double successProbability(int task) {
        return switch (kind[task]) {
            case UNLEARNABLE -> 0.0;
            case NOISY -> spec.noisyReward();
            case MEMORISABLE -> sigmoid(slope() * (memorisation(task) - difficulty[task]));
            default -> sigmoid(slope() * (skill[group[task]] + memorisation(task) - difficulty[task]));
        };
    }

    /**
     * Generates {@code g} rollouts of a prompt: {@code rewards[0..g)} get 0/1, {@code tokens[0..g)}
     * their lengths. Returns the number of successes.
     */
    public int rollout(int task, int g, double[] rewards, int[] tokens) {
        return rollout(task, g, rewards, tokens, 0);
    }

    /**
     * As {@link #rollout(int, int, double[], int[])} under a token budget ({@code maxTokens} > 0): a
     * rollout whose length exceeds it is cut there and fails (reward 0, {@code maxTokens} tokens
     * generated), as a generation truncated before its answer. The draws are those of an
     * unbudgeted rollout, so a budget changes nothing but the truncated rollouts.
     */
    @Override
    public int rollout(int task, int g, double[] rewards, int[] tokens, int maxTokens) {
        double p = successProbability(task);
        PromptLearnerSpec.Tokens t = spec.tokens();
        double mean = t.base() * Math.exp(t.perDifficulty() * difficulty[task]);
        int s = 0;
        for (int k = 0; k < g; k++) {
            boolean ok = rng.nextDouble() < p;
            rewards[k] = ok ? 1.0 : 0.0;
            if (ok) s++;
            double len = t.noise() == 0 ? mean : mean * Math.exp(t.noise() * rng.nextGaussian());
            tokens[k] = (int) Math.max(1, Math.min(t.max(), Math.round(len)));
            if (maxTokens > 0 && tokens[k] > maxTokens) {
                tokens[k] = maxTokens;
                truncated++;
                if (ok) {
                    rewards[k] = 0.0;
                    s--;
                }
            }
        }
        double eta = verifierNoise[group[task]];
        if (eta > 0) { // a partly broken verifier: a reward is a coin with probability η; the answers' correctness is kept
            boolean[] correct = new boolean[g];
            for (int k = 0; k < g; k++) {
                correct[k] = rewards[k] == 1.0;
                if (rng.nextDouble() < eta) {
                    boolean coin = rng.nextDouble() < 0.5;
                    if (coin != correct[k]) s += coin ? 1 : -1;
                    rewards[k] = coin ? 1.0 : 0.0;
                }
            }
            noisyDraws.add(new NoisyDraw(task, java.util.Arrays.copyOf(rewards, g), correct));
        }
        return s;
    }

    /** Trains on one group of rollouts of a prompt; returns the skill gain Δ of its source (0 if none). */
    @Override
    public double train(int task, double[] rewards, int g) {
        double mean = 0;
        for (int k = 0; k < g; k++) mean += rewards[k];
        mean /= g;
        double v = mean * (1 - mean);
        trainedGroups++;
        practised[group[task]] = true;
        double info = verifierNoise[group[task]] > 0 ? informative(task, rewards, g, mean) : v;
        if (spec.rolloutWeighted()) {
            pending.add(task);
            pendingRollouts.add(g);
            pendingVariance.add(v);
            pendingInformative.add(info);
            return v == 0 || kind[task] != NORMAL ? 0.0 : gainFactor(group[task]) * info * novelty(task);
        }
        return apply(task, v, info);
    }

    /** One group generated this step under a partly broken verifier: its rewards and its answers' correctness. */
    private record NoisyDraw(int task, double[] rewards, boolean[] correct) {}

    /**
     * The part of a group's update that follows its answers' correctness: the covariance of
     * reward and correctness over the group, (1/G) Σ (r_k − r̄)(c_k − c̄). It is the variance v
     * when every reward is right, 0 when the coins carry everything (a solved prompt's flipped
     * rewards teach nothing), and negative when the coins happen to favour wrong answers. The
     * group is matched to the untrained draw of this step with these rewards (the correctness of
     * a group trained without one, as tests do, is its rewards).
     */
    private double informative(int task, double[] rewards, int g, double meanReward) {
        boolean[] correct = null;
        for (int i = noisyDraws.size() - 1; i >= 0; i--) {
            NoisyDraw d = noisyDraws.get(i);
            if (d != null && d.task() == task && d.rewards().length == g && java.util.Arrays.equals(d.rewards(), 0, g, rewards, 0, g)) {
                correct = d.correct();
                noisyDraws.set(i, null); // trained once
                break;
            }
        }
        double meanCorrect = 0;
        for (int k = 0; k < g; k++) meanCorrect += correct == null ? rewards[k] : correct[k] ? 1 : 0;
        meanCorrect /= g;
        double cov = 0;
        for (int k = 0; k < g; k++) {
            double c = correct == null ? rewards[k] : correct[k] ? 1 : 0;
            cov += (rewards[k] - meanReward) * (c - meanCorrect);
        }
        return cov / g;
    }

    /**
     * Applies one trained group's update: {@code v} (its reward variance, weighted) sharpens the
     * policy; {@code info} (the part that follows correctness, = v without verifier noise) moves
     * skill and memorisation. Returns the skill gain.
     */
    private double apply(int task, double v, double info) {
        if (v == 0) return 0.0;
        update += v;
        if (kind[task] != NORMAL && kind[task] != MEMORISABLE) return 0.0;
        int src = group[task];
        double gain = 0.0;
        if (kind[task] == NORMAL) { // a random label's gradient goes into its own prompt alone
            gain = gainFactor(src) * info * novelty(task);
            for (int h = 0; h < sources; h++) skill[h] += transfer[src][h] * gain;
        }
        memo[task] = (float) Math.max(0.0, memorisation(task) + memoRate[src] * info);
        memoStep[task] = (int) steps;
        return gain;
    }

    /**
     * With {@code rolloutWeighted}: the step's groups, applied at its end, each weighted by its
     * rollouts over the mean rollouts per trained group of the step. GRPO's loss averages over
     * every rollout of the step, so a group with twice the rollouts moves the policy twice as
     * much; and every rollout of a step comes from the same policy. Equal rollouts: weight 1.
     */
    private void applyPending() {
        int n = pending.size();
        if (n == 0) return;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += pendingRollouts.get(i);
        mean /= n;
        for (int i = 0; i < n; i++) {
            double w = pendingRollouts.get(i) / mean;
            apply(pending.get(i), pendingVariance.get(i) * w, pendingInformative.get(i) * w);
        }
        pending.clear();
        pendingRollouts.clear();
        pendingVariance.clear();
        pendingInformative.clear();
    }

    @Override
    public void endStep() {
        applyPending();
        noisyDraws.clear();
        double keep = 1 - spec.forgetting();
        for (int g = 0; g < sources; g++) {
            if (!practised[g]) skill[g] = skill0[g] + keep * (skill[g] - skill0[g]);
            practised[g] = false;
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    public long trainedGroups() {
        return trainedGroups;
    }

    /** Held-out accuracy: mean true success over the held-out prompts that are not noisy (no memorisation). */
    @Override
    public double testScore() {
        double s = slope();
        double sum = 0;
        int n = 0;
        for (int j = 0; j < hGroup.length; j++) {
            if (hKind[j] == NOISY) continue;
            n++;
            if (hKind[j] == NORMAL) sum += sigmoid(s * (skill[hGroup[j]] - hDifficulty[j]));
            else if (hKind[j] == MEMORISABLE) sum += sigmoid(-s * hDifficulty[j]); // never seen: no memorisation to use
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /** Held-out accuracy of one source (NaN when it has no scored held-out prompt). */
    @Override
    public double testScore(int source) {
        double s = slope();
        double sum = 0;
        int n = 0;
        for (int j = 0; j < hGroup.length; j++) {
            if (hGroup[j] != source || hKind[j] == NOISY) continue;
            n++;
            if (hKind[j] == NORMAL) sum += sigmoid(s * (skill[source] - hDifficulty[j]));
            else if (hKind[j] == MEMORISABLE) sum += sigmoid(-s * hDifficulty[j]);
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean true success over the pool's prompts that are not noisy (memorisation included). */
    @Override
    public double poolAccuracy() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < group.length; i++) {
            if (kind[i] == NOISY) continue;
            n++;
            sum += successProbability(i);
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * ∂(held-out accuracy)/∂θ_h for every source h, into {@code out}: what a unit of skill on h is
     * worth on the test set now. Read by the oracle.
     */
    public void skillValue(double[] out) {
        java.util.Arrays.fill(out, 0, sources, 0.0);
        double s = slope();
        int n = 0;
        for (int j = 0; j < hGroup.length; j++) {
            if (hKind[j] == NOISY) continue;
            n++;
            if (hKind[j] != NORMAL) continue;
            double p = sigmoid(s * (skill[hGroup[j]] - hDifficulty[j]));
            out[hGroup[j]] += s * p * (1 - p);
        }
        for (int h = 0; h < sources; h++) out[h] = n == 0 ? 0 : out[h] / n;
    }

    /** The skill gain per unit of reward variance that training on source {@code g} gets now. */
    public double gainFactor(int g) {
        return spec.learningRate() * Math.exp(-(skill[g] - skill0[g]) / spec.headroom());
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
