package io.proxima.core.generate;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.core.space.Derivation;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code "generation"} block of a discrete curriculum's configuration: when the teacher asks
 * the trainer for new tasks derived from existing ones, and how much a parent is credited with its
 * children's progress. Absent = off: no request is ever made, and answers are byte for byte those
 * of a curriculum without the feature.
 *
 * <pre>{@code
 * "generation": {
 *   "kinds": ["simplify", "vary"],  // which requests to make
 *   "minReports": 2,                // reports of a task before it can be a parent (the evidence)
 *   "simplifyAtMost": 0.05,         // observed pass rate <= this after minReports: ask for an easier variant
 *   "varyLow": 0.3, "varyHigh": 0.7,// observed pass rate in [low, high]: ask for another variant
 *   "perBatch": 2,                  // requests per next answer
 *   "perParent": 2,                 // requests per parent over the run
 *   "maxDepth": 2,                  // links below an original task (a child of a child is depth 2)
 *   "credit": 0.5                   // share of a child's pass-rate gain credited to its parent
 * }
 * }</pre>
 *
 * @param kinds the derivations requested
 * @param minReports reports (groups of rollouts) of a task before it is judged, and again between two requests for it
 * @param simplifyAtMost a task whose observed pass rate is at most this is "unsolved"
 * @param varyLow lower end of the learnable band (inclusive)
 * @param varyHigh upper end of the learnable band (inclusive)
 * @param perBatch requests per next answer, at most (0: never ask, credit only)
 * @param perParent requests per parent over the curriculum's life
 * @param maxDepth a task at this depth is never a parent
 * @param credit c in [0, 1]: a child's pass-rate gain g discounts its parent's failure evidence by (1 − c·g)
 */
public record GenerationParams(Set<Derivation> kinds, int minReports, double simplifyAtMost, double varyLow, double varyHigh,
                               int perBatch, int perParent, int maxDepth, double credit) {
    /**
     * Defaults [INF]: 2 reports = 16 rollouts at G = 8, where a task with true p = 0.2 shows no
     * success with probability 0.8^16 ≈ 3%; the band [0.3, 0.7] holds the groups with the most
     * gradient (E|A| within 10% of its peak at 0.5, shared/algorithms.md); two requests per batch and
     * per parent keep generation a small share of a trainer's step; depth 2 lets an easier variant
     * that is still unsolved be simplified once more.
     */
    public static final GenerationParams DEFAULTS = new GenerationParams(EnumSet.allOf(Derivation.class), 2, 0.05, 0.3, 0.7, 2, 2, 2, 0.5);
    /** Upper bound on perParent (a byte counter per task). */
    public static final int MAX_PER_PARENT = 100;
    /** Upper bound on perBatch and maxDepth. */
    public static final int MAX_PER_BATCH = 1024;
    public static final int MAX_DEPTH = 64;

    public GenerationParams {
        kinds = Set.copyOf(kinds);
    }

    public boolean asks(Derivation d) {
        return kinds.contains(d);
    }

    /** Reads the block at {@code node} (its path names errors: {@code generation.varyLow}). */
    public static GenerationParams read(ConfigNode node) {
        GenerationParams d = DEFAULTS;
        Set<Derivation> kinds = EnumSet.noneOf(Derivation.class);
        List<Object> list = node.list("kinds");
        if (list == null) {
            kinds.addAll(d.kinds());
        } else {
            for (int i = 0; i < list.size(); i++) {
                Object o = list.get(i);
                Derivation k = o instanceof String s ? Derivation.ofKey(s) : null;
                if (k == null) {
                    throw new ConfigException(node.path() + ".kinds[" + i + "]", "must be one of " + Derivation.keys() + ", got "
                            + (o instanceof String s ? "\"" + s + "\"" : String.valueOf(o)));
                }
                if (!kinds.add(k)) throw new ConfigException(node.path() + ".kinds[" + i + "]", "\"" + k.key() + "\" appears twice");
            }
        }
        int minReports = node.integer("minReports", d.minReports(), 1, 1 << 20);
        double simplifyAtMost = node.number("simplifyAtMost", d.simplifyAtMost(), 0, 1);
        double varyLow = node.number("varyLow", d.varyLow(), 0, 1);
        double varyHigh = node.number("varyHigh", d.varyHigh(), 0, 1);
        if (varyLow > varyHigh) throw new ConfigException(node.path() + ".varyLow", "must be <= varyHigh (" + varyHigh + "), got " + varyLow);
        int perBatch = node.integer("perBatch", d.perBatch(), 0, MAX_PER_BATCH);
        int perParent = node.integer("perParent", d.perParent(), 1, MAX_PER_PARENT);
        int maxDepth = node.integer("maxDepth", d.maxDepth(), 1, MAX_DEPTH);
        double credit = node.number("credit", d.credit(), 0, 1);
        node.finish();
        return new GenerationParams(kinds, minReports, simplifyAtMost, varyLow, varyHigh, perBatch, perParent, maxDepth, credit);
    }
}
