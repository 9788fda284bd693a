package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;
import io.proxima.sim.learner.RolloutLearner;
import io.proxima.sim.teach.LabTeacher;


/**
 * A real learner: a {@link PolicyNetwork} trained by GRPO (Shao et al. 2024, arXiv:2402.03300) on
 * prompt families of a {@link NeuralLearnerSpec}. Nothing about its learning is written down: it
 * has the dynamics of gradient descent on a shared network — transfer through shared embeddings,
 * interference, memorisation of what it sees again, entropy collapse — that the simulated
 * {@link io.proxima.sim.learner.PromptLearner} only models.
 *
 * <pre>
 *   prompt of family f:  tokens (f, a_0 … a_{m−1}, PAD…), operands a_j ~ U{0..N−1}, all prompts distinct,
 *                        held-out prompts disjoint from the pool
 *   answer:              ⌊(Σ c_j·a_j)/divisor⌋ mod K, or a fixed random label per prompt ("random": memorisable, never generalisable)
 *   rollout:             G answers sampled from π(· | prompt); reward 1{answer = label}, or with probability
 *                        verifierNoise a fair coin (a broken verifier)
 *   GRPO, per trained group:  A_i = (r_i − mean r) / (std r + ε)   (population std; all equal ⇒ no gradient)
 *     loss = −(1/R) Σ_groups Σ_i [A_i·log π(a_i | x)] − β·(1/R) Σ_groups G·H(π(· | x))     R = rollouts trained in the step
 *     ∂loss/∂z = −(1/R) Σ_i A_i (e_{a_i} − π)  −  β·(G/R)·∂H/∂z,   ∂H/∂z_k = −π_k (log π_k + H)
 *   one Adam step per training step (on-policy: every rollout of a step comes from the same parameters)
 *   held-out accuracy = mean π(label | x) over the held-out prompts: the expected success of one sampled answer
 * </pre>
 * All randomness from two generators seeded from the seed: one draws the dataset and the initial
 * weights (every teacher of a seed faces the same data and the same network), the other the
 * rollouts. Single-threaded; one learner per run.
 */
public final class NeuralPromptLearner implements RolloutLearner {
    /** ε of the group-normalised advantage. */
    static final double ADVANTAGE_EPSILON = 1e-6;

    private final NeuralLearnerSpec spec;
    private final PolicyNetwork net;
    private final Adam adam;
    private final Rng rng;
    private final int slots;
    private final int classes;
    private final int families;
    // pool
    private final int[] tokens;
    private final int[] label;
    private final int[] family;
    // held-out
    private final int[] hTokens;
    private final int[] hLabel;
    private final int[] hFamily;
    /**
     * This step's draws, in generation order: the answers train() reinforces must be the ones that
     * earned the rewards it is given. A filter's second round may draw a prompt of the first
     * again (an epoch turning inside a step), with other answers and, under an allocator, another
     * number of them; each draw is trained at most once, on its own answers.
     */
    private final java.util.ArrayList<Draw> draws = new java.util.ArrayList<>();
    private int drawCount;
    private final double[] probs;
    private final double[] dz;
    private long stepRollouts;
    private long steps;
    private long truncated;
    private double lastEntropy = Double.NaN;

    public NeuralPromptLearner(NeuralLearnerSpec spec, long seed) {
        this.spec = spec;
        this.slots = spec.slots();
        this.classes = spec.answers();
        this.families = spec.families().size();
        Rng structure = new Rng(seed * 0x9E3779B97F4A7C15L + 0x4E55);
        this.rng = new Rng(seed * 0xBF58476D1CE4E5B9L + 0x2011);
        int n = spec.poolSize();
        int h = spec.heldOut();
        tokens = new int[n * slots];
        label = new int[n];
        family = new int[n];
        hTokens = new int[h * slots];
        hLabel = new int[h];
        hFamily = new int[h];
        int pad = padToken();
        int i = 0, j = 0;
        for (int f = 0; f < families; f++) {
            NeuralLearnerSpec.Family fam = spec.families().get(f);
            int pool0 = i, held0 = j, ff = f;
            fam.rule().drawDistinct(structure, spec.operands(), classes, fam.size() + fam.heldOut(), (k, ops, answer) -> {
                boolean pool = k < fam.size();
                int at = pool ? pool0 + k : held0 + k - fam.size();
                int[] t = pool ? tokens : hTokens;
                t[at * slots] = familyToken(ff);
                for (int a = 0; a < slots - 1; a++) t[at * slots + 1 + a] = a < fam.arity() ? operandToken(ops[a]) : pad;
                if (pool) {
                    label[at] = answer;
                    family[at] = ff;
                } else {
                    hLabel[at] = answer;
                    hFamily[at] = ff;
                }
            });
            i += fam.size();
            j += fam.heldOut();
        }
        net = new PolicyNetwork(vocab(), spec.embedding(), slots, spec.hidden(), classes, spec.outputScale(), structure);
        adam = new Adam(net.parameterCount(), spec.learningRate(), spec.beta1(), spec.beta2(), spec.epsilon(), spec.weightDecay());
        probs = new double[classes];
        dz = new double[classes];
    }

