package io.proxima.sim.neural;

/**
 * Adam (Kingma &amp; Ba 2015, arXiv:1412.6980) with decoupled weight decay (AdamW, Loshchilov &amp;
 * Hutter 2019, arXiv:1711.05101) over one flat parameter array.
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr·( m/(1 − β1ᵗ) / (sqrt(v/(1 − β2ᵗ)) + ε) + λ·θ )
 * </pre>
 */
public final class Adam {
    /** Adam's defaults from the paper. */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private long t;

    public Adam(int size, double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** One step of θ along the gradient {@code g}. */
    public void step(double[] theta, double[] g) {
        t++;
        double c1 = 1 - StrictMath.pow(beta1, t);
        double c2 = 1 - StrictMath.pow(beta2, t);
        for (int i = 0; i < theta.length; i++) {
            double gi = g[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
            theta[i] -= lr * (update + weightDecay * theta[i]);
        }
    }

    public long steps() {
        return t;
    }
}
