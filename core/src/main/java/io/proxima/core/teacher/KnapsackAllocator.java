package io.proxima.core.teacher;

import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;

import java.util.PriorityQueue;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * Knapsack-RL budget allocation (Li et al. 2025, "Knapsack RL: Unlocking Exploration of LLMs via
 * Optimizing Budget Allocation", arXiv:2509.25849). Each task is an item whose value depends on
 * the rollouts it gets; the rollout budget is the knapsack.
 * [CODE the authors' release, knapsack budget-allocation module; shared/algorithms/llm-rl.md §6a]
 *
 * <pre>
 *   N = B · n (the uniform budget);  p_i = the task's last pass rate
 *   unseen → n_i = n;  p_i = 0 → n_i = min_n;  p_i = 1 → n_i = min_n
 *   0 &lt; p_i &lt; 1 → n_i = min_n, eligible, cost_i = ln(1 − α) / ln(max(p_i, 1 − p_i))
 *   R = N − Σ n_i
 *   value(N, p) = (1 − p^N − (1 − p)^N) · p · (1 − p)²      P(non-zero gradient) × gradient value
 *   no eligible task: R evenly to the p = 0 tasks (none: n for every task)
 *   E = Σ_eligible ⌊min(max_n, cost_i)⌋;  if E &lt; R: R − E evenly to the p = 0 tasks (none: to the
 *       other non-eligible ones) and R = E
 *   extra k_i ∈ {0 .. max_n − min_n} for the eligible, Σ k_i = R (or the largest feasible w ≤ R),
 *       maximising Σ [k_i &gt; 0] · value(min_n + k_i, p_i)     (k_i = 0 scores 0, as the code)
 *   what is left is spread evenly
 * </pre>
 * Solved exactly by dynamic programming (multiple-choice knapsack) while eligible × R × (max_n −
 * min_n) ≤ {@link #EXACT_LIMIT}; beyond, greedily by the largest marginal value (documented
 * approximation: the k &gt; 0 indicator makes the value non-concave, so greedy can miss the optimum).
 * Worked example (spec): p = [0.5, 0.125, 1.0], n = 4, min_n = 2, max_n = 8 → [5, 5, 2].
 */
public final class KnapsackAllocator implements RolloutAllocator {
    /** Largest DP table (items × budget × choices) solved exactly. */
    public static final long EXACT_LIMIT = 20_000_000L;

    /**
     * @param min min_n = negative_n = positive_n (2 [CODE])
     * @param max max_n (0 = 4 × rollouts [INF]; the spec's example uses 2n)
     * @param alpha α, the confidence of a non-degenerate group that sets cost_i (0.9 [CODE])
     */
    public record Params(int min, int max, double alpha) {
        public static final Params DEFAULTS = new Params(2, 0, 0.9);
    }

    public static final ComponentType<Params, KnapsackAllocator> TYPE = ComponentType.of(node -> {
        Params d = Params.DEFAULTS;
        Params p = new Params(node.integer("min", d.min(), 1, 1 << 16), node.integer("max", d.max(), 0, 1 << 16),
                node.number("alpha", d.alpha(), 1e-9, 1 - 1e-9));
        if (p.max() != 0 && p.max() < p.min()) throw new ConfigException(node.path() + ".max", "must be >= min (" + p.min() + "), got " + p.max());
        return p;
    }, KnapsackAllocator::new);

    private final Params params;
    private final TeacherContext ctx;

    public KnapsackAllocator(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
    }

    /** value(N, p) = (1 − p^N − (1 − p)^N) · p · (1 − p)². */
    public static double value(int n, double p) {
        return (1 - StrictMath.pow(p, n) - StrictMath.pow(1 - p, n)) * p * (1 - p) * (1 - p);
    }

    @Override
    public void allocate(int[] tasks, int count, int[] rollouts) {
        double[] p = new double[count];
        for (int i = 0; i < count; i++) p[i] = ctx.passRates().lastPassRate(tasks[i]);
        int n = ctx.rollouts();
        int maxN = params.max() == 0 ? 4 * n : Math.max(params.max(), n);
        allocate(p, count, n, Math.min(params.min(), n), maxN, params.alpha(), rollouts);
    }

    /**
     * {@code p}: the task's last pass rate (NaN: never reported, so it got n); for an eligible task
     * (0 &lt; p &lt; 1) {@code cost} = cost_i and {@code value} = value(n_i, p_i) at the rollouts it
     * got; NaN for the others (they get min_n, or a share of what is left).
     */
    @Override
    public void explain(int task, int rollouts, java.util.Map<String, Double> out) {
        double p = ctx.passRates().lastPassRate(task);
        boolean eligible = p > 0 && p < 1;
        out.put("p", p);
        out.put("cost", eligible ? StrictMath.log(1 - params.alpha()) / StrictMath.log(Math.max(p, 1 - p)) : Double.NaN);
        out.put("value", eligible ? value(rollouts, p) : Double.NaN);
    }

    /**
     * The rule on plain numbers (NaN = unseen), for tests and other callers: writes n_i into
     * {@code out}; Σ n_i = count · n.
     */
    public static void allocate(double[] p, int count, int n, int minN, int maxN, double alpha, int[] out) {
        int budget = count * n;
        int[] eligible = new int[count];
        int e = 0;
        int zeros = 0;
        int sum = 0;
        for (int i = 0; i < count; i++) {
            if (Double.isNaN(p[i])) {
                out[i] = n;
            } else {
                out[i] = minN;
                if (p[i] > 0 && p[i] < 1) eligible[e++] = i;
                else if (p[i] <= 0) zeros++;
            }
            sum += out[i];
        }
        int r = budget - sum;
        if (e == 0) {
            if (zeros > 0) spread(out, count, r, i -> p[i] <= 0);
            else for (int i = 0; i < count; i++) out[i] = n;
            return;
        }
        long capacity = 0;
        for (int j = 0; j < e; j++) {
            double cost = StrictMath.log(1 - alpha) / StrictMath.log(Math.max(p[eligible[j]], 1 - p[eligible[j]]));
            capacity += (long) Math.floor(Math.min(maxN, cost));
        }
        if (capacity < r) {
            int extra = (int) (r - capacity);
            if (zeros > 0) spread(out, count, extra, i -> p[i] <= 0);
            else spread(out, count, extra, i -> Double.isNaN(p[i]) || p[i] >= 1);
            r = (int) capacity;
        }
        int k = maxN - minN;
        int w = (int) Math.min(r, (long) e * k);
        int[] extra = (long) e * (w + 1) * (k + 1) <= EXACT_LIMIT ? exact(p, eligible, e, w, k, minN) : greedy(p, eligible, e, w, k, minN);
        for (int j = 0; j < e; j++) out[eligible[j]] += extra[j];
        if (r - w > 0) spread(out, count, r - w, i -> !Double.isNaN(p[i]) && p[i] > 0 && p[i] < 1);
    }

    /** Multiple-choice knapsack: exactly w extra rollouts over the eligible tasks. */
    private static int[] exact(double[] p, int[] eligible, int e, int w, int k, int minN) {
        double[] best = new double[w + 1];
        double[] next = new double[w + 1];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        best[0] = 0;
        short[][] choice = new short[e][w + 1];
        // value(min_n + k_j, p_j) does not depend on `used`: computed once per task, not once per cell
        double[] gain = new double[k + 1];
        for (int j = 0; j < e; j++) {
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            double pj = p[eligible[j]];
            gain[0] = 0.0;
            for (int kj = 1; kj <= k; kj++) gain[kj] = value(minN + kj, pj);
            for (int used = 0; used <= w; used++) {
                if (best[used] == Double.NEGATIVE_INFINITY) continue;
                for (int kj = 0; kj <= k && used + kj <= w; kj++) {
                    double v = best[used] + gain[kj];
                    // strict '>' keeps the smallest k_j among equal values: deterministic
                    if (v > next[used + kj]) {
                        next[used + kj] = v;
                        choice[j][used + kj] = (short) kj;
                    }
                }
            }
            double[] t = best;
            best = next;
            next = t;
        }
        int[] extra = new int[e];
        int left = w;
        for (int j = e - 1; j >= 0; j--) {
            extra[j] = choice[j][left];
            left -= extra[j];
        }
        return extra;
    }

    /** Greedy by the largest marginal value of one more rollout. */
    private static int[] greedy(double[] p, int[] eligible, int e, int w, int k, int minN) {
        int[] extra = new int[e];
        // reached[j] = value(min_n + extra[j] + 1, p_j), computed when j was pushed: reused as the
        // base of j's next marginal instead of being recomputed
        double[] reached = new double[e];
        PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int j = 0; j < e; j++) {
            reached[j] = value(minN + 1, p[eligible[j]]);
            heap.add(new double[] {reached[j], j});
        }
        for (int given = 0; given < w && !heap.isEmpty(); given++) {
            double[] top = heap.poll();
            int j = (int) top[1];
            extra[j]++;
            if (extra[j] < k) {
                double pj = p[eligible[j]];
                double base = reached[j];
                reached[j] = value(minN + extra[j] + 1, pj);
                heap.add(new double[] {reached[j] - base, j});
            }
        }
        return extra;
    }

    /** Adds {@code amount} evenly over the tasks that {@code who} accepts, the remainder to the first ones. */
    private static void spread(int[] out, int count, int amount, java.util.function.IntPredicate who) {
        int m = 0;
        for (int i = 0; i < count; i++) if (who.test(i)) m++;
        if (m == 0) {
            for (int i = 0; i < count && amount > 0; i++) {
                out[i] += amount / count + (i < amount % count ? 1 : 0);
            }
            return;
        }
        int each = amount / m;
        int rest = amount % m;
        for (int i = 0; i < count; i++) {
            if (!who.test(i)) continue;
            out[i] += each + (rest-- > 0 ? 1 : 0);
        }
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
