package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PolicyNetworkTest {
    /** L(θ) = Σ_c w_c·log π_c(θ): its gradient in z is w − (Σ w)·π. */
    static double loss(PolicyNetwork net, int[] tokens, double[] w) {
        double[] p = new double[net.classes()];
        net.forward(tokens, 0, p);
        double l = 0;
        for (int c = 0; c < p.length; c++) l += w[c] * Math.log(p[c]);
        return l;
    }

    /** Every parameter's backprop gradient matches a central finite difference, on seeded random networks and prompts. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void gradientMatchesFiniteDifferences(long seed) {
        Rng rng = new Rng(seed);
        int vocab = 7, dim = 3, slots = 3, hidden = 6, classes = 4;
        PolicyNetwork net = new PolicyNetwork(vocab, dim, slots, hidden, classes, 1.0, rng);
        for (int i = 0; i < net.params.length; i++) net.params[i] += 0.1 * rng.nextGaussian(); // biases away from 0 too
        int[] tokens = {rng.nextInt(vocab), rng.nextInt(vocab), rng.nextInt(vocab)};
        tokens[2] = tokens[0]; // a token in two slots: its embedding gets both slots' gradients
        double[] w = new double[classes];
        for (int c = 0; c < classes; c++) w[c] = rng.nextGaussian();
        double sw = 0;
        for (double v : w) sw += v;
        double[] p = new double[classes];
        net.forward(tokens, 0, p);
        double[] dz = new double[classes];
        for (int c = 0; c < classes; c++) dz[c] = w[c] - sw * p[c];
        net.zeroGrad();
        net.backward(dz);
        double[] analytic = net.grads.clone();
        double h = 1e-6;
        int checked = 0;
        for (int i = 0; i < net.params.length; i++) {
            double keep = net.params[i];
            net.params[i] = keep + h;
            double up = loss(net, tokens, w);
            net.params[i] = keep - h;
            double down = loss(net, tokens, w);
            net.params[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertThat(analytic[i]).as("parameter %d", i).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            if (numeric != 0) checked++;
        }
        assertThat(checked).as("parameters with a non-zero gradient").isGreaterThan(net.params.length / 6);
    }

    @Test
    void probabilitiesSumToOneAndTheStartIsNearUniform() {
        Rng rng = new Rng(11);
        PolicyNetwork net = new PolicyNetwork(50, 16, 3, 128, 10, 0.1, rng);
        double[] p = new double[10];
        for (int k = 0; k < 100; k++) {
            int[] t = {rng.nextInt(50), rng.nextInt(50), rng.nextInt(50)};
            net.forward(t, 0, p);
            double s = 0;
            for (double v : p) {
                s += v;
                assertThat(v).isBetween(0.05, 0.2); // small output weights: every answer near 1/10
            }
            assertThat(s).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void sameSeedSameNetwork() {
        PolicyNetwork a = new PolicyNetwork(20, 4, 2, 8, 5, 0.1, new Rng(3));
        PolicyNetwork b = new PolicyNetwork(20, 4, 2, 8, 5, 0.1, new Rng(3));
        PolicyNetwork c = new PolicyNetwork(20, 4, 2, 8, 5, 0.1, new Rng(4));
        assertThat(a.params).containsExactly(b.params);
        assertThat(a.params).isNotEqualTo(c.params);
    }

    /** Adam's first step moves every parameter with a non-zero gradient by lr·sign(g) (bias-corrected m/√v = ±1). */
    @Test
    void adamFirstStepIsLrTimesSign() {
        Adam adam = new Adam(3, 0.01, 0.9, 0.999, 1e-12, 0.0);
        double[] theta = {1.0, 2.0, 3.0};
        adam.step(theta, new double[]{0.5, -3.0, 0.0});
        assertThat(theta[0]).isCloseTo(0.99, within(1e-9));
        assertThat(theta[1]).isCloseTo(2.01, within(1e-9));
        assertThat(theta[2]).isEqualTo(3.0);
        // decoupled weight decay: θ ← θ − lr·λ·θ with no gradient
        Adam decay = new Adam(1, 0.1, 0.9, 0.999, 1e-8, 0.5);
        double[] t = {2.0};
        decay.step(t, new double[]{0.0});
        assertThat(t[0]).isCloseTo(2.0 - 0.1 * 0.5 * 2.0, within(1e-12));
    }
}
