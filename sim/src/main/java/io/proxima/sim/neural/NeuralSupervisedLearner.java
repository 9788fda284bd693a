package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;
import io.proxima.sim.learner.ItemLearner;


/**
 * A real supervised learner: a {@link PolicyNetwork} used as a classifier, trained by cross-entropy
 * with Adam on the mini-batches a curriculum picks, over families of items of a
 * {@link NeuralSupervisedLearnerSpec} with noisy training labels. It has what the simulated
 * {@link io.proxima.sim.learner.SupervisedLearner} only models: it memorises the wrong labels it
 * sees again (their loss falls), and what it learns on one family moves the others through the
 * shared embeddings and hidden layer.
 *
 * <pre>
 *   item of family f:   tokens (f, a_0 … a_{m−1}, PAD…), operands a_j ~ U{0..N−1}, all items distinct,
 *                       held-out items disjoint from the pool
 *   clean label:        y = ⌊(Σ c_j·a_j)/divisor⌋ mod K, or a fixed random class per item ("random")
 *   training label:     ỹ = y, except on ⌊noise·size + ½⌋ pool items of the family, drawn without
 *                       replacement, where ỹ = a random wrong class (y + U{1..K−1}) mod K
 *   loss of an item:    ℓ = −log π(ỹ | x)          (what the curriculum is told: on the training label)
 *   step:               θ ← Adam(θ, (1/B) Σ_batch ∂ℓ/∂θ),   ∂ℓ/∂z = π − e_ỹ
 *   held-out accuracy:  share of clean held-out items with argmax π = y
 *   difficulty (pacing): ℓ of a reference network (same shape, its own initial weights) trained for
 *                       {@code referenceEpochs} shuffled passes over the pool before the run
 * </pre>
 * Why a reference model's loss for pacing: pacing opens each group from its easiest items, so it
 * needs an order within a family, which the family's rule does not give; a reference model's loss
 * is how ordered curricula get one in practice (Hacohen &amp; Weinshall 2019, "transfer/self-taught
 * scoring"). One pass learns the easy rules and memorises little, so mislabelled items rank among
 * the hardest, as they do in practice.
 *
 * <p>All randomness from two generators seeded from the seed: one draws the dataset, the wrong
 * labels and the network's initial weights (every teacher of a seed faces the same data and the
 * same network), the other the reference model. Single-threaded; one learner per run.
 */
public final class NeuralSupervisedLearner implements ItemLearner {
    /** Smallest probability a loss is taken of (a loss is finite even when π underflows). */
    static final double MIN_PROBABILITY = 1e-300;

    private final NeuralSupervisedLearnerSpec spec;
    private final PolicyNetwork net;
    private final Adam adam;
    private final int slots;
    private final int classes;
    private final int families;
    // pool
    private final int[] tokens;
    private final int[] label;
    private final int[] cleanLabel;
    private final int[] family;
    private final boolean[] wrong;
    private final int mislabelledCount;
    private final double[] difficulty;
    // held-out (clean labels)
    private final int[] hTokens;
    private final int[] hLabel;
    private final int[] hFamily;
    private final double[] probs;
    private int stepItems;
    private long steps;

    public NeuralSupervisedLearner(NeuralSupervisedLearnerSpec spec, long seed) {
        this.spec = spec;
        this.slots = spec.slots();
        this.classes = spec.answers();
        this.families = spec.families().size();
        Rng structure = new Rng(seed * 0x9E3779B97F4A7C15L + 0x5EB7);
        Rng reference = new Rng(seed * 0xD1B54A32D192ED03L + 0x4EF);
        int n = spec.poolSize();
        int h = spec.heldOut();
        tokens = new int[n * slots];
        label = new int[n];
        cleanLabel = new int[n];
        family = new int[n];
        wrong = new boolean[n];
        hTokens = new int[h * slots];
        hLabel = new int[h];
        hFamily = new int[h];
        int pad = families + spec.operands();
        int i = 0, j = 0, wrongs = 0;
        for (int f = 0; f < families; f++) {
            NeuralSupervisedLearnerSpec.Family fam = spec.families().get(f);
            int first = i, held0 = j, ff = f;
            fam.rule().drawDistinct(structure, spec.operands(), classes, fam.size() + fam.heldOut(), (k, ops, y) -> {
                boolean pool = k < fam.size();
                int at = pool ? first + k : held0 + k - fam.size();
                int[] t = pool ? tokens : hTokens;
                t[at * slots] = ff;
                for (int a = 0; a < slots - 1; a++) t[at * slots + 1 + a] = a < fam.arity() ? families + ops[a] : pad;
                if (pool) {
                    label[at] = y;
                    cleanLabel[at] = y;
                    family[at] = ff;
                } else {
                    hLabel[at] = y;
                    hFamily[at] = ff;
                }
            });
            i += fam.size();
            j += fam.heldOut();
            // The family's mislabelled items: a partial Fisher–Yates draw of exactly fam.mislabelled() of its pool items.
            int[] idx = new int[fam.size()];
            for (int k = 0; k < idx.length; k++) idx[k] = first + k;
            for (int k = 0; k < fam.mislabelled(); k++) {
                int r = k + structure.nextInt(idx.length - k);
                int item = idx[r];
                idx[r] = idx[k];
                idx[k] = item;
                wrong[item] = true;
                label[item] = (cleanLabel[item] + 1 + structure.nextInt(classes - 1)) % classes;
                wrongs++;
            }
        }
        mislabelledCount = wrongs;
        net = newNetwork(structure);
        adam = newAdam(net);
        probs = new double[classes];
        difficulty = referenceLosses(reference);
    }

