package io.proxima.core.estimate;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;

import java.util.Arrays;

/**
 * Per-task pass rate as a Beta posterior (shared/algorithms.md, "Pass-rate estimate per task").
 *
 * <pre>
 *   prior      Beta(1 + c·m, 1 + c·(1 − m)),  m = 1 − priorDifficulty of the task if known,
 *              else the group's pooled pass rate if it has reports, else Beta(1, 1)
 *   evidence   after a group of G rollouts with s successes (rewards in [0,1] count fractionally):
 *              S ← γ·S + s,  F ← γ·F + (G − s)          (γ = forgetting, applied before the update)
 *   posterior  Beta(α₀ + S, β₀ + F)
 * </pre>
 * With the flat prior this is exactly α ← 1 + γ(α − 1) + s, the rule of the spec. One 16-byte record per task
 * (S, F, last pass rate, tries), interleaved so that a report touches one cache line per task.
 */
public final class PassRates {
    /** Parameters. {@code priorStrength} c ≥ 0; {@code forgetting} γ in (0, 1], 1 = keep all evidence. */
    public record Params(double priorStrength, double forgetting) {
        /** c = 2 [INF, shared/algorithms/llm-rl.md §5 cold prompts]; γ = 1 (MoPPS decay 1.0 [CODE]). */
        public static final Params DEFAULTS = new Params(2.0, 1.0);

        public Params {
            if (!(priorStrength >= 0) || Double.isInfinite(priorStrength)) {
                throw new IllegalArgumentException("passRate.priorStrength must be finite and >= 0, got " + priorStrength);
            }
            if (!(forgetting > 0 && forgetting <= 1)) {
                throw new IllegalArgumentException("passRate.forgetting must be in (0, 1], got " + forgetting);
            }
        }
    }

    private final TaskPool pool;
    private final GroupStats groups;
    private final Params params;
    /**
     * One 16-byte record per task, interleaved so a report touches one cache line per task instead
     * of four: [S, F, last pass rate, tries (int bits)].
     */
    private float[] col = new float[16 * STRIDE];
    private static final int STRIDE = 4;
    private static final int S = 0, F = 1, LAST = 2, TRIES = 3;

    public PassRates(TaskPool pool, GroupStats groups, Params params) {
        this.pool = pool;
        this.groups = groups;
        this.params = params;
        ensureCapacity(pool.size());
    }

    public Params params() {
        return params;
    }

    public void ensureCapacity(int n) {
        if ((long) n * STRIDE > col.length) {
            long cap = Math.max((long) n * STRIDE, 2L * col.length);
            col = Arrays.copyOf(col, (int) Math.min(cap, Integer.MAX_VALUE - 8));
        }
    }

    private int triesOf(int task) {
        return Float.floatToRawIntBits(col[task * STRIDE + TRIES]);
    }

    /** The prior mean m for the task, NaN when there is no prior information. */
    public double priorMean(int task) {
        double d = pool.priorDifficulty(task);
        if (!Double.isNaN(d)) return 1.0 - d;
        return groups.pooledPassRate(pool.group(task));
    }

    public double alpha(int task) {
        double m = priorMean(task);
        double a0 = Double.isNaN(m) ? 1.0 : 1.0 + params.priorStrength() * m;
        return a0 + col[task * STRIDE + S];
    }

    public double beta(int task) {
        double m = priorMean(task);
        double b0 = Double.isNaN(m) ? 1.0 : 1.0 + params.priorStrength() * (1.0 - m);
        return b0 + col[task * STRIDE + F];
    }

    /** Posterior mean α / (α + β). */
    public double mean(int task) {
        double a = alpha(task);
        return a / (a + beta(task));
    }

    /** Reports received for the task. */
    public int tries(int task) {
        return triesOf(task);
    }

    /** The pass rate of the task's last report (successes / rollouts); NaN before any report. */
    public double lastPassRate(int task) {
        return triesOf(task) == 0 ? Double.NaN : col[task * STRIDE + LAST];
    }

    /** Faded successes S (no prior). */
    public double successes(int task) {
        return col[task * STRIDE + S];
    }

    /** Evidence mass S + F (rollouts, faded by forgetting). */
    public double evidence(int task) {
        return col[task * STRIDE + S] + col[task * STRIDE + F];
    }

    /**
     * Fades the task's failure evidence: F ← keep · F, keep in [0, 1] (a parent credited with its
     * children's progress, {@code ParentCredit}). Successes and tries are kept.
     */
    public void discountFailures(int task, double keep) {
        if (!(keep >= 0 && keep <= 1)) throw new IllegalArgumentException("keep must be in [0, 1], got " + keep);
        int k = task * STRIDE + F;
        col[k] = (float) (keep * col[k]);
    }

    public void observe(ObservedBatch b) {
        double g = params.forgetting();
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            if (b.rollouts[i] == 0) continue; // a loss-only outcome says nothing of the pass rate
            // Rollouts generated with a hint say little of the unaided policy: the estimate is kept
            // for hint level 0 only (AdaptiveHint keeps its own per-level state).
            if (b.hinted[i]) continue;
            int k = t * STRIDE;
            col[k + S] = (float) (g * col[k + S] + b.successes[i]);
            col[k + F] = (float) (g * col[k + F] + (b.rollouts[i] - b.successes[i]));
            col[k + LAST] = (float) (b.successes[i] / b.rollouts[i]);
            col[k + TRIES] = Float.intBitsToFloat(Float.floatToRawIntBits(col[k + TRIES]) + 1);
        }
    }

    public long footprintBytes() {
        return 16L + 4L * col.length;
    }

    public void write(SnapshotWriter w) {
        // The byte format keeps one array per field (independent of the in-memory layout).
        int n = pool.size();
        float[] s = new float[n], f = new float[n], l = new float[n];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = col[i * STRIDE + S];
            f[i] = col[i * STRIDE + F];
            t[i] = triesOf(i);
            l[i] = col[i * STRIDE + LAST];
        }
        w.writeFloats(s, n);
        w.writeFloats(f, n);
        w.writeInts(t, n);
        w.writeFloats(l, n);
    }

    public void read(SnapshotReader r) {
        float[] s = r.readFloats();
        float[] f = r.readFloats();
        int[] t = r.readInts();
        float[] l = r.readFloats();
        if (f.length != s.length || t.length != s.length || l.length != s.length) {
            throw new IllegalArgumentException("corrupt snapshot: pass-rate columns of different lengths");
        }
        ensureCapacity(s.length);
        for (int i = 0; i < s.length; i++) {
            col[i * STRIDE + S] = s[i];
            col[i * STRIDE + F] = f[i];
            col[i * STRIDE + LAST] = l[i];
            col[i * STRIDE + TRIES] = Float.intBitsToFloat(t[i]);
        }
    }
}
