package io.proxima.core.compose;

/**
 * Turns real-valued shares of a rollout budget into integers that sum to the budget exactly and
 * stay within per-task bounds where that is possible (count·min ≤ budget ≤ count·max).
 */
public final class Allocations {
    private Allocations() {}

    /**
     * The common shape of share-based allocators (GVM, CurES): each task's share is a function of
     * its observed pass rate (its last report's; the posterior mean before any), rounded to the
     * uniform budget count × G within [min, max] (max 0 = 4·G; both widened to admit G).
     */
    public static void byPassRate(TeacherContext ctx, int[] tasks, int count, int[] rollouts, int min, int max,
                                  java.util.function.DoubleUnaryOperator share) {
        double[] s = new double[count];
        for (int i = 0; i < count; i++) s[i] = share.applyAsDouble(passRate(ctx, tasks[i]));
        int g = ctx.rollouts();
        roundToBudget(s, count, count * g, Math.min(min, g), max == 0 ? 4 * g : Math.max(max, g), rollouts);
    }

    /** The pass rate a share-based allocator reads: the task's last report's, the posterior mean before any. */
    public static double passRate(TeacherContext ctx, int task) {
        double p = ctx.passRates().lastPassRate(task);
        return Double.isNaN(p) ? ctx.passRates().mean(task) : p;
    }

    /**
     * Largest-remainder rounding of {@code share[i] · budget / Σ share} with bounds: first each
     * task gets the floor of its exact amount clipped to [min, max], then the remaining rollouts go
     * one by one to the tasks with the largest remainder that are below max (or, when it is over,
     * come back from those with the smallest remainder above min). Ties go to the lower index.
     * With all shares 0 the budget is split evenly.
     */
    public static void roundToBudget(double[] share, int count, int budget, int min, int max, int[] out) {
        double total = 0;
        for (int i = 0; i < count; i++) total += Math.max(0.0, share[i]);
        double[] exact = new double[count];
        int sum = 0;
        for (int i = 0; i < count; i++) {
            exact[i] = total > 0 ? Math.max(0.0, share[i]) * budget / total : (double) budget / count;
            out[i] = clip((int) Math.floor(exact[i]), min, max);
            sum += out[i];
        }
        fix(exact, count, budget, min, max, out, sum);
    }

    /**
     * Adjusts {@code out} so it sums to {@code budget}, moving one rollout at a time by the
     * residual {@code exact[i] − out[i]}, within [min, max] while possible, past the bounds when
     * nothing else can absorb it (the budget is an invariant; the bounds are a preference).
     */
    public static void fix(double[] exact, int count, int budget, int min, int max, int[] out, int sum) {
        while (sum < budget) {
            int best = pick(exact, count, out, max, true);
            if (best < 0) best = pick(exact, count, out, Integer.MAX_VALUE, true);
            out[best]++;
            sum++;
        }
        while (sum > budget) {
            int best = pick(exact, count, out, min, false);
            if (best < 0) best = pick(exact, count, out, 1, false);
            if (best < 0) best = pick(exact, count, out, 0, false);
            out[best]--;
            sum--;
        }
    }

    /** The index with the largest (up) or smallest (down) residual that can still move. */
    private static int pick(double[] exact, int count, int[] out, int bound, boolean up) {
        int best = -1;
        double bestResidual = 0;
        for (int i = 0; i < count; i++) {
            if (up ? out[i] >= bound : out[i] <= bound) continue;
            double r = exact[i] - out[i];
            if (best < 0 || (up ? r > bestResidual : r < bestResidual)) {
                best = i;
                bestResidual = r;
            }
        }
        return best;
    }

    private static int clip(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
