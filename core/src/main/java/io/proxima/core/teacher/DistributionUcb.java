package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;
import java.util.Set;
import io.proxima.core.outcome.Signal;

/**
 * DUMP — distribution-level curriculum with UCB (Wang et al. 2025, "DUMP: Automated
 * Distribution-Level Curriculum Learning for RL-based LLM Post-training", arXiv:2504.09710).
 *
 * <pre>
 *   W_j      = the last 300 per-trajectory advantages of group j;  n_j = trajectories ever seen
 *   μ_j      = mean(|a| for a in W_j)                              (0 if never seen)
 *   N        = max(1, Σ_j n_j)
 *   score_j  = μ_j + c·sqrt(2·ln(N + 1) / (n_j + 1))              c = 1.0
 *   w_j      = exp((score_j − max score)/T) / Σ_k exp((score_k − max score)/T),   T = 0.1
 * </pre>
 * [CODE ZhentingWang/DUMP verl/utils/curriculum_learning.py]. The reference then draws problems
 * with replacement inside a source; here the item policy decides ({@code walk} by default, to
 * bound repetition).
 */
public final class DistributionUcb implements GroupPolicy {
    /**
     * @param window per-group sliding window of trajectory advantages (300 [CODE])
     * @param exploration UCB weight c (1.0 [CODE])
     * @param temperature softmax temperature T (0.1 [CODE])
     * @param progressGate multiply μ_j by group j's learnability (GroupProgress): a source whose
     *     pass rates do not move on revisits — a broken verifier's coin flips, content beyond reach —
     *     stops looking learnable even though its |A| stays high (true [INF]; false = the paper)
     * @param gateFloor the smallest weight the gate gives (0.1 [INF])
     */
    public record Params(int window, double exploration, double temperature, boolean progressGate, double gateFloor) {
        public static final Params DEFAULTS = new Params(300, 1.0, 0.1, true, 0.1);

        public Params(int window, double exploration, double temperature) {
            this(window, exploration, temperature, DEFAULTS.progressGate(), DEFAULTS.gateFloor());
        }
    }

    public static final ComponentType<Params, DistributionUcb> TYPE = ComponentType.of(node -> new Params(
            node.integer("window", Params.DEFAULTS.window(), 1, 1 << 20),
            node.number("exploration", Params.DEFAULTS.exploration(), 0, 1e6),
            node.number("temperature", Params.DEFAULTS.temperature(), 1e-6, 1e6),
            node.bool("progressGate", Params.DEFAULTS.progressGate()),
            node.number("gateFloor", Params.DEFAULTS.gateFloor(), 0, 1)), DistributionUcb::new);

    private final Params params;
    private final TaskPool pool;
    private final TeacherContext ctx;
    /** Ring buffers: group j's window is {@code windows[j·window .. (j+1)·window)}. */
    private double[] windows = new double[0];
    private int[] filled = new int[0];
    private int[] next = new int[0];
    private long[] seen = new long[0];

    public DistributionUcb(Params params, TeacherContext ctx) {
        this.params = params;
        this.pool = ctx.pool();
        this.ctx = ctx;
    }

    private void ensure(int n) {
        if (n > seen.length) {
            int cap = Math.max(n, 2 * seen.length);
            windows = Arrays.copyOf(windows, cap * params.window());
            filled = Arrays.copyOf(filled, cap);
            next = Arrays.copyOf(next, cap);
            seen = Arrays.copyOf(seen, cap);
        }
    }

    /** μ_j: mean |a| over the group's window, 0 before any trajectory. */
    public double meanAbsAdvantage(int j) {
        if (j >= seen.length || filled[j] == 0) return 0.0;
        // Recomputed from the window rather than from the running sum, so rounding cannot drift.
        double s = 0;
        int base = j * params.window();
        for (int k = 0; k < filled[j]; k++) s += Math.abs(windows[base + k]);
        return s / filled[j];
    }

    /** UCB score of group j. */
    public double score(int j) {
        return score(j, totalSeen());
    }

    private long totalSeen() {
        long total = 0;
        for (int k = 0; k < Math.min(pool.groupCount(), seen.length); k++) total += seen[k];
        return total;
    }

    private double score(int j, long total) {
        double n = Math.max(1, total);
        long nj = j < seen.length ? seen[j] : 0;
        double gate = params.progressGate() ? ctx.groupProgress().learnability(j, params.gateFloor()) : 1.0;
        return gate * meanAbsAdvantage(j) + params.exploration() * Math.sqrt(2 * StrictMath.log(n + 1) / (nj + 1));
    }

    @Override
    public void probabilities(double[] out) {
        int g = pool.groupCount();
        ensure(g);
        double max = Double.NEGATIVE_INFINITY;
        long total = totalSeen();
        for (int j = 0; j < g; j++) {
            out[j] = score(j, total);
            if (pool.groupSize(j) > 0) max = Math.max(max, out[j]);
        }
        double z = 0;
        for (int j = 0; j < g; j++) {
            out[j] = pool.groupSize(j) > 0 ? StrictMath.exp((out[j] - max) / params.temperature()) : 0.0;
            z += out[j];
        }
        for (int j = 0; j < g; j++) out[j] = z > 0 ? out[j] / z : 0.0;
    }

    @Override
    public void observe(ObservedBatch b) {
        ensure(pool.groupCount());
        int w = params.window();
        for (int i = 0; i < b.size; i++) {
            int j = b.group[i];
            for (int t = b.offset[i]; t < b.offset[i + 1]; t++) {
                windows[j * w + next[j]] = b.advantage[t];
                next[j] = (next[j] + 1) % w;
                if (filled[j] < w) filled[j]++;
                seen[j]++;
            }
        }
    }

    @Override
    public void scores(double[] out) {
        long total = totalSeen();
        for (int j = 0; j < pool.groupCount(); j++) out[j] = score(j, total);
    }

    @Override
    public void writeState(SnapshotWriter w) {
        int g = pool.groupCount();
        ensure(g);
        w.writeDoubles(windows, g * params.window());
        w.writeInts(filled, g);
        w.writeInts(next, g);
        w.writeLongs(seen, g);
    }

    @Override
    public void readState(SnapshotReader r) {
        double[] win = r.readDoubles();
        int[] f = r.readInts();
        int[] nx = r.readInts();
        long[] s = r.readLongs();
        ensure(f.length);
        System.arraycopy(win, 0, windows, 0, win.length);
        System.arraycopy(f, 0, filled, 0, f.length);
        System.arraycopy(nx, 0, next, 0, nx.length);
        System.arraycopy(s, 0, seen, 0, s.length);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
