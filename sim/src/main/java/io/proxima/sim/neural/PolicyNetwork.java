package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;

/**
 * A small policy network: token embeddings, one hidden ReLU layer, a softmax over answer tokens.
 *
 * <pre>
 *   prompt = (t_0 … t_{S−1}) tokens          x = [E[t_0]; …; E[t_{S−1}]]      (S·d inputs: slot j keeps its place)
 *   u = W1·x + b1,  h = max(0, u)            W1: H × S·d
 *   z = W2·h + b2,  π = softmax(z)           W2: K × H; π(a | prompt) over K answers
 *
 *   backward, given ∂L/∂z:   ∂W2 += ∂z ⊗ h,  ∂b2 += ∂z,  ∂h = W2ᵀ∂z,  ∂u = ∂h ⊙ [u > 0]
 *                            ∂W1 += ∂u ⊗ x,  ∂b1 += ∂u,  ∂E[t_j] += (W1ᵀ∂u)[slot j]
 * </pre>
 * Parameters and their gradients are two flat {@code double[]} (one optimizer step updates them
 * in one loop); the layout is {@code E | W1 | b1 | W2 | b2}, row-major. The embedding table is
 * shared by every slot, so a token means the same thing wherever it stands: what a family teaches
 * about its operands transfers to every other family that reads them.
 *
 * <p>{@link #forward} keeps its activations; {@link #backward} uses those of the last forward, so
 * a caller calls them in pairs on the same prompt. Single-threaded; {@code StrictMath} for the
 * exponentials, so a seed gives the same run on every JVM.
 */
public final class PolicyNetwork {
    final int vocab;
    final int dim;
    final int slots;
    final int hidden;
    final int classes;
    private final int in;
    private final int oEmb;
    private final int oW1;
    private final int oB1;
    private final int oW2;
    private final int oB2;
    final double[] params;
    final double[] grads;
    // activations of the last forward
    private final double[] x;
    private final double[] u;
    private final double[] h;
    private final double[] dh;
    private final double[] du;
    private final int[] lastTokens;

    /**
     * A network with He-initialised hidden weights, N(0, 1) embeddings and output weights scaled by
     * {@code outputScale} (small: the policy starts near uniform over the answers, at chance).
     */
    public PolicyNetwork(int vocab, int dim, int slots, int hidden, int classes, double outputScale, Rng rng) {
        if (vocab < 1 || dim < 1 || slots < 1 || hidden < 1 || classes < 2) {
            throw new IllegalArgumentException("bad network shape: vocab " + vocab + ", dim " + dim + ", slots " + slots
                    + ", hidden " + hidden + ", classes " + classes);
        }
        this.vocab = vocab;
        this.dim = dim;
        this.slots = slots;
        this.hidden = hidden;
        this.classes = classes;
        this.in = slots * dim;
        oEmb = 0;
        oW1 = oEmb + vocab * dim;
        oB1 = oW1 + hidden * in;
        oW2 = oB1 + hidden;
        oB2 = oW2 + classes * hidden;
        int n = oB2 + classes;
        params = new double[n];
        grads = new double[n];
        for (int i = 0; i < vocab * dim; i++) params[oEmb + i] = rng.nextGaussian();
        double s1 = Math.sqrt(2.0 / in);
        for (int i = 0; i < hidden * in; i++) params[oW1 + i] = s1 * rng.nextGaussian();
        double s2 = outputScale / Math.sqrt(hidden);
        for (int i = 0; i < classes * hidden; i++) params[oW2 + i] = s2 * rng.nextGaussian();
        x = new double[in];
        u = new double[hidden];
        h = new double[hidden];
        dh = new double[hidden];
        du = new double[hidden];
        lastTokens = new int[slots];
    }

    public int parameterCount() {
        return params.length;
    }

    public int classes() {
        return classes;
    }

    /** Computes π(· | tokens) into {@code probs} (length ≥ K) and keeps the activations for {@link #backward}. */
    public void forward(int[] tokens, int offset, double[] probs) {
        for (int j = 0; j < slots; j++) {
            int t = tokens[offset + j];
            lastTokens[j] = t;
            System.arraycopy(params, oEmb + t * dim, x, j * dim, dim);
        }
        for (int k = 0; k < hidden; k++) {
            double s = params[oB1 + k];
            int row = oW1 + k * in;
            for (int i = 0; i < in; i++) s += params[row + i] * x[i];
            u[k] = s;
            h[k] = s > 0 ? s : 0;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = params[oB2 + c];
            int row = oW2 + c * hidden;
            for (int k = 0; k < hidden; k++) s += params[row + k] * h[k];
            probs[c] = s;
            if (s > max) max = s;
        }
        softmaxInPlace(probs, classes, max);
    }

    static void softmaxInPlace(double[] z, int n, double max) {
        double sum = 0;
        for (int c = 0; c < n; c++) {
            double e = StrictMath.exp(z[c] - max);
            z[c] = e;
            sum += e;
        }
        for (int c = 0; c < n; c++) z[c] /= sum;
    }

    /** Adds ∂L/∂θ to the gradient buffer, given ∂L/∂z of the last forward's prompt. */
    public void backward(double[] dz) {
        java.util.Arrays.fill(dh, 0.0);
        for (int c = 0; c < classes; c++) {
            double g = dz[c];
            if (g == 0) continue;
            grads[oB2 + c] += g;
            int row = oW2 + c * hidden;
            for (int k = 0; k < hidden; k++) {
                grads[row + k] += g * h[k];
                dh[k] += g * params[row + k];
            }
        }
        for (int k = 0; k < hidden; k++) du[k] = u[k] > 0 ? dh[k] : 0.0;
        for (int k = 0; k < hidden; k++) {
            double g = du[k];
            if (g == 0) continue;
            grads[oB1 + k] += g;
            int row = oW1 + k * in;
            for (int i = 0; i < in; i++) grads[row + i] += g * x[i];
        }
        // ∂E[t_j] += (W1ᵀ∂u)[slot j]: column sums of W1 weighted by ∂u, slot by slot.
        for (int j = 0; j < slots; j++) {
            int e = oEmb + lastTokens[j] * dim;
            for (int k = 0; k < hidden; k++) {
                double g = du[k];
                if (g == 0) continue;
                int row = oW1 + k * in + j * dim;
                for (int i = 0; i < dim; i++) grads[e + i] += g * params[row + i];
            }
        }
    }

    /** Sets every gradient to 0. */
    public void zeroGrad() {
        java.util.Arrays.fill(grads, 0.0);
    }

    /** Multiplies every gradient by {@code s}. */
    public void scaleGrad(double s) {
        for (int i = 0; i < grads.length; i++) grads[i] *= s;
    }

    /** Entropy of a distribution over the first {@code n} entries (nats). */
    static double entropy(double[] p, int n) {
        double h = 0;
        for (int c = 0; c < n; c++) if (p[c] > 0) h -= p[c] * StrictMath.log(p[c]);
        return h;
    }
}
