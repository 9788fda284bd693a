package io.proxima.sim.teach;

import java.util.List;

/**
 * What the lab's trainer talks to: every teacher of a comparison, the recipes of core (through
 * the public {@code Curriculum} API, {@link CurriculumTeacher}) and the {@link Oracle}, behind one
 * small interface (cf. the Caffeine simulator's {@code Policy}).
 */
public interface LabTeacher {
    /** The next {@code n} distinct prompts, each with its rollouts. */
    List<Pick> next(int n);

    /**
     * Reports the rollouts of the last {@link #next} (same order): {@code rewards[i]} and
     * {@code tokens[i]} hold {@code picks.get(i).rollouts()} values. Writes into {@code keep[i]}
     * whether to train on group i (a filter may advise to drop it).
     */
    void report(List<Pick> picks, double[][] rewards, int[][] tokens, long step, boolean[] keep);

    /** The teacher's own numbers now ({@code Curriculum.stats().teacher()} for a recipe; empty by default). */
    default java.util.Map<String, Double> stats() {
        return java.util.Map.of();
    }
}
