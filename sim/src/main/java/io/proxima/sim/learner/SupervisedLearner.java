package io.proxima.sim.learner;

import io.proxima.core.sample.Rng;

/**
 * A supervised learner over labelled items, a share of them mislabelled (the lab's learner for
 * self-paced and ordered curricula, which need a loss per item).
 *
 * <pre>
 *   item i of source g: difficulty d_i ~ Normal(mean_g, sd_g); mislabelled with probability labelNoise
 *   clean item:   p_i = σ(θ + m_i − d_i)       probability of the labelled (true) answer
 *                 loss_i = −ln p_i              falls as skill θ and memorisation m_i grow
 *   mislabelled:  loss_i = ln(classes)          the label is noise: the loss never falls
 *   train on a clean item:        Δθ = lr · 4p_i(1 − p_i) · exp(−(θ − θ₀)/headroom) / (1 + m_i)
 *                                 m_i += memorisation · (1 − p_i)
 *   train on a mislabelled item:  Δθ = −lr · harm · p̃_i,  p̃_i = σ(θ − d_i)   (the wrong label pulls
 *                                 against what the model knows, the harder the better it knows it)
 *   clean held-out accuracy:      mean σ(θ − d) over held-out items drawn like the pool (all clean);
 *   clean held-out loss:          mean −ln σ(θ − d)
 * </pre>
 * So an item teaches most near p = 0.5 (items far too hard or far too easy teach little), and
 * every mislabelled item trained on costs skill: a teacher that keeps high-loss items out (SPL)
 * avoids the noise, an easy-first order (pacing) spends its early batches where p is high.
 */
public final class SupervisedLearner implements ItemLearner {
    private final SupervisedLearnerSpec spec;
    private final int[] group;
    private final double[] difficulty;
    private final boolean[] mislabelled;
    private final double[] memo;
    private final double[] heldOut;
    private final int[] heldOutGroup;
    private final double noisyLoss;
    private double theta;
    private long steps;

    public SupervisedLearner(SupervisedLearnerSpec spec, long seed) {
        this.spec = spec;
        Rng rng = new Rng(seed * 0xBF58476D1CE4E5B9L + 0x5EED);
        int n = spec.poolSize();
        group = new int[n];
        difficulty = new double[n];
        mislabelled = new boolean[n];
        memo = new double[n];
        int i = 0;
        for (int g = 0; g < spec.sources().size(); g++) {
            SupervisedLearnerSpec.Source s = spec.sources().get(g);
            double noise = Double.isNaN(s.labelNoise()) ? spec.labelNoise() : s.labelNoise();
            for (int k = 0; k < s.size(); k++, i++) {
                group[i] = g;
                difficulty[i] = s.difficultyMean() + s.difficultySd() * rng.nextGaussian();
                mislabelled[i] = rng.nextDouble() < noise;
            }
        }
        heldOut = new double[spec.heldOut()];
        heldOutGroup = new int[spec.heldOut()];
        int total = n;
        for (int h = 0; h < heldOut.length; h++) {
            int u = (int) Math.floor(rng.nextDouble() * total);
            int g = 0;
            for (int acc = spec.sources().get(0).size(); u >= acc; acc += spec.sources().get(++g).size()) {}
            SupervisedLearnerSpec.Source s = spec.sources().get(g);
            heldOut[h] = s.difficultyMean() + s.difficultySd() * rng.nextGaussian();
            heldOutGroup[h] = g;
        }
        noisyLoss = Math.log(spec.classes());
        theta = spec.skill();
    }

    public SupervisedLearnerSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return group.length;
    }

    @Override
    public int group(int item) {
        return group[item];
    }

    /** The item's true difficulty (logit): the simulated trainer knows it exactly. */
    @Override
    public double difficulty(int item) {
        return difficulty[item];
    }

    @Override
    public boolean mislabelled(int item) {
        return mislabelled[item];
    }

    public double skill() {
        return theta;
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** The loss on an item now (what a trainer's forward pass reports). */
    @Override
    public double loss(int item) {
        if (mislabelled[item]) return noisyLoss;
        return -Math.log(Math.max(1e-12, sigmoid(theta + memo[item] - difficulty[item])));
    }

    /** One gradient step on an item; returns the change of skill. */
    @Override
    public double train(int item) {
        double before = theta;
        if (mislabelled[item]) {
            theta -= spec.learningRate() * spec.harm() * sigmoid(theta - difficulty[item]);
        } else {
            double p = sigmoid(theta + memo[item] - difficulty[item]);
            theta += spec.learningRate() * 4 * p * (1 - p) * Math.exp(-(theta - spec.skill()) / spec.headroom()) / (1 + memo[item]);
            memo[item] += spec.memorisation() * (1 - p);
        }
        return theta - before;
    }

    @Override
    public void endStep() {
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** Clean held-out accuracy. */
    @Override
    public double testScore() {
        double s = 0;
        for (double d : heldOut) s += sigmoid(theta - d);
        return s / heldOut.length;
    }

    /** Clean held-out accuracy of the held-out items drawn from one source. */
    @Override
    public double testScore(int source) {
        double s = 0;
        int n = 0;
        for (int h = 0; h < heldOut.length; h++) {
            if (heldOutGroup[h] != source) continue;
            s += sigmoid(theta - heldOut[h]);
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The model never learns a wrong label (its loss stays at ln(classes)): chance, 1/classes, or NaN without noise. */
    @Override
    public double mislabelledFit() {
        for (boolean m : mislabelled) if (m) return 1.0 / spec.classes();
        return Double.NaN;
    }

    /** Clean held-out loss. */
    @Override
    public double testLoss() {
        double s = 0;
        for (double d : heldOut) s += -Math.log(Math.max(1e-12, sigmoid(theta - d)));
        return s / heldOut.length;
    }
}
