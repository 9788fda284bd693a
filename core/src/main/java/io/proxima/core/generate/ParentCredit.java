package io.proxima.core.generate;

import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.Lineage;

import java.util.Arrays;

/**
 * Credits a parent with its children's progress, so that a hard task whose easier variants become
 * learnable is not written off (issue 16).
 *
 * <pre>
 *   a report of child c with pass rate p̂ after a previous report p̂_prev (same task, unaided):
 *     g = p̂ − p̂_prev                    the child's progress; only g > 0 is credited
 *     for the k-th ancestor a of c (k = 1 the parent, up to k = 64):
 *       credit(a) += c^k · g             shown in stats and listings
 *       F_a ← (1 − c^k · g) · F_a        a's failure evidence fades ({@link PassRates#discountFailures})
 * </pre>
 * Why failures fade: the learner that failed the parent is not the learner that now solves its
 * easier variants, so the old zeros are stale evidence. The parent's pass-rate posterior moves up
 * and back towards its prior, so every teacher that reads it (ODF's band, Knapsack, GVM, CurES,
 * the explain numbers) tries the parent again instead of ranking it hopeless; its own reports
 * then say whether it became learnable. Successes are kept: a parent that was solved stays so. [INF]
 *
 * <p>Reads each child's previous pass rate: call before the pass rates take the batch in.
 */
public final class ParentCredit {
    /** Ancestors credited above a child, at most: bounds a report's work on a long chain uploaded by hand. */
    public static final int MAX_ANCESTORS = 64;
    private final double share;
    private final PassRates passRates;
    private final Lineage lineage;
    private float[] credit = new float[0];

    public ParentCredit(double share, PassRates passRates, Lineage lineage) {
        this.share = share;
        this.passRates = passRates;
        this.lineage = lineage;
    }

    public void observe(ObservedBatch b) {
        if (share == 0 || !lineage.any()) return;
        for (int i = 0; i < b.size; i++) {
            int c = b.task[i];
            if (b.rollouts[i] == 0 || b.hinted[i]) continue;
            int p = lineage.parent(c);
            if (p < 0) continue;
            double previous = passRates.lastPassRate(c);
            double g = b.passRate[i] - previous;
            if (!(g > 0)) continue; // NaN (first report) or no progress
            double w = share;
            for (int k = 1; p >= 0 && k <= MAX_ANCESTORS; p = lineage.parent(p), w *= share, k++) {
                double x = w * g;
                if (p >= credit.length) credit = Arrays.copyOf(credit, Math.max(p + 1, 2 * credit.length));
                credit[p] += (float) x;
                passRates.discountFailures(p, 1 - x);
            }
        }
    }

    /** The progress credited to a task by its descendants so far. */
    public double credit(int task) {
        return task < credit.length ? credit[task] : 0;
    }

    public long footprintBytes() {
        return 16L + 4L * credit.length;
    }

    /** {@code floats credit} over the pool's n tasks. */
    public void write(SnapshotWriter w, int n) {
        w.writeFloats(Arrays.copyOf(credit, n), n);
    }

    public void read(SnapshotReader r, int n) {
        float[] f = r.readFloats();
        if (f.length != n) throw new IllegalArgumentException("corrupt snapshot: credit column of " + f.length + " for " + n + " tasks");
        credit = f;
    }
}
