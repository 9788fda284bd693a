package io.proxima.sim.learner;

import io.proxima.core.sample.Rng;

/**
 * A learner over a box of continuous task parameters (the teachDeepRL-style toy of the ALP-GMM
 * family, shared/algorithms/alp-gmm-family.md), on a grid of competence cells.
 *
 * <pre>
 *   cell(x)        the grid cell holding x (cells per parameter: {@code cells})
 *   episode(x)     reward = clamp(c_cell + noise·z, 0, 1);  0 in an unlearnable region
 *   learnable(x)   not in an unlearnable box, and (in the start box, or a mastered cell within
 *                  {@code reach} cells): the competence frontier grows from what is mastered
 *   train(x)       learnable ⇒ c_cell += rate·(1 − c_cell)   (diminishing returns); else nothing
 *   end of step    every cell not trained in the step: c ← (1 − forgetting)·c
 *   mastered       c ≥ mastery
 *   testScore      share of a fixed grid of test points (testPoints per parameter, cell centres of
 *                  that grid) whose cell is mastered
 * </pre>
 * A teacher that samples where progress happens (the frontier) masters the box faster than one
 * sampling uniformly, which wastes episodes on mastered, unreachable and unlearnable regions.
 */
public final class ContinuousLearner implements BoxLearner {
    private final ContinuousLearnerSpec spec;
    private final Rng rng;
    private final int dims;
    private final int cells;
    private final double[] competence;
    private final boolean[] unlearnable;
    private final boolean[] start;
    private final boolean[] trained;
    private final int[] testCells;
    private long steps;

    public ContinuousLearner(ContinuousLearnerSpec spec, long seed) {
        this.spec = spec;
        this.rng = new Rng(seed * 0x94D049BB133111EBL + 0xC0DE);
        this.dims = spec.dims();
        this.cells = spec.cells();
        int total = (int) Math.round(Math.pow(cells, dims));
        competence = new double[total];
        unlearnable = new boolean[total];
        start = new boolean[total];
        trained = new boolean[total];
        double[] centre = new double[dims];
        int[] coord = new int[dims];
        for (int c = 0; c < total; c++) {
            decode(c, coord);
            for (int k = 0; k < dims; k++) {
                BoxLearnerSpec.Parameter p = spec.parameters().get(k);
                centre[k] = p.min() + (coord[k] + 0.5) / cells * (p.max() - p.min());
            }
            start[c] = spec.start().contains(centre);
            for (ContinuousLearnerSpec.Box b : spec.unlearnable()) unlearnable[c] |= b.contains(centre);
        }
        int m = spec.testPoints();
        int tests = (int) Math.round(Math.pow(m, dims));
        testCells = new int[tests];
        double[] x = new double[dims];
        for (int t = 0; t < tests; t++) {
            int rest = t;
            for (int k = 0; k < dims; k++) {
                BoxLearnerSpec.Parameter p = spec.parameters().get(k);
                x[k] = p.min() + ((rest % m) + 0.5) / m * (p.max() - p.min());
                rest /= m;
            }
            testCells[t] = cell(x);
        }
    }

    public ContinuousLearnerSpec spec() {
        return spec;
    }

    public int dims() {
        return dims;
    }

    /** The grid cell holding x (parameters outside their range are clamped). */
    @Override
    public int cell(double[] x) {
        int c = 0;
        int mul = 1;
        for (int k = 0; k < dims; k++) {
            BoxLearnerSpec.Parameter p = spec.parameters().get(k);
            int i = (int) Math.floor((x[k] - p.min()) / (p.max() - p.min()) * cells);
            i = Math.max(0, Math.min(cells - 1, i));
            c += i * mul;
            mul *= cells;
        }
        return c;
    }

    private void decode(int c, int[] coord) {
        for (int k = 0; k < dims; k++) {
            coord[k] = c % cells;
            c /= cells;
        }
    }

    public double competence(int cell) {
        return competence[cell];
    }

    @Override
    public boolean mastered(int cell) {
        return competence[cell] >= spec.mastery();
    }

    /** Whether the cell lies in an unlearnable box. */
    @Override
    public boolean unlearnableCell(int cell) {
        return unlearnable[cell];
    }

    /** Share of the test grid whose cell is not unlearnable: the most a teacher can master. */
    @Override
    public double learnableTestShare() {
        int m = 0;
        for (int c : testCells) if (!unlearnable[c]) m++;
        return (double) m / testCells.length;
    }

    /** Whether training in this cell can raise competence now. */
    @Override
    public boolean learnable(int cell) {
        if (unlearnable[cell]) return false;
        if (start[cell]) return true;
        int[] coord = new int[dims];
        decode(cell, coord);
        return masteredNear(coord, 0, 0);
    }

    private boolean masteredNear(int[] coord, int k, int base) {
        int r = spec.reach();
        if (k == dims) return base >= 0 && mastered(base);
        int mul = 1;
        for (int j = 0; j < k; j++) mul *= cells;
        for (int d = -r; d <= r; d++) {
            int i = coord[k] + d;
            if (i < 0 || i >= cells) continue;
            if (masteredNear(coord, k + 1, base + i * mul)) return true;
        }
        return false;
    }

    /** One episode at x: a reward in [0, 1]. */
    public double episode(double[] x) {
        int c = cell(x);
        if (unlearnable[c]) return 0.0;
        double r = competence[c] + spec.rewardNoise() * rng.nextGaussian();
        return Math.max(0.0, Math.min(1.0, r));
    }

    /** The episode's reward, then its training (the reward is heard before the update). */
    @Override
    public double play(double[] x) {
        double r = episode(x);
        train(x);
        return r;
    }

    /** Trains on an episode at x; returns the competence gain. */
    public double train(double[] x) {
        int c = cell(x);
        trained[c] = true;
        if (!learnable(c)) return 0.0;
        double gain = spec.learningRate() * (1 - competence[c]);
        competence[c] += gain;
        return gain;
    }

    @Override
    public void endStep() {
        double f = spec.forgetting();
        for (int c = 0; c < competence.length; c++) {
            if (!trained[c] && f > 0) competence[c] *= 1 - f;
            trained[c] = false;
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public double testScore() {
        int m = 0;
        for (int c : testCells) if (mastered(c)) m++;
        return (double) m / testCells.length;
    }
}
