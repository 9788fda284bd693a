package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps any continuous teacher with ACCEL-style edits ({@link Mutation}): it keeps a bounded FIFO
 * of the last {@code bufferSize} observed (task, return, score) triples and, with probability
 * {@code share}, proposes an edit of a top-scoring buffered task instead of asking the teacher.
 *
 * <pre>
 *   observe(p, r):  teacher.observe(p, r);  s = score(p, r);  buffer ← buffer + (p, r, s)
 *   propose():      if share &gt; 0 and buffer ≠ ∅ and U &lt; share:
 *                       q = uniform among the top min(top, |buffer|) by s (ties → newer)
 *                       p_a = clip(q_a + scale · (high_a − low_a) · N(0, 1))   for each dimension a
 *                   else teacher.propose()
 * </pre>
 * Draws come from the curriculum's generator in this order: U, the pick, then one Gaussian per
 * dimension. With {@code share = 0} or an empty buffer nothing is drawn, so the proposals are the
 * teacher's own. Scores are fixed when a task is observed (ACCEL rescores a level when it is
 * replayed; here a replayed edit enters the buffer as a new task with its own score).
 */
public final class MutatingTeacher implements ContinuousTeacher {
    /** The configuration of a teacher with edits: {@code type} is the wrapped teacher's. */
    public record Params(ContinuousTeacher.Params teacher, Mutation mutation) implements ContinuousTeacher.Params {
        public Params {
            if (teacher == null || mutation == null) throw new IllegalArgumentException("teacher and mutation are required");
            if (teacher instanceof Params) throw new IllegalArgumentException("a teacher takes one mutation");
        }

        @Override
        public String type() {
            return teacher.type();
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new MutatingTeacher(teacher.create(space, rng), mutation, space, rng);
        }
    }

    private final ContinuousTeacher teacher;
    private final Mutation mutation;
    private final ParameterSpace space;
    private final Rng rng;
    private final int d;
    private final int cap;
    /** Ring of the buffer: triple i (0 = oldest) lives at slot (start + i) mod cap. */
    private final double[] tasks;
    private final double[] returns;
    private final double[] scores;
    private int start;
    private int size;
    private long proposals;
    private long edits;
    private final int[] best;

    public MutatingTeacher(ContinuousTeacher teacher, Mutation mutation, ParameterSpace space, Rng rng) {
        this.teacher = teacher;
        this.mutation = mutation;
        this.space = space;
        this.rng = rng;
        this.d = space.dims();
        this.cap = mutation.bufferSize();
        this.tasks = new double[cap * d];
        this.returns = new double[cap];
        this.scores = new double[cap];
        this.best = new int[mutation.top()];
    }

    /** The wrapped teacher. */
    public ContinuousTeacher teacher() {
        return teacher;
    }

    /** Proposals so far, and how many of them were edits. */
    public long proposals() {
        return proposals;
    }

    public long edits() {
        return edits;
    }

    public int bufferSize() {
        return size;
    }

    /** The score of the i-th oldest buffered task. */
    public double score(int i) {
        return scores[slot(i)];
    }

    /** A copy of the i-th oldest buffered task. */
    public double[] buffered(int i) {
        double[] p = new double[d];
        System.arraycopy(tasks, slot(i) * d, p, 0, d);
        return p;
    }

    private int slot(int i) {
        int s = start + i;
        return s >= cap ? s - cap : s;
    }

    @Override
    public void propose(double[] out) {
        proposals++;
        if (mutation.share() > 0 && size > 0 && rng.nextDouble() < mutation.share()) {
            int k = topSlots();
            int parent = best[k == 1 ? 0 : rng.nextInt(k)];
            for (int a = 0; a < d; a++) out[a] = tasks[parent * d + a] + mutation.scale() * space.range(a) * rng.nextGaussian();
            space.clip(out);
            edits++;
            return;
        }
        teacher.propose(out);
    }

