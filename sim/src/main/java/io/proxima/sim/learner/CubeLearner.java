package io.proxima.sim.learner;

/**
 * The teachDeepRL toy environment (Portelas et al., CoRL 2019; [CODE teachDeepRL
 * toy_env/toy_env.py], shared/algorithms/alp-gmm-family.md §4): the first {@code dims}
 * parameters cut {@code [0, 1]^dims} into {@code cubes} cubes per parameter, each holding an
 * integer competence c ∈ [0, max]; further parameters are ignored (useless dimensions).
 *
 * <pre>
 *   cube(p)      q_i = min(cubes − 1, floor(cubes · p_i))       (bins half-open, the last one closed)
 *   episode(p)   q = origin:  c_q ← min(c_q + 1, max)
 *                otherwise:   if some previous neighbour n (n_i ∈ {q_i, max(0, q_i − 1)}, n ≠ q)
 *                             has c_n ≥ unlockAt:  c_q ← min(c_q + 1, max)     (one increment at most)
 *                reward = c_q / max, AFTER the increment
 *   mastered     c &gt; unlockAt   (strict: a cube at exactly unlockAt unlocks but is not mastered)
 *   testScore    share of mastered cubes (× 100 = the paper's "% mastered cubes")
 * </pre>
 * No noise, no forgetting (the reference's noise option is commented out): a run depends on the
 * teacher's seed only. A coordinate outside [0, 1] is an error, as in the reference (teachers clip).
 */
public final class CubeLearner implements BoxLearner {
    private final CubeLearnerSpec spec;
    private final int dims;
    private final int cubes;
    private final int max;
    private final int unlockAt;
    /** Competence per cube; cube index = Σ q_i · cubes^i. */
    private final int[] competence;
    private final int[] coord;
    private long steps;

    public CubeLearner(CubeLearnerSpec spec) {
        this.spec = spec;
        this.dims = spec.dims();
        this.cubes = spec.cubes();
        this.max = spec.maxCompetence();
        this.unlockAt = spec.unlockAt();
        this.competence = new int[(int) Math.round(Math.pow(cubes, dims))];
        this.coord = new int[dims];
    }

    public CubeLearnerSpec spec() {
        return spec;
    }

    /** Competence of a cube, in [0, maxCompetence]. */
    public int competence(int cube) {
        return competence[cube];
    }

    public int cubes() {
        return competence.length;
    }

    @Override
    public int cell(double[] p) {
        if (p.length != dims + spec.uselessDims()) {
            throw new IllegalArgumentException("task has " + p.length + " parameters, the learner " + (dims + spec.uselessDims()));
        }
        for (double v : p) if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("parameter out of [0, 1]: " + v);
        int c = 0, mul = 1;
        for (int i = 0; i < dims; i++) {
            c += Math.min(cubes - 1, (int) Math.floor(cubes * p[i])) * mul;
            mul *= cubes;
        }
        return c;
    }

    @Override
    public boolean unlearnableCell(int cube) {
        return false;
    }

    @Override
    public boolean mastered(int cube) {
        return competence[cube] > unlockAt;
    }

    /** The origin, or a previous neighbour at ≥ unlockAt, and room to grow. */
    @Override
    public boolean learnable(int cube) {
        return competence[cube] < max && unlocked(cube);
    }

    private boolean unlocked(int cube) {
        if (cube == 0) return true;
        int rest = cube;
        for (int i = 0; i < dims; i++) {
            coord[i] = rest % cubes;
            rest /= cubes;
        }
        // neighbours n ≠ q with n_i ∈ {q_i, q_i − 1}: each bit of mask set ⇒ step back in that dimension
        for (int mask = 1; mask < 1 << dims; mask++) {
            int n = 0, mul = 1;
            for (int i = 0; i < dims; i++) {
                int qi = coord[i];
                if ((mask >> i & 1) == 1) qi = Math.max(0, qi - 1);
                n += qi * mul;
                mul *= cubes;
            }
            if (n != cube && competence[n] >= unlockAt) return true;
        }
        return false;
    }

    @Override
    public double play(double[] p) {
        int q = cell(p);
        if (unlocked(q)) competence[q] = Math.min(competence[q] + 1, max);
        return competence[q] / (double) max;
    }

    @Override
    public double learnableTestShare() {
        return 1.0;
    }

    @Override
    public void endStep() {
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** Share of mastered cubes. */
    @Override
    public double testScore() {
        int s = 0;
        for (int c : competence) if (c > unlockAt) s++;
        return (double) s / competence.length;
    }
}
