package io.proxima.sim.teach;

import io.proxima.core.sample.Rng;
import io.proxima.sim.learner.PromptLearner;

import java.util.ArrayList;
import java.util.List;

/**
 * The lab's ceiling (cf. the Caffeine simulator's {@code ClairvoyantPolicy}): reads the learner's
 * true state and picks the prompts with the highest expected gain of held-out accuracy.
 *
 * <pre>
 *   E[v_i]   = p_i(1 − p_i)(1 − 1/G)                      expected p̂(1 − p̂) of G Bernoulli(p_i)
 *   value_g  = Σ_h T[g][h] · ∂acc/∂θ_h                     what a unit of skill on g is worth on the test set
 *   score_i  = E[v_i] · gainFactor(g) · novelty_i · value_g   0 for noisy and unlearnable prompts
 *   pick the n highest scores (ties broken by a seeded jitter); G rollouts each; keep everything
 * </pre>
 * Greedy one step ahead: it knows p_i exactly (memorisation included), so it never spends a
 * rollout on a saturated, hopeless or noisy prompt, but it does not plan.
 */
public final class Oracle implements LabTeacher {
    /** Relative jitter that breaks ties between equal scores. */
    static final double JITTER = 1e-9;

    private final PromptLearner learner;
    private final int rollouts;
    private final Rng rng;
    private final double[] value;
    private final double[] score;

    public Oracle(PromptLearner learner, int rollouts, long seed) {
        this.learner = learner;
        this.rollouts = rollouts;
        this.rng = new Rng(seed * 0xD6E8FEB86659FD93L + 0x0AC1E);
        this.value = new double[learner.sourceCount()];
        this.score = new double[learner.size()];
    }

    /** Expected held-out gain of training once on a prompt, now. */
    public double expectedGain(int task) {
        if (learner.kind(task) != PromptLearner.NORMAL) return 0.0;
        double p = learner.successProbability(task);
        double v = p * (1 - p) * (1 - 1.0 / rollouts);
        return v * learner.gainFactor(learner.group(task)) * learner.novelty(task) * sourceValue(learner.group(task));
    }

    private double sourceValue(int g) {
        double s = 0;
        for (int h = 0; h < value.length; h++) s += learner.transfer(g, h) * value[h];
        return s;
    }

    @Override
    public List<Pick> next(int n) {
        int size = learner.size();
        n = Math.min(n, size);
        learner.skillValue(value);
        double[] perSource = new double[value.length];
        for (int g = 0; g < value.length; g++) perSource[g] = learner.gainFactor(g) * sourceValue(g);
        for (int i = 0; i < size; i++) {
            double s = 0;
            if (learner.kind(i) == PromptLearner.NORMAL) {
                double p = learner.successProbability(i);
                s = p * (1 - p) * (1 - 1.0 / rollouts) * learner.novelty(i) * perSource[learner.group(i)];
            }
            score[i] = s * (1 + JITTER * rng.nextDouble()) + JITTER * 1e-6 * rng.nextDouble();
        }
        // Top n by repeated selection over a bounded heap would be O(N log n); n is small, N moderate.
        int[] best = topN(n);
        List<Pick> out = new ArrayList<>(n);
        for (int t : best) out.add(new Pick(t, rollouts));
        return out;
    }

    private int[] topN(int n) {
        // Min-heap of the n best indices.
        int[] heap = new int[n];
        int filled = 0;
        for (int i = 0; i < score.length; i++) {
            if (filled < n) {
                heap[filled] = i;
                siftUp(heap, filled++);
            } else if (score[i] > score[heap[0]]) {
                heap[0] = i;
                siftDown(heap, n, 0);
            }
        }
        return heap;
    }

    private void siftUp(int[] h, int k) {
        while (k > 0) {
            int p = (k - 1) / 2;
            if (score[h[p]] <= score[h[k]]) break;
            int t = h[p];
            h[p] = h[k];
            h[k] = t;
            k = p;
        }
    }

    private void siftDown(int[] h, int n, int k) {
        while (true) {
            int l = 2 * k + 1;
            int m = k;
            if (l < n && score[h[l]] < score[h[m]]) m = l;
            if (l + 1 < n && score[h[l + 1]] < score[h[m]]) m = l + 1;
            if (m == k) return;
            int t = h[m];
            h[m] = h[k];
            h[k] = t;
            k = m;
        }
    }

    @Override
    public void report(List<Pick> picks, double[][] rewards, int[][] tokens, long step, boolean[] keep) {
        java.util.Arrays.fill(keep, 0, picks.size(), true);
    }
}
