package io.proxima.core.space;

import java.util.Arrays;

/**
 * One task to add to a discrete pool.
 *
 * @param id external id (non-empty, unique in the pool)
 * @param group group name (data source, category, difficulty bucket); "" for the default group
 * @param priorDifficulty prior difficulty in [0, 1] (0 easy, 1 hard), or NaN when unknown
 * @param features feature vector of the pool's fixed dimension, or an empty array
 */
public record TaskSpec(String id, String group, double priorDifficulty, float[] features) {
    public static final float[] NO_FEATURES = new float[0];

    public TaskSpec {
        if (group == null) group = "";
        if (features == null) features = NO_FEATURES;
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

    public TaskSpec withFeatures(float... f) {
        return new TaskSpec(id, group, priorDifficulty, f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskSpec t && id.equals(t.id) && group.equals(t.group)
                && Double.compare(priorDifficulty, t.priorDifficulty) == 0 && Arrays.equals(features, t.features);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "TaskSpec[id=" + id + ", group=" + group + ", priorDifficulty=" + priorDifficulty
                + ", features=" + Arrays.toString(features) + "]";
    }
}