    /**
     * Fills {@code best[0 .. k)} with the slots of the k = min(top, size) highest scores, newest
     * first among equals; returns k. O(size · k), bounded by the configuration.
     */
    private int topSlots() {
        int k = Math.min(mutation.top(), size);
        int held = 0;
        for (int i = size - 1; i >= 0; i--) { // newest first: a tie never displaces a newer task
            int s = slot(i);
            double v = scores[s];
            if (held < k) {
                int j = held++;
                while (j > 0 && scores[best[j - 1]] < v) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = s;
            } else if (v > scores[best[k - 1]]) {
                int j = k - 1;
                while (j > 0 && scores[best[j - 1]] < v) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = s;
            }
        }
        return k;
    }

    @Override
    public void observe(double[] task, double reward) {
        teacher.observe(task, reward);
        double s = mutation.score() == Mutation.Score.REGRET ? 1.0 - reward : progress(task, reward);
        int slot;
        if (size < cap) {
            slot = slot(size);
            size++;
        } else {
            slot = start;
            start = start + 1 == cap ? 0 : start + 1;
        }
        System.arraycopy(task, 0, tasks, slot * d, d);
        returns[slot] = reward;
        scores[slot] = s;
    }

    /** |r − r'|, r' the return of the nearest buffered task (first of equals: oldest); 0 when empty. */
    private double progress(double[] task, double reward) {
        int nearest = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            double dist = 0;
            for (int a = 0; a < d; a++) {
                double z = (tasks[s * d + a] - task[a]) / space.range(a);
                dist += z * z;
            }
            if (dist < bestDist) {
                bestDist = dist;
                nearest = s;
            }
        }
        return nearest < 0 ? 0.0 : Math.abs(reward - returns[nearest]);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>(teacher.view());
        m.put("mutationEdits", (double) edits);
        m.put("mutationEditShare", proposals == 0 ? Double.NaN : (double) edits / proposals);
        m.put("mutationBuffer", (double) size);
        double top = Double.NaN;
        for (int i = 0; i < size; i++) top = Double.isNaN(top) ? scores[slot(i)] : Math.max(top, scores[slot(i)]);
        m.put("mutationTopScore", top);
        return m;
    }

    /** The teacher's state, then: proposals, edits, and the buffer oldest first (tasks, returns, scores). */
    @Override
    public void writeState(SnapshotWriter w) {
        teacher.writeState(w);
        w.writeLong(proposals);
        w.writeLong(edits);
        double[] t = new double[size * d];
        double[] r = new double[size];
        double[] s = new double[size];
        for (int i = 0; i < size; i++) {
            int k = slot(i);
            System.arraycopy(tasks, k * d, t, i * d, d);
            r[i] = returns[k];
            s[i] = scores[k];
        }
        w.writeDoubles(t, t.length);
        w.writeDoubles(r, r.length);
        w.writeDoubles(s, s.length);
    }

    @Override
    public void readState(SnapshotReader r) {
        teacher.readState(r);
        long p = r.readLong();
        long e = r.readLong();
        if (p < 0 || e < 0 || e > p) throw new IllegalArgumentException("corrupt snapshot: mutation counts " + e + " edits of " + p + " proposals");
        double[] t = r.readDoubles();
        double[] ret = r.readDoubles();
        double[] s = r.readDoubles();
        int n = ret.length;
        if (n > cap || s.length != n || t.length != n * d) {
            throw new IllegalArgumentException("corrupt snapshot: mutation buffer of " + n + " returns, " + s.length + " scores, "
                    + t.length + " coordinates (bufferSize " + cap + ", " + d + " dimensions)");
        }
        proposals = p;
        edits = e;
        start = 0;
        size = n;
        System.arraycopy(t, 0, tasks, 0, t.length);
        System.arraycopy(ret, 0, returns, 0, n);
        System.arraycopy(s, 0, scores, 0, n);
    }
}
