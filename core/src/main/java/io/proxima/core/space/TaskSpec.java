package io.proxima.core.space;

import java.util.Arrays;
import java.util.Objects;

/**
 * One task to add to a discrete pool.
 *
 * @param id external id (non-empty, unique in the pool)
 * @param group group name (data source, category, difficulty bucket); "" for the default group (a
 *     derived task with "" joins its parent's group)
 * @param priorDifficulty prior difficulty in [0, 1] (0 easy, 1 hard), or NaN when unknown
 * @param features feature vector of the pool's fixed dimension, or an empty array
 * @param parent the id of the task this one was generated from, or null (see {@link Lineage})
 * @param derivation how it was generated from {@code parent}; given exactly when {@code parent} is
 */
public record TaskSpec(String id, String group, double priorDifficulty, float[] features, String parent, Derivation derivation) {
    public static final float[] NO_FEATURES = new float[0];

    public TaskSpec {
        if (group == null) group = "";
        if (features == null) features = NO_FEATURES;
    }

    /** A task that derives from no other. */
    public TaskSpec(String id, String group, double priorDifficulty, float[] features) {
        this(id, group, priorDifficulty, features, null, null);
    }

    public static TaskSpec of(String id) {
        return new TaskSpec(id, "", Double.NaN, NO_FEATURES);
    }

    public static TaskSpec of(String id, String group) {
        return new TaskSpec(id, group, Double.NaN, NO_FEATURES);
    }

    public static TaskSpec of(String id, String group, double priorDifficulty) {
        return new TaskSpec(id, group, priorDifficulty, NO_FEATURES);
    }

    /** A task generated from {@code parent} (its group is the parent's). */
    public static TaskSpec derived(String id, String parent, Derivation derivation) {
        return new TaskSpec(id, "", Double.NaN, NO_FEATURES, parent, derivation);
    }

    public TaskSpec withFeatures(float... f) {
        return new TaskSpec(id, group, priorDifficulty, f, parent, derivation);
    }

    /** Whether the task names a parent (or a derivation: validation refuses one without the other). */
    public boolean linked() {
        return parent != null || derivation != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskSpec t && id.equals(t.id) && group.equals(t.group)
                && Double.compare(priorDifficulty, t.priorDifficulty) == 0 && Arrays.equals(features, t.features)
                && Objects.equals(parent, t.parent) && derivation == t.derivation;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "TaskSpec[id=" + id + ", group=" + group + ", priorDifficulty=" + priorDifficulty
                + ", features=" + Arrays.toString(features) + (parent == null ? "" : ", parent=" + parent)
                + (derivation == null ? "" : ", derivation=" + derivation.key()) + "]";
    }
}
