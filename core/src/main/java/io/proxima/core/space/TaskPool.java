package io.proxima.core.space;

import io.proxima.core.Unicode;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A discrete task space: a pool of tasks with external string ids, each in one group, with an
 * optional prior difficulty and an optional feature vector of the pool's fixed dimension.
 *
 * <p>Columns, not objects: task {@code t} (a dense int id, in order of addition) has
 * {@code groupOf[t]}, {@code prior[t]} (NaN = unknown) and {@code features[t·dim .. t·dim+dim)}.
 * Groups are numbered in order of first appearance; {@code members(g)} lists a group's tasks
 * (its order is owned by the group's walk, see {@code EpochWalk}).
 *
 * <p>Tasks can be added at any time; none is ever removed (dense ids stay stable, so every
 * per-task column of the estimators and teachers stays aligned).
 */
public final class TaskPool {
    private final int featureDim;
    private final IdIndex ids = new IdIndex();
    private int[] groupOf = new int[16];
    private float[] prior = new float[16];
    private float[] features;
    private final List<String> groupNames = new ArrayList<>();
    private final Map<String, Integer> groupIds = new HashMap<>();
    private final List<IntList> members = new ArrayList<>();

    public TaskPool(int featureDim) {
        if (featureDim < 0) throw new IllegalArgumentException("featureDim must be >= 0, got " + featureDim);
        this.featureDim = featureDim;
        this.features = new float[16 * featureDim];
    }

    public int size() {
        return ids.size();
    }

    public int featureDim() {
        return featureDim;
    }

    public int groupCount() {
        return groupNames.size();
    }

    /** Dense id of an external id, or -1. */
    public int find(String id) {
        return ids.find(id);
    }

    public String id(int task) {
        return ids.key(task);
    }

    public int group(int task) {
        return groupOf[task];
    }

    public String groupName(int group) {
        return groupNames.get(group);
    }

    /** Dense id of a group name, or -1. */
    public int findGroup(String name) {
        Integer g = groupIds.get(name);
        return g == null ? -1 : g;
    }

    public List<String> groupNames() {
        return List.copyOf(groupNames);
    }

    public IntList members(int group) {
        return members.get(group);
    }

    public int groupSize(int group) {
        return members.get(group).size();
    }

    /** Prior difficulty in [0, 1], NaN when unknown. */
    public double priorDifficulty(int task) {
        return prior[task];
    }

    /** Feature {@code k} of a task (0 when the task was added without features). */
    public float feature(int task, int k) {
        return features[task * featureDim + k];
    }

    /**
     * Checks a batch of new tasks without changing anything; throws with the offending index, id
     * and field. {@link #addAll} calls it first, so a bad batch adds nothing.
     */
    public void validate(List<TaskSpec> specs) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            String where = "tasks[" + i + "]";
            if (s == null) throw new IllegalArgumentException(where + " is null");
            if (s.id() == null || s.id().isEmpty()) throw new IllegalArgumentException(where + ".id must be a non-empty string");
            Unicode.require(s.id(), where + ".id"); // before the id is echoed in a message
            Unicode.require(s.group(), where + ".group");
            where += " (id '" + s.id() + "')";
            if (ids.find(s.id()) >= 0) throw new IllegalArgumentException(where + ": id is already in the pool");
            Integer first = seen.putIfAbsent(s.id(), i);
            if (first != null) throw new IllegalArgumentException(where + ": id repeats tasks[" + first + "]");
            double d = s.priorDifficulty();
            if (!Double.isNaN(d) && (d < 0 || d > 1)) {
                throw new IllegalArgumentException(where + ".priorDifficulty must be in [0, 1], got " + d);
            }
            float[] f = s.features();
            if (f.length != 0 && f.length != featureDim) {
                throw new IllegalArgumentException(where + ".features has " + f.length
                        + " values but the pool's featureDim is " + featureDim);
            }
            for (int k = 0; k < f.length; k++) {
                if (!Float.isFinite(f[k])) throw new IllegalArgumentException(where + ".features[" + k + "] must be finite, got " + f[k]);
            }
        }
    }

    /** Adds the tasks (all or nothing) and returns the dense id of the first one. */
    public int addAll(List<TaskSpec> specs) {
        validate(specs);
        return addValidated(specs);
    }

    /** {@link #addAll} of tasks that {@link #validate} accepted (nothing was added since). */
    public int addValidated(List<TaskSpec> specs) {
        int first = size();
        ensureCapacity(first + specs.size());
        for (TaskSpec s : specs) add(s);
        return first;
    }

    private void add(TaskSpec s) {
        int t = ids.add(s.id());
        int g = groupIds.computeIfAbsent(s.group(), name -> {
            groupNames.add(name);
            members.add(new IntList());
            return groupNames.size() - 1;
        });
        groupOf[t] = g;
        prior[t] = (float) s.priorDifficulty();
        if (s.features().length == featureDim) System.arraycopy(s.features(), 0, features, t * featureDim, featureDim);
        members.get(g).add(t);
    }

    private void ensureCapacity(int n) {
        if (n <= groupOf.length) return;
        int cap = Math.max(n, groupOf.length * 2);
        groupOf = Arrays.copyOf(groupOf, cap);
        prior = Arrays.copyOf(prior, cap);
        features = Arrays.copyOf(features, cap * featureDim);
    }

    /** Bytes of per-task state held here (ids' strings excluded). */
    public long footprintBytes() {
        long b = ids.footprintBytes() + 4L * groupOf.length + 4L * prior.length + 4L * features.length;
        for (IntList m : members) b += m.footprintBytes();
        return b;
    }

    public void write(SnapshotWriter w) {
        int n = size();
        w.writeInt(featureDim);
        w.writeInt(groupNames.size());
        for (int g = 0; g < groupNames.size(); g++) {
            w.writeString(groupNames.get(g));
        }
        w.writeInt(n);
        for (int t = 0; t < n; t++) {
            w.writeString(ids.key(t));
            w.writeInt(groupOf[t]);
            w.writeFloat(prior[t]);
        }
        w.writeFloats(features, n * featureDim);
        for (IntList m : members) w.writeInts(m.raw(), m.size());
    }

    /** Reads a pool written by {@link #write}. */
    public static TaskPool read(SnapshotReader r) {
        TaskPool p = new TaskPool(r.readInt());
        int groups = r.readInt();
        for (int g = 0; g < groups; g++) {
            String name = r.readString();
            p.groupIds.put(name, g);
            p.groupNames.add(name);
            p.members.add(new IntList());
        }
        int n = r.readInt();
        p.ensureCapacity(n);
        for (int t = 0; t < n; t++) {
            p.ids.add(r.readString());
            p.groupOf[t] = r.readInt();
            p.prior[t] = r.readFloat();
        }
        float[] f = r.readFloats();
        System.arraycopy(f, 0, p.features, 0, f.length);
        for (int g = 0; g < groups; g++) {
            for (int t : r.readInts()) p.members.get(g).add(t);
        }
        return p;
    }
}