    private int familyToken(int f) {
        return f;
    }

    private int operandToken(int a) {
        return families + a;
    }

    private int padToken() {
        return families + spec.operands();
    }

    private int vocab() {
        return families + spec.operands() + 1;
    }

    public NeuralLearnerSpec spec() {
        return spec;
    }

    /** The network (tests read its parameters). */
    PolicyNetwork network() {
        return net;
    }

    @Override
    public int size() {
        return label.length;
    }

    @Override
    public int sourceCount() {
        return families;
    }

    @Override
    public String sourceName(int source) {
        return spec.families().get(source).name();
    }

    @Override
    public int group(int task) {
        return family[task];
    }

    /** The correct answer of a pool prompt. */
    public int label(int task) {
        return label[task];
    }

    /** π(label | prompt) of a pool prompt now: its true success probability (before verifier noise). */
    public double successProbability(int task) {
        net.forward(tokens, task * slots, probs);
        return probs[label[task]];
    }

    @Override
    public int rollout(int task, int g, double[] rewards, int[] tokensOut, int maxTokens) {
        NeuralLearnerSpec.Family fam = spec.families().get(family[task]);
        net.forward(tokens, task * slots, probs);
        Draw d = nextDraw(task, g);
        int[] a = d.answers;
        boolean cut = maxTokens > 0 && fam.tokens() > maxTokens;
        int s = 0;
        for (int k = 0; k < g; k++) {
            a[k] = sample(probs);
            boolean ok = a[k] == label[task];
            if (fam.verifierNoise() > 0 && rng.nextDouble() < fam.verifierNoise()) ok = rng.nextDouble() < 0.5;
            tokensOut[k] = cut ? maxTokens : fam.tokens();
            if (cut) {
                truncated++;
                ok = false;
            }
            rewards[k] = ok ? 1.0 : 0.0;
            if (ok) s++;
        }
        System.arraycopy(rewards, 0, d.rewards, 0, g);
        return s;
    }

    /** One group of rollouts generated this step: its prompt, answers and rewards. */
    private static final class Draw {
        int task;
        int g;
        boolean trained;
        int[] answers = new int[0];
        double[] rewards = new double[0];
    }

    private Draw nextDraw(int task, int g) {
        if (drawCount == draws.size()) draws.add(new Draw());
        Draw d = draws.get(drawCount++);
        d.task = task;
        d.g = g;
        d.trained = false;
        if (d.answers.length < g) {
            d.answers = new int[g];
            d.rewards = new double[g];
        }
        return d;
    }

    /**
     * The untrained draw of this step of this prompt with {@code g} answers that produced these
     * rewards (the latest if several did); if none did, the latest untrained one with {@code g}
     * answers (the surrogate takes any rewards: tests train on rewards of their own).
     */
    private Draw drawOf(int task, double[] rewards, int g) {
        Draw any = null;
        for (int i = drawCount - 1; i >= 0; i--) {
            Draw d = draws.get(i);
            if (d.task != task || d.g != g || d.trained) continue;
            if (java.util.Arrays.equals(d.rewards, 0, g, rewards, 0, g)) {
                d.trained = true;
                return d;
            }
            if (any == null) any = d;
        }
        if (any == null) {
            throw new IllegalStateException("train(" + task + ") with " + g + " rewards, but no untrained rollout of that prompt with "
                    + g + " answers in this step");
        }
        any.trained = true;
        return any;
    }

    /** The answers of this step's latest draw of a prompt (tests). */
    int[] drawnAnswers(int task) {
        for (int i = drawCount - 1; i >= 0; i--) {
            Draw d = draws.get(i);
            if (d.task == task) return java.util.Arrays.copyOf(d.answers, d.g);
        }
        throw new IllegalStateException("no rollout of " + task + " in this step");
    }

