package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The description of a {@link CubeLearner}, the teachDeepRL toy environment
 * [CODE teachDeepRL toy_env/toy_env.py; shared/algorithms/alp-gmm-family.md §4].
 *
 * <pre>{@code
 * {
 *   "type": "cubes", "name": "toy-2d",
 *   "dims": 2,             // parameters that matter (nb_dims), each on [0, 1]
 *   "cubes": 10,           // cubes per parameter (nb_cubes)
 *   "uselessDims": 0,      // parameters the teacher samples and the learner ignores (10 in the paper's variant)
 *   "maxCompetence": 100,  // competence of a full cube (max_per_cube); reward = competence / maxCompetence
 *   "unlockAt": 75         // a neighbour at >= this unlocks a cube; mastered above it (3/4 of maxCompetence)
 * }
 * }</pre>
 * The teacher's box is {@code [0, 1]^(dims + uselessDims)}: parameters {@code x0 … x(dims−1)} then
 * {@code useless0 …}.
 */
public record CubeLearnerSpec(String name, String description, int dims, int cubes, int uselessDims, int maxCompetence,
                              int unlockAt) implements BoxLearnerSpec {
    public static final int DEFAULT_DIMS = 2;
    public static final int DEFAULT_CUBES = 10;
    /** Competence of a full cube (max_per_cube = 100 [CODE]). */
    public static final int DEFAULT_MAX_COMPETENCE = 100;
    /** Unlocking and mastery threshold, 3·max/4 = 75 [CODE]. */
    public static final int DEFAULT_UNLOCK_AT = 75;
    /** Most cubes in the grid. */
    static final int MAX_CUBES_TOTAL = 1 << 22;
    /** Most parameters of the teacher's box (core's continuous spaces hold at most 32). */
    static final int MAX_PARAMETERS = 32;

    public CubeLearnerSpec {
        if (dims < 1) throw new IllegalArgumentException("dims must be >= 1, got " + dims);
        if (cubes < 1) throw new IllegalArgumentException("cubes must be >= 1, got " + cubes);
        if (Math.pow(cubes, dims) > MAX_CUBES_TOTAL) throw new IllegalArgumentException(cubes + "^" + dims + " cubes is too many");
        if (uselessDims < 0 || dims + uselessDims > MAX_PARAMETERS) {
            throw new IllegalArgumentException("dims + uselessDims must be <= " + MAX_PARAMETERS + ", got " + (dims + uselessDims));
        }
        if (maxCompetence < 1) throw new IllegalArgumentException("maxCompetence must be >= 1, got " + maxCompetence);
        if (unlockAt < 0 || unlockAt > maxCompetence) {
            throw new IllegalArgumentException("unlockAt must lie in [0, maxCompetence=" + maxCompetence + "], got " + unlockAt);
        }
    }

    /** The reference environment: 2 dimensions, 10 cubes each, and {@code useless} ignored parameters. */
    public static CubeLearnerSpec reference(int useless) {
        return new CubeLearnerSpec("toy", "", DEFAULT_DIMS, DEFAULT_CUBES, useless, DEFAULT_MAX_COMPETENCE, DEFAULT_UNLOCK_AT);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>(dims + uselessDims);
        for (int i = 0; i < dims; i++) out.add(new Parameter("x" + i, 0, 1));
        for (int i = 0; i < uselessDims; i++) out.add(new Parameter("useless" + i, 0, 1));
        return out;
    }

    @Override
    public String shape() {
        return String.format(Locale.ROOT, "%d parameters (%d used, %d useless), %d cubes per used parameter", dims + uselessDims, dims,
                uselessDims, cubes);
    }

    @Override
    public CubeLearner learner(long seed) {
        return new CubeLearner(this);
    }

    static CubeLearnerSpec read(ConfigNode r) {
        r.text("type", "cubes");
        String name = r.text("name", "cubes");
        String description = r.text("description", "");
        int dims = r.integer("dims", DEFAULT_DIMS, 1, 8);
        int cubes = r.integer("cubes", DEFAULT_CUBES, 1, 1000);
        if (Math.pow(cubes, dims) > MAX_CUBES_TOTAL) throw new ConfigException("cubes", cubes + "^" + dims + " cubes is too many");
        int useless = r.integer("uselessDims", 0, 0, MAX_PARAMETERS - dims);
        int max = r.integer("maxCompetence", DEFAULT_MAX_COMPETENCE, 1, 1_000_000);
        int unlock = r.integer("unlockAt", Math.min(DEFAULT_UNLOCK_AT, max), 0, max);
        r.finish();
        return new CubeLearnerSpec(name, description, dims, cubes, useless, max, unlock);
    }
}
