package io.proxima.core.generate;

import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.IntList;
import io.proxima.core.space.Lineage;
import io.proxima.core.space.TaskPool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides which tasks the trainer is asked to derive new tasks from (issue 16, discrete pools):
 * an easier variant of a task that stays unsolved, another variant of a task in the learnable
 * band — CLPO's adaptive problem restructuring (arXiv 2509.25004) as requests in the {@code next}
 * answer, the trainer doing the rewriting. Composes with any recipe: it reads the pass-rate
 * evidence every curriculum keeps and never touches the teacher's draw.
 *
 * <pre>
 *   rate(t)     = S_t / (S_t + F_t)            observed pass rate (faded successes over rollouts; {@link PassRates})
 *   kind(t)     = simplify  if tries(t) ≥ minReports and rate(t) ≤ simplifyAtMost
 *               = vary      if tries(t) ≥ minReports and varyLow ≤ rate(t) ≤ varyHigh
 *   askable(t)  = asked(t) < perParent and depth(t) < maxDepth
 *                 and (asked(t) = 0 or tries(t) − tries at the last request ≥ minReports)   (fresh evidence)
 *   report:  each reported task with a kind that is askable joins its kind's FIFO queue (once)
 *   next:    up to perBatch requests: simplify's queue first, then vary's, oldest first; a task
 *            whose kind changed or that is no longer askable is dropped (a later report re-queues it)
 * </pre>
 * Deterministic from the event order alone: no generator draw, so turning generation on never
 * changes which tasks the teacher draws from a given pool. Only reports queue and only {@code next}
 * dequeues, so replaying the log reproduces every request.
 *
 * <p>Columns per task, sized with the pool: {@code asked} (byte), {@code queued} (byte),
 * {@code askedAt} (int): 6 bytes.
 */
public final class Generation {
    private final GenerationParams params;
    private final TaskPool pool;
    private final PassRates passRates;
    private final Lineage lineage;
    private byte[] asked = new byte[0];
    private byte[] queued = new byte[0];
    private int[] askedAt = new int[0];
    private final Fifo[] queues = {new Fifo(), new Fifo()};
    private final long[] requested = new long[Derivation.values().length];

    public Generation(GenerationParams params, TaskPool pool, PassRates passRates, Lineage lineage) {
        this.params = params;
        this.pool = pool;
        this.passRates = passRates;
        this.lineage = lineage;
    }

    public GenerationParams params() {
        return params;
    }

    private void ensureCapacity(int n) {
        if (n <= asked.length) return;
        int cap = Math.max(n, 2 * asked.length);
        asked = Arrays.copyOf(asked, cap);
        queued = Arrays.copyOf(queued, cap);
        askedAt = Arrays.copyOf(askedAt, cap);
    }

    /** The kind of request the task's evidence calls for now, or null. */
    public Derivation kind(int t) {
        int tries = passRates.tries(t);
        double evidence = passRates.evidence(t);
        if (tries < params.minReports() || !(evidence > 0)) return null;
        double rate = passRates.successes(t) / evidence;
        if (params.asks(Derivation.SIMPLIFY) && rate <= params.simplifyAtMost()) return Derivation.SIMPLIFY;
        if (params.asks(Derivation.VARY) && rate >= params.varyLow() && rate <= params.varyHigh()) return Derivation.VARY;
        return null;
    }

    private boolean askable(int t) {
        int a = t < asked.length ? asked[t] : 0;
        if (a >= params.perParent() || lineage.depth(t, params.maxDepth()) >= params.maxDepth()) return false;
        return a == 0 || passRates.tries(t) - askedAt[t] >= params.minReports();
    }

    /** After the pass rates took the batch in: queues the reported tasks that now call for a request. */
    public void observe(ObservedBatch b) {
        if (params.perBatch() == 0) return;
        ensureCapacity(pool.size());
        for (int i = 0; i < b.size; i++) {
            int t = b.task[i];
            if (queued[t] != 0) continue;
            Derivation k = kind(t);
            if (k == null || !askable(t)) continue;
            queued[t] = 1;
            queues[k.ordinal()].push(t);
        }
    }

