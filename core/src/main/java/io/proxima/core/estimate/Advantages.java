package io.proxima.core.estimate;

/**
 * GRPO advantages of one group of rollouts.
 *
 * <pre>
 *   STD  (GRPO, verl convention): A_i = (r_i − mean(r)) / (std₁(r) + 1e-6), std₁ with ddof = 1;
 *                                  a group of one rollout has std := 1 (so A = 0)
 *   MEAN (Dr. GRPO / RLOO-style):  A_i = r_i − mean(r)
 * </pre>
 * All rewards equal ⇒ every A_i = 0: the group carries no gradient ("degenerate"). Worked values
 * (shared/algorithms/llm-rl.md §2): mean|A| of [1,1,1,0] is 0.75 and of [1,0,1,0] is 0.866 under STD.
 */
public final class Advantages {
    /** The ε added to the standard deviation (verl's default). */
    public static final double EPS = 1e-6;

    /** How advantages are normalised. */
    public enum Mode {
        /** GRPO: divide by the group's (ddof = 1) standard deviation + ε. */
        STD,
        /** Dr. GRPO: mean-centred only. */
        MEAN
    }

    private Advantages() {}

    public static double mean(double[] r) {
        double s = 0;
        for (double x : r) s += x;
        return s / r.length;
    }

    /** Sample standard deviation (ddof = 1); 1 for a single value, as verl does. */
    public static double std(double[] r) {
        if (r.length < 2) return 1.0;
        double m = mean(r);
        double ss = 0;
        for (double x : r) ss += (x - m) * (x - m);
        return Math.sqrt(ss / (r.length - 1));
    }

    /** True when every reward is equal: every advantage is zero. */
    public static boolean degenerate(double[] r) {
        for (int i = 1; i < r.length; i++) if (r[i] != r[0]) return false;
        return true;
    }

    /** Writes A_i into {@code out[offset + i]}. */
    public static void compute(double[] r, Mode mode, double[] out, int offset) {
        double m = mean(r);
        double scale = mode == Mode.STD ? 1.0 / (std(r) + EPS) : 1.0;
        boolean flat = degenerate(r);
        for (int i = 0; i < r.length; i++) out[offset + i] = flat ? 0.0 : (r[i] - m) * scale;
    }

    /**
     * {@link #compute} and {@link #meanAbs} in one pass over the group's statistics (the mean and
     * the standard deviation once instead of four and two times): writes A_i into
     * {@code out[offset + i]} and returns mean |A_i|, bit for bit what the two give.
     */
    public static double computeWithMeanAbs(double[] r, Mode mode, double[] out, int offset) {
        double m = mean(r);
        if (degenerate(r)) {
            for (int i = 0; i < r.length; i++) out[offset + i] = 0.0;
            return 0.0;
        }
        double scale = 1.0;
        if (mode == Mode.STD) {
            double sd = 1.0;
            if (r.length >= 2) {
                double ss = 0;
                for (double x : r) ss += (x - m) * (x - m);
                sd = Math.sqrt(ss / (r.length - 1));
            }
            scale = 1.0 / (sd + EPS);
        }
        double abs = 0;
        for (int i = 0; i < r.length; i++) {
            double x = r[i];
            out[offset + i] = (x - m) * scale;
            abs += Math.abs(x - m) * scale;
        }
        return abs / r.length;
    }

    /** Mean |A_i| of the group. */
    public static double meanAbs(double[] r, Mode mode) {
        if (degenerate(r)) return 0.0;
        double m = mean(r);
        double scale = mode == Mode.STD ? 1.0 / (std(r) + EPS) : 1.0;
        double s = 0;
        for (double x : r) s += Math.abs(x - m) * scale;
        return s / r.length;
    }
}