    private int sample(double[] p) {
        double u = rng.nextDouble();
        double c = 0;
        for (int k = 0; k < classes - 1; k++) {
            c += p[k];
            if (u < c) return k;
        }
        return classes - 1;
    }

    /**
     * Accumulates the GRPO gradient of one group into the network's gradient buffer (applied at
     * {@link #endStep()}). Returns the group's mean |A| (0 when its rewards all agree).
     */
    @Override
    public double train(int task, double[] rewards, int g) {
        Draw d = drawOf(task, rewards, g);
        stepRollouts += g;
        double mean = 0;
        for (int k = 0; k < g; k++) mean += rewards[k];
        mean /= g;
        double var = 0;
        for (int k = 0; k < g; k++) var += (rewards[k] - mean) * (rewards[k] - mean);
        double std = Math.sqrt(var / g);
        double beta = spec.entropyBonus();
        if (std == 0 && beta == 0) return 0.0;
        net.forward(tokens, task * slots, probs);
        java.util.Arrays.fill(dz, 0.0);
        double meanAbs = 0;
        if (std > 0) {
            int[] a = d.answers;
            double sumA = 0;
            for (int k = 0; k < g; k++) {
                double adv = (rewards[k] - mean) / (std + ADVANTAGE_EPSILON);
                dz[a[k]] -= adv;
                sumA += adv;
                meanAbs += Math.abs(adv);
            }
            // −Σ A_i (e_{a_i} − π) = −Σ A_i e_{a_i} + (Σ A_i) π   (Σ A_i is 0 up to rounding)
            for (int c = 0; c < classes; c++) dz[c] += sumA * probs[c];
            meanAbs /= g;
        }
        if (beta > 0) {
            double ent = PolicyNetwork.entropy(probs, classes);
            // ∂(−β G H)/∂z_k = β G π_k (log π_k + H)
            for (int c = 0; c < classes; c++) {
                double lp = probs[c] > 0 ? StrictMath.log(probs[c]) : 0.0;
                dz[c] += beta * g * probs[c] * (lp + ent);
            }
        }
        net.backward(dz);
        return meanAbs;
    }

    @Override
    public void endStep() {
        if (stepRollouts > 0) {
            net.scaleGrad(1.0 / stepRollouts);
            adam.step(net.params, net.grads);
            net.zeroGrad();
            stepRollouts = 0;
        }
        drawCount = 0;
        lastEntropy = Double.NaN;
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** Held-out accuracy: mean π(label | x) over every held-out prompt. */
    @Override
    public double testScore() {
        double sum = 0;
        for (int j = 0; j < hLabel.length; j++) {
            net.forward(hTokens, j * slots, probs);
            sum += probs[hLabel[j]];
        }
        return hLabel.length == 0 ? 0.0 : sum / hLabel.length;
    }

    @Override
    public double testScore(int source) {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < hLabel.length; j++) {
            if (hFamily[j] != source) continue;
            net.forward(hTokens, j * slots, probs);
            sum += probs[hLabel[j]];
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    @Override
    public double poolAccuracy() {
        double sum = 0;
        for (int i = 0; i < label.length; i++) {
            net.forward(tokens, i * slots, probs);
            sum += probs[label[i]];
        }
        return label.length == 0 ? 0.0 : sum / label.length;
    }

    @Override
    public double policyEntropy() {
        if (!Double.isNaN(lastEntropy)) return lastEntropy;
        double sum = 0;
        for (int j = 0; j < hLabel.length; j++) {
            net.forward(hTokens, j * slots, probs);
            sum += PolicyNetwork.entropy(probs, classes);
        }
        lastEntropy = hLabel.length == 0 ? 0.0 : sum / hLabel.length;
        return lastEntropy;
    }

    @Override
    public long truncatedRollouts() {
        return truncated;
    }

    @Override
    public LabTeacher oracle(int rollouts, long seed) {
        return new NeuralOracle(this, rollouts, seed);
    }

    /** Whether a family can be learned from its rewards (labels follow a rule and the verifier is not broken). */
    public boolean learnable(int source) {
        NeuralLearnerSpec.Family f = spec.families().get(source);
        return !f.randomLabels() && f.verifierNoise() < 1.0;
    }
}
