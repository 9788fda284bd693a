package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;
import io.proxima.sim.teach.LabTeacher;
import io.proxima.sim.teach.Pick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference for a {@link NeuralPromptLearner}: it knows which families carry a learnable
 * signal (rule-based answers, a working verifier) and walks their prompts without replacement, a
 * fresh permutation per epoch, keeping every group. It never spends a rollout on random labels or
 * a broken verifier, and otherwise trains as the walk does: what a teacher could gain by knowing
 * the pool's structure.
 *
 * <p>Why not chase prompts near p = 0.5 with the true p in hand: on a network that memorises what
 * it sees again and shares its weights between families, that oracle ended below the walk
 * (docs/lab.md): skipping solved prompts of a family let training on the others erode it.
 */
public final class NeuralOracle implements LabTeacher {

    private final NeuralPromptLearner learner;
    private final int rollouts;
    private final Rng rng;
    private final int[] order;
    private int cursor;

    public NeuralOracle(NeuralPromptLearner learner, int rollouts, long seed) {
        this.learner = learner;
        this.rollouts = rollouts;
        this.rng = new Rng(seed * 0xD6E8FEB86659FD93L + 0x0AC1E);
        int n = 0;
        for (int i = 0; i < learner.size(); i++) if (learner.learnable(learner.group(i))) n++;
        if (n == 0) throw new IllegalArgumentException("the oracle needs at least one learnable family");
        order = new int[n];
        for (int i = 0, k = 0; i < learner.size(); i++) if (learner.learnable(learner.group(i))) order[k++] = i;
        cursor = order.length;
    }

    private int nextInWalk() {
        if (cursor == order.length) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            cursor = 0;
        }
        return order[cursor++];
    }

    @Override
    public List<Pick> next(int n) {
        n = Math.min(n, order.length);
        List<Pick> out = new ArrayList<>(n);
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        // Distinct within the batch: a repeat can only come across an epoch boundary; draw again.
        for (int guard = 2 * order.length + n; out.size() < n && guard > 0; guard--) {
            int t = nextInWalk();
            if (taken.add(t)) out.add(new Pick(t, rollouts));
        }
        return out;
    }

    @Override
    public void report(List<Pick> picks, double[][] rewards, int[][] tokens, long step, boolean[] keep) {
        Arrays.fill(keep, 0, picks.size(), true);
    }
}
