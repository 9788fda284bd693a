package io.proxima.sim.teach;

import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.recipe.Recipes;
import io.proxima.sim.learner.RolloutLearner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named way to build a teacher for one run: a core recipe, a user's JSON configuration, or the
 * oracle. Each run builds a fresh teacher from its seed (the curriculum's seed is the run's seed).
 */
public abstract class TeacherSpec {
    /** The oracle's name on the command line and in reports. */
    public static final String ORACLE = "oracle";

    private final String name;

    private TeacherSpec(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public boolean isOracle() {
        return false;
    }

    /** A fresh teacher for a run. */
    public abstract LabTeacher create(RolloutLearner learner, int rollouts, long seed);

    /** A standard recipe ({@code uniform}, {@code random}, {@code odf}…) or {@code oracle}. */
    public static TeacherSpec named(String name) {
        if (name.equals(ORACLE)) return oracle();
        Recipes.standard().recipe(name); // fails with the list of known recipes
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", name);
        return config(name, m);
    }

    /** A configuration (the map of a JSON text); its seed and rollouts are set by each run. */
    public static TeacherSpec config(String name, Map<String, Object> json) {
        Map<String, Object> copy = new LinkedHashMap<>(json);
        if (copy.containsKey("seed")) throw new IllegalArgumentException("configuration '" + name + "': remove \"seed\", the lab sets it per run");
        // Validate now, not inside a worker thread.
        Map<String, Object> probe = new LinkedHashMap<>(copy);
        probe.put("seed", 0L);
        probe.putIfAbsent("rollouts", 8);
        CurriculumConfig.fromMap(probe, Recipes.standard());
        return new TeacherSpec(name) {
            @Override
            public LabTeacher create(RolloutLearner learner, int rollouts, long seed) {
                Map<String, Object> m = new LinkedHashMap<>(copy);
                m.put("seed", seed);
                m.putIfAbsent("rollouts", rollouts);
                return new CurriculumTeacher(CurriculumConfig.fromMap(m, Recipes.standard()), learner);
            }
        };
    }

    public static TeacherSpec oracle() {
        return new TeacherSpec(ORACLE) {
            @Override
            public boolean isOracle() {
                return true;
            }

            @Override
            public LabTeacher create(RolloutLearner learner, int rollouts, long seed) {
                return learner.oracle(rollouts, seed);
            }
        };
    }
}
