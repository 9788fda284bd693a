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
 * With the flat prior this is exactly α ← 1 + γ(α − 1) + s, the rule of the spec. Columns: two
 * floats and an int per task, and the last report's pass rate (a float).
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
    private float[] successes = new float[16];
    private float[] failures = new float[16];
    private int[] tries = new int[16];
    private float[] last = new float[16];

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
        if (n > successes.length) {
            int cap = Math.max(n, successes.length * 2);
            successes = Arrays.copyOf(successes, cap);
            failures = Arrays.copyOf(failures, cap);
            tries = Arrays.copyOf(tries, cap);
            last = Arrays.copyOf(last, cap);
        }
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
        return a0 + successes[task];
    }

    public double beta(int task) {
        double m = priorMean(task);
        double b0 = Double.isNaN(m) ? 1.0 : 1.0 + params.priorStrength() * (1.0 - m);
        return b0 + failures[task];
    }

    /** Posterior mean α / (α + β). */
    public double mean(int task) {
        double a = alpha(task);
        return a / (a + beta(task));
    }

    /** Reports received for the task. */
    public int tries(int task) {
        return tries[task];
    }

    /** The pass rate of the task's last report (successes / rollouts); NaN before any report. */
    public double lastPassRate(int task) {
        return tries[task] == 0 ? Double.NaN : last[task];
    }

    /** Faded successes S (no prior). */
    public double successes(int task) {
        return successes[task];
    }

    /** Evidence mass S + F (rollouts, faded by forgetting). */
    public double evidence(int task) {
        return successes[task] + failures[task];
    }

    public void observe(ObservedBatch b) {
        double g = params.forgetting();
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            if (b.rollouts[i] == 0) continue; // a loss-only outcome says nothing of the pass rate
            // Rollouts generated with a hint say little of the unaided policy: the estimate is kept
            // for hint level 0 only (AdaptiveHint keeps its own per-level state).
            if (b.directives.get(i).getOrDefault("hint_level", 0.0) > 0) continue;
            successes[t] = (float) (g * successes[t] + b.successes[i]);
            failures[t] = (float) (g * failures[t] + (b.rollouts[i] - b.successes[i]));
            tries[t]++;
            last[t] = (float) (b.successes[i] / b.rollouts[i]);
        }
    }

    public long footprintBytes() {
        return 4 * 16L + 4L * successes.length + 4L * failures.length + 4L * tries.length + 4L * last.length;
    }

    public void write(SnapshotWriter w) {
        int n = pool.size();
        w.writeFloats(successes, n);
        w.writeFloats(failures, n);
        w.writeInts(tries, n);
        w.writeFloats(last, n);
    }

    public void read(SnapshotReader r) {
        float[] s = r.readFloats();
        float[] f = r.readFloats();
        int[] t = r.readInts();
        float[] l = r.readFloats();
        ensureCapacity(s.length);
        System.arraycopy(l, 0, last, 0, l.length);
        System.arraycopy(s, 0, successes, 0, s.length);
        System.arraycopy(f, 0, failures, 0, f.length);
        System.arraycopy(t, 0, tries, 0, t.length);
    }
}
