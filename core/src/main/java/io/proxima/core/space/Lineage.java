package io.proxima.core.space;

import io.proxima.core.Unicode;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which task of a discrete pool was generated from which: the parent of each generated task and
 * how it derives from it ({@link Derivation}), plus each task's number of children.
 *
 * <p><b>Invariants.</b> A parent is added before its children (it is in the pool, or earlier in
 * the same upload), so every link points to a smaller dense id: the links form a forest, never a
 * cycle, and {@link #depth} terminates. Links never change once added (tasks are never removed).
 *
 * <p><b>Columns, allocated lazily.</b> {@code parent[t]} (-1 = none), {@code derivation[t]}
 * ({@link Derivation#code}, 0 = none), {@code children[t]}: 9 bytes per task, and none at all until
 * the first linked task is added — a pool without generated tasks pays nothing.
 */
public final class Lineage {
    private int[] parent;
    private byte[] derivation;
    private int[] children;
    private int linked;
    private int parents;

    /**
     * Checks the links of a batch of new tasks against the pool without changing anything; throws
     * naming the task's index and field ({@code tasks[3].parent}, {@code tasks[3].kind}).
     */
    public static void validate(List<TaskSpec> specs, TaskPool pool) {
        Map<String, Integer> index = null;
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            if (s == null || !s.linked()) continue;
            String where = "tasks[" + i + "]";
            if (s.parent() == null) {
                throw new IllegalArgumentException(where + ".parent is missing: a task with a kind (" + s.derivation().key()
                        + ") names the task it was generated from");
            }
            Unicode.require(s.parent(), where + ".parent");
            if (s.derivation() == null) {
                throw new IllegalArgumentException(where + ".kind is missing: a task with a parent says how it derives from it ("
                        + Derivation.keys() + ")");
            }
            if (s.parent().equals(s.id())) {
                throw new IllegalArgumentException(where + ".parent '" + s.parent() + "' is the task itself: a task cannot derive from itself");
            }
            if (pool.find(s.parent()) >= 0) continue;
            if (index == null) {
                index = new HashMap<>();
                for (int k = 0; k < specs.size(); k++) if (specs.get(k) != null && specs.get(k).id() != null) index.putIfAbsent(specs.get(k).id(), k);
            }
            Integer j = index.get(s.parent());
            if (j == null) throw new IllegalArgumentException(where + ".parent '" + s.parent() + "' is not in the pool");
            if (j > i) {
                throw new IllegalArgumentException(where + ".parent '" + s.parent() + "' comes later in this upload (tasks[" + j
                        + "]): a parent must be in the pool or earlier in the upload, so links never form a cycle");
            }
        }
    }

    /**
     * The groups of {@code specs} with each derived task that names no group given its parent's
     * (the parent in the pool, or earlier in the same upload). Returns {@code specs} itself when
     * nothing changes. Call after {@link #validate}.
     */
    public static List<TaskSpec> inheritGroups(List<TaskSpec> specs, TaskPool pool) {
        boolean any = false;
        for (TaskSpec s : specs) any |= s.parent() != null;
        if (!any) return specs; // the common upload: no map of its ids
        List<TaskSpec> out = null;
        Map<String, String> groupOfNew = null;
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            if (s.parent() != null && s.group().isEmpty()) {
                int p = pool.find(s.parent());
                String g = p >= 0 ? pool.groupName(pool.group(p)) : groupOfNew == null ? "" : groupOfNew.getOrDefault(s.parent(), "");
                if (!g.isEmpty()) {
                    if (out == null) out = new java.util.ArrayList<>(specs);
                    s = new TaskSpec(s.id(), g, s.priorDifficulty(), s.features(), s.parent(), s.derivation());
                    out.set(i, s);
                }
            }
            if (groupOfNew == null) groupOfNew = new HashMap<>();
            groupOfNew.put(s.id(), s.group());
        }
        return out == null ? specs : out;
    }

    /** Records the links of tasks just added to {@code pool} (validated), the first at dense id {@code first}. */
    public void add(int first, List<TaskSpec> specs, TaskPool pool) {
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            if (s.parent() == null) continue;
            int t = first + i;
            int p = pool.find(s.parent());
            ensureCapacity(pool.size());
            parent[t] = p;
            derivation[t] = s.derivation().code;
            if (children[p]++ == 0) parents++;
            linked++;
        }
    }

    private void ensureCapacity(int n) {
        if (parent == null) {
            int cap = Math.max(16, n);
            parent = new int[cap];
            Arrays.fill(parent, -1);
            derivation = new byte[cap];
            children = new int[cap];
        } else if (n > parent.length) {
            int old = parent.length;
            int cap = Math.max(n, 2 * old);
            parent = Arrays.copyOf(parent, cap);
            Arrays.fill(parent, old, cap, -1);
            derivation = Arrays.copyOf(derivation, cap);
            children = Arrays.copyOf(children, cap);
        }
    }

    /** Whether any task has a parent. */
    public boolean any() {
        return linked > 0;
    }

    /** The parent's dense id, or -1. */
    public int parent(int task) {
        return parent == null || task >= parent.length ? -1 : parent[task];
    }

    /** How the task derives from its parent, or null. */
    public Derivation derivation(int task) {
        return parent == null || task >= parent.length ? null : Derivation.ofCode(derivation[task]);
    }

    /** Tasks generated from this one. */
    public int children(int task) {
        return children == null || task >= children.length ? 0 : children[task];
    }

    /** Links above the task: 0 for a task that derives from none. */
    public int depth(int task) {
        return depth(task, Integer.MAX_VALUE);
    }

    /** {@link #depth}, counting at most {@code cap} links (a chain uploaded by hand may be long: hot paths stop early). */
    public int depth(int task, int cap) {
        int d = 0;
        for (int p = parent(task); p >= 0 && d < cap; p = parent(p)) d++;
        return d;
    }

    /** Tasks with a parent. */
    public int linked() {
        return linked;
    }

    /** Tasks with at least one child. */
    public int parents() {
        return parents;
    }

    public long footprintBytes() {
        return parent == null ? 16 : 16L + 9L * parent.length;
    }

    /** {@code int linked}, then when > 0: {@code ints parent, ints derivation} over the pool's {@code n} tasks (children are recounted). */
    public void write(SnapshotWriter w, int n) {
        w.writeInt(linked);
        if (linked == 0) return;
        w.writeInts(parent, n);
        int[] d = new int[n];
        for (int t = 0; t < n; t++) d[t] = derivation[t];
        w.writeInts(d, n);
    }

    public void read(SnapshotReader r, int n) {
        int count = r.readInt();
        if (count == 0) return;
        int[] p = r.readInts();
        int[] d = r.readInts();
        if (p.length != n || d.length != n) throw new IllegalArgumentException("corrupt snapshot: lineage columns of " + p.length + "/" + d.length + " for " + n + " tasks");
        ensureCapacity(n);
        for (int t = 0; t < n; t++) {
            if (p[t] < -1 || p[t] >= t) throw new IllegalArgumentException("corrupt snapshot: task " + t + " has parent " + p[t]);
            if (p[t] < 0) continue;
            if (d[t] != (byte) d[t] || Derivation.ofCode((byte) d[t]) == null) throw new IllegalArgumentException("corrupt snapshot: task " + t + " has derivation " + d[t]);
            parent[t] = p[t];
            derivation[t] = (byte) d[t];
            if (children[p[t]]++ == 0) parents++;
            linked++;
        }
        if (linked != count) throw new IllegalArgumentException("corrupt snapshot: " + linked + " linked tasks, header says " + count);
    }
}