    private PolicyNetwork newNetwork(Rng rng) {
        return new PolicyNetwork(families + spec.operands() + 1, spec.embedding(), slots, spec.hidden(), classes, spec.outputScale(), rng);
    }

    private Adam newAdam(PolicyNetwork n) {
        return new Adam(n.parameterCount(), spec.learningRate(), spec.beta1(), spec.beta2(), spec.epsilon(), spec.weightDecay());
    }

    /** Trains a reference network on the pool's training labels (shuffled passes, mini-batches) and returns its loss per item. */
    private double[] referenceLosses(Rng rng) {
        PolicyNetwork ref = newNetwork(rng);
        Adam opt = newAdam(ref);
        int n = label.length;
        int[] order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        double[] p = new double[classes];
        for (int e = 0; e < spec.referenceEpochs(); e++) {
            for (int k = n - 1; k > 0; k--) {
                int r = rng.nextInt(k + 1);
                int t = order[r];
                order[r] = order[k];
                order[k] = t;
            }
            for (int start = 0; start < n; start += spec.referenceBatch()) {
                int end = Math.min(n, start + spec.referenceBatch());
                for (int k = start; k < end; k++) accumulate(ref, tokens, order[k] * slots, label[order[k]], p);
                ref.scaleGrad(1.0 / (end - start));
                opt.step(ref.params, ref.grads);
                ref.zeroGrad();
            }
        }
        double[] out = new double[n];
        for (int k = 0; k < n; k++) out[k] = crossEntropy(ref, tokens, k * slots, label[k], p);
        return out;
    }

    /** −log π(y | x) under {@code n}; {@code p} receives π. */
    static double crossEntropy(PolicyNetwork n, int[] t, int offset, int y, double[] p) {
        n.forward(t, offset, p);
        return -StrictMath.log(Math.max(p[y], MIN_PROBABILITY));
    }

    /**
     * Adds ∂ℓ/∂θ of one item to {@code n}'s gradient buffer, ℓ = −log π(y | x), through
     * ∂ℓ/∂z = π − e_y; returns ℓ before the update. {@code p} is scratch of length ≥ K.
     */
    static double accumulate(PolicyNetwork n, int[] t, int offset, int y, double[] p) {
        double loss = crossEntropy(n, t, offset, y, p);
        p[y] -= 1.0;
        n.backward(p);
        return loss;
    }

    public NeuralSupervisedLearnerSpec spec() {
        return spec;
    }

    /** The network (tests read its parameters). */
    PolicyNetwork network() {
        return net;
    }

    /** The tokens of the pool (tests read them). */
    int[] poolTokens() {
        return tokens;
    }

    int[] heldOutTokens() {
        return hTokens;
    }

    @Override
    public int size() {
        return label.length;
    }

    @Override
    public int group(int item) {
        return family[item];
    }

    /** The reference model's loss on the item's training label. */
    @Override
    public double difficulty(int item) {
        return difficulty[item];
    }

    @Override
    public boolean mislabelled(int item) {
        return wrong[item];
    }

    /** The training label of a pool item (wrong for a mislabelled one). */
    public int label(int item) {
        return label[item];
    }

    /** The clean label of a pool item. */
    public int cleanLabel(int item) {
        return cleanLabel[item];
    }

    @Override
    public double loss(int item) {
        return crossEntropy(net, tokens, item * slots, label[item], probs);
    }

    /** Accumulates the item's cross-entropy gradient (applied at {@link #endStep()}); returns its loss before the update. */
    @Override
    public double train(int item) {
        stepItems++;
        return accumulate(net, tokens, item * slots, label[item], probs);
    }

    @Override
    public void endStep() {
        if (stepItems > 0) {
            net.scaleGrad(1.0 / stepItems);
            adam.step(net.params, net.grads);
            net.zeroGrad();
            stepItems = 0;
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The class the network gives most probability to (the first on ties). */
    private int predict(int[] t, int offset) {
        net.forward(t, offset, probs);
        int best = 0;
        for (int c = 1; c < classes; c++) if (probs[c] > probs[best]) best = c;
        return best;
    }

    /** Clean held-out accuracy: share of held-out items whose predicted class is their label. */
    @Override
    public double testScore() {
        int right = 0;
        for (int k = 0; k < hLabel.length; k++) if (predict(hTokens, k * slots) == hLabel[k]) right++;
        return hLabel.length == 0 ? 0.0 : (double) right / hLabel.length;
    }

    @Override
    public double testScore(int source) {
        int right = 0, n = 0;
        for (int k = 0; k < hLabel.length; k++) {
            if (hFamily[k] != source) continue;
            n++;
            if (predict(hTokens, k * slots) == hLabel[k]) right++;
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    @Override
    public double testLoss() {
        double s = 0;
        for (int k = 0; k < hLabel.length; k++) s += crossEntropy(net, hTokens, k * slots, hLabel[k], probs);
        return hLabel.length == 0 ? Double.NaN : s / hLabel.length;
    }

    /** Share of the pool's items whose predicted class is their training label (memorised wrong labels count). */
    public double poolFit() {
        int right = 0;
        for (int i = 0; i < label.length; i++) if (predict(tokens, i * slots) == label[i]) right++;
        return (double) right / label.length;
    }

    @Override
    public double mislabelledFit() {
        if (mislabelledCount == 0) return Double.NaN;
        int fit = 0;
        for (int i = 0; i < label.length; i++) if (wrong[i] && predict(tokens, i * slots) == label[i]) fit++;
        return (double) fit / mislabelledCount;
    }
}