    /** The requests of one {@code next} answer (updates the counters: call once per next). */
    public List<GenerateRequest> requests() {
        if (params.perBatch() == 0) return List.of();
        ensureCapacity(pool.size());
        List<GenerateRequest> out = null;
        for (Derivation k : Derivation.values()) {
            Fifo q = queues[k.ordinal()];
            while (q.size() > 0 && (out == null || out.size() < params.perBatch())) {
                int t = q.pop();
                queued[t] = 0;
                if (kind(t) != k || !askable(t)) continue;
                asked[t]++;
                askedAt[t] = passRates.tries(t);
                requested[k.ordinal()]++;
                if (out == null) out = new ArrayList<>(params.perBatch());
                out.add(new GenerateRequest(pool.id(t), k));
            }
        }
        return out == null ? List.of() : out;
    }

    /** Requests made so far of a kind. */
    public long requested(Derivation k) {
        return requested[k.ordinal()];
    }

    /** Requests made so far for the task. */
    public int asked(int t) {
        return t < asked.length ? asked[t] : 0;
    }

    /** Tasks waiting in the queues. */
    public int waiting() {
        return queues[0].size() + queues[1].size();
    }

    public long footprintBytes() {
        return 64L + 6L * asked.length + queues[0].footprintBytes() + queues[1].footprintBytes();
    }

    /** {@code longs requested, ints asked, ints askedAt} (over the pool's n tasks), then each queue's ints, oldest first. */
    public void write(SnapshotWriter w, int n) {
        ensureCapacity(n);
        w.writeLongs(requested, requested.length);
        int[] a = new int[n];
        for (int t = 0; t < n; t++) a[t] = asked[t];
        w.writeInts(a, n);
        w.writeInts(askedAt, n);
        for (Fifo q : queues) {
            int[] items = q.toArray();
            w.writeInts(items, items.length);
        }
    }

    public void read(SnapshotReader r, int n) {
        long[] req = r.readLongs();
        int[] a = r.readInts();
        int[] at = r.readInts();
        if (req.length != requested.length || a.length != n || at.length != n) {
            throw new IllegalArgumentException("corrupt snapshot: generation columns of " + a.length + "/" + at.length + " for " + n + " tasks");
        }
        System.arraycopy(req, 0, requested, 0, req.length);
        ensureCapacity(n);
        for (int t = 0; t < n; t++) {
            if (a[t] < 0 || a[t] > GenerationParams.MAX_PER_PARENT) throw new IllegalArgumentException("corrupt snapshot: task " + t + " asked " + a[t]);
            asked[t] = (byte) a[t];
            askedAt[t] = at[t];
        }
        for (Fifo q : queues) {
            for (int t : r.readInts()) {
                if (t < 0 || t >= n || queued[t] != 0) throw new IllegalArgumentException("corrupt snapshot: queued task " + t);
                queued[t] = 1;
                q.push(t);
            }
        }
    }

    /** A FIFO of dense ids over a growable array; the consumed head is compacted away once it is half the array. */
    private static final class Fifo {
        private final IntList items = new IntList();
        private int head;

        int size() {
            return items.size() - head;
        }

        void push(int t) {
            items.add(t);
        }

        int pop() {
            int t = items.get(head++);
            if (head == items.size()) {
                items.clear();
                head = 0;
            } else if (head >= 1024 && head * 2 >= items.size()) {
                int[] rest = Arrays.copyOfRange(items.raw(), head, items.size());
                items.clear();
                for (int x : rest) items.add(x);
                head = 0;
            }
            return t;
        }

        int[] toArray() {
            return Arrays.copyOfRange(items.raw(), head, items.size());
        }

        long footprintBytes() {
            return items.footprintBytes();
        }
    }
}
