package io.proxima.sim.learner;

import io.proxima.core.sample.Rng;
import io.proxima.core.space.Derivation;

import java.util.Arrays;

/**
 * A GRPO-style learner over a prompt pool that grows: its trainer writes new prompts derived from
 * existing ones when asked (issue 16, the lab side of the generation hook).
 *
 * <pre>
 *   prompt i of family f:  difficulty d_i; p_i = σ(θ_f + m_i − d_i)
 *   derived from parent j: simplify  d = d_j − simplifyBy         (an easier variant, same family)
 *                          vary      d = d_j + varySd · z         (another variant, same family)
 *   train on a group with empirical pass rate p̂:  v = p̂ (1 − p̂)   (0 when all rewards agree)
 *                          θ_f += learningRate · v · exp(−(θ_f − θ₀_f) / headroom)
 *                          m_i += memorisation · v                 (that prompt only)
 *   held-out accuracy of f: mean of σ(θ_f − d) over held-out prompts drawn like f's originals
 * </pre>
 * What it shows: a family whose prompts start at p ≈ 0 gives GRPO no gradient (every group all
 * zeros), so its skill never moves — unless easier variants, which share its skill, are trained
 * on: their gradient lifts θ_f until the originals become learnable themselves. Variants of
 * learnable prompts add fresh prompts of the same skill (less memorisation per prompt).
 *
 * <p>Tasks are dense indices; derived prompts get the next ones. All randomness from the seed.
 */
public final class ScaffoldLearner {
    private final ScaffoldLearnerSpec spec;
    private final Rng rng;
    private final double[] skill;
    private final double[] skill0;
    private final double[][] heldOut;
    private int size;
    private int[] family = new int[64];
    private double[] difficulty = new double[64];
    private double[] memo = new double[64];
    private boolean[] derived = new boolean[64];

    ScaffoldLearner(ScaffoldLearnerSpec spec, long seed) {
        this.spec = spec;
        this.rng = new Rng(seed ^ 0x5CAFF01DL);
        int nf = spec.families().size();
        skill = new double[nf];
        skill0 = new double[nf];
        heldOut = new double[nf][spec.heldOut()];
        for (int f = 0; f < nf; f++) {
            ScaffoldLearnerSpec.Family fam = spec.families().get(f);
            skill[f] = skill0[f] = fam.skill();
            for (int i = 0; i < fam.size(); i++) add(f, fam.difficultyMean() + fam.difficultySd() * rng.nextGaussian(), false);
            for (int i = 0; i < spec.heldOut(); i++) heldOut[f][i] = fam.difficultyMean() + fam.difficultySd() * rng.nextGaussian();
        }
    }

    private int add(int f, double d, boolean isDerived) {
        if (size == family.length) {
            int cap = 2 * size;
            family = Arrays.copyOf(family, cap);
            difficulty = Arrays.copyOf(difficulty, cap);
            memo = Arrays.copyOf(memo, cap);
            derived = Arrays.copyOf(derived, cap);
        }
        family[size] = f;
        difficulty[size] = d;
        derived[size] = isDerived;
        return size++;
    }

    /** Prompts in the pool (originals and derived ones). */
    public int size() {
        return size;
    }

    public int families() {
        return skill.length;
    }

    public String familyName(int f) {
        return spec.families().get(f).name();
    }

    public int family(int task) {
        return family[task];
    }

    public boolean derived(int task) {
        return derived[task];
    }

    /** The trainer writes a new prompt from {@code parent}; returns its index. */
    public int derive(int parent, Derivation kind) {
        double d = kind == Derivation.SIMPLIFY ? difficulty[parent] - spec.simplifyBy() : difficulty[parent] + spec.varySd() * rng.nextGaussian();
        return add(family[parent], d, true);
    }

    /** True success probability of a prompt now. */
    public double p(int task) {
        return sigmoid(skill[family[task]] + memo[task] - difficulty[task]);
    }

    /** {@code g} Bernoulli rollouts of a prompt into {@code rewards}; returns the successes. */
    public int rollout(int task, int g, double[] rewards) {
        double p = p(task);
        int k = 0;
        for (int i = 0; i < g; i++) {
            rewards[i] = rng.nextDouble() < p ? 1 : 0;
            k += (int) rewards[i];
        }
        return k;
    }

    /** Trains on a group of {@code g} rewards of a prompt. */
    public void train(int task, double[] rewards, int g) {
        double s = 0;
        for (int i = 0; i < g; i++) s += rewards[i];
        double ph = s / g;
        double v = ph * (1 - ph);
        if (v == 0) return;
        int f = family[task];
        skill[f] += spec.learningRate() * v * Math.exp(-(skill[f] - skill0[f]) / spec.headroom());
        memo[task] += spec.memorisation() * v;
    }

    /** Held-out accuracy of one family. */
    public double testScore(int f) {
        double s = 0;
        for (double d : heldOut[f]) s += sigmoid(skill[f] - d);
        return s / heldOut[f].length;
    }

    /** Held-out accuracy over all families (each held-out prompt counts once). */
    public double testScore() {
        double s = 0;
        for (int f = 0; f < skill.length; f++) s += testScore(f);
        return s / skill.length;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
