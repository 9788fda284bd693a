package io.proxima.sim.run;

/**
 * The lab's metrics on one curve, and mean ± sd over seeds. Pure functions, checked by hand in
 * {@code MetricsTest}.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * Area under the learning curve, normalised by the x range: the trapezoid rule over the points
     * divided by {@code x[last] − x[0]}, i.e. the curve's mean height (0 for an empty range).
     */
    public static double auc(long[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        if (x.length < 2 || x[x.length - 1] == x[0]) return x.length == 0 ? Double.NaN : y[0];
        double area = 0;
        for (int k = 1; k < x.length; k++) area += (x[k] - x[k - 1]) * (y[k] + y[k - 1]) / 2.0;
        return area / (x[x.length - 1] - x[0]);
    }

    /** The first x whose y reaches {@code target} (y ≥ target), NaN if none does. */
    public static double rolloutsToTarget(long[] x, double[] y, double target) {
        for (int k = 0; k < x.length; k++) if (y[k] >= target) return x[k];
        return Double.NaN;
    }

    /**
     * The tokens generated when y first reaches {@code target} (y ≥ target), NaN if it never does:
     * the same first crossing as {@link #rolloutsToTarget}, read on the tokens-so-far axis.
     */
    public static double tokensToTarget(long[] tokens, double[] y, double target) {
        return rolloutsToTarget(tokens, y, target);
    }

    /** Share of groups with non-zero advantage: effective / groups (NaN for no group). */
    public static double effectiveRatio(long effective, long groups) {
        return groups == 0 ? Double.NaN : (double) effective / groups;
    }

    /** Whether a group of rewards carries gradient (its rewards are not all equal). */
    public static boolean effective(double[] rewards, int n) {
        for (int k = 1; k < n; k++) if (rewards[k] != rewards[0]) return true;
        return false;
    }

    /** Mean and sample standard deviation of the finite values (NaN mean when none; sd 0 for one). */
    public record MeanSd(double mean, double sd, int n) {
        public String format(String pattern) {
            if (n == 0) return "—";
            return String.format(java.util.Locale.ROOT, pattern, mean) + " ± " + String.format(java.util.Locale.ROOT, pattern, sd);
        }
    }

    public static MeanSd meanSd(double[] v) {
        double s = 0;
        int n = 0;
        for (double d : v) {
            if (Double.isFinite(d)) {
                s += d;
                n++;
            }
        }
        if (n == 0) return new MeanSd(Double.NaN, Double.NaN, 0);
        double m = s / n;
        double q = 0;
        for (double d : v) if (Double.isFinite(d)) q += (d - m) * (d - m);
        return new MeanSd(m, n > 1 ? Math.sqrt(q / (n - 1)) : 0.0, n);
    }
}
