package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The description of a {@link ScaffoldLearner}: a prompt pool whose hardest family is out of reach
 * until the learner trains on easier variants of its prompts, which a trainer writes when the
 * curriculum asks it to ({@code "generate"} requests, issue 16). Read from JSON
 * ({@code "type": "scaffold"}); every field has a default, every bad value is an error naming its path.
 *
 * <pre>{@code
 * {
 *   "type": "scaffold", "name": "scaffold", "description": "...",
 *   "heldOut": 300,                   // held-out prompts per family, drawn like the pool's originals
 *   "learningRate": 0.02,             // family skill gain per unit of a trained group's reward variance
 *   "headroom": 3.0,                  // diminishing returns: gain × exp(−(θ − θ₀)/headroom)
 *   "memorisation": 0.5,              // a prompt's own gain per unit of variance (not held-out skill)
 *   "simplifyBy": 3.5,                // difficulty (logits) an easier variant drops by
 *   "varySd": 0.5,                    // spread of another variant's difficulty around its parent's
 *   "families": [{"name": "hard", "size": 200, "skill": 0, "difficulty": {"mean": 6, "sd": 0.5}}]
 * }
 * }</pre>
 *
 * @param heldOut held-out prompts per family
 * @param learningRate family skill gain per unit of reward variance p̂(1 − p̂)
 * @param headroom logits after which the gain has shrunk by e
 * @param memorisation per-prompt gain per unit of variance (raises that prompt's pass rate only)
 * @param simplifyBy difficulty drop of a {@code simplify} variant
 * @param varySd sd of a {@code vary} variant's difficulty around its parent's
 */
public record ScaffoldLearnerSpec(String name, String description, List<Family> families, int heldOut, double learningRate,
                                  double headroom, double memorisation, double simplifyBy, double varySd) {
    /**
     * A family of prompts that share one skill.
     *
     * @param size original prompts in the pool
     * @param skill the learner's starting skill θ₀ (logits)
     * @param difficultyMean mean prompt difficulty d (p = σ(θ + m − d))
     * @param difficultySd its spread
     */
    public record Family(String name, int size, double skill, double difficultyMean, double difficultySd) {}

    public static final int DEFAULT_HELD_OUT = 300;
    /** Faster than the prompt learner's 0.004: the lab's scaffold runs are short (~100k rollouts). */
    public static final double DEFAULT_LEARNING_RATE = 0.02;
    public static final double DEFAULT_HEADROOM = 3.0;
    public static final double DEFAULT_MEMORISATION = 0.5;
    /** One simplification takes a hard prompt (d ≈ 6, p ≈ 0.25%) to d ≈ 2.5 (p ≈ 8%): learnable. */
    public static final double DEFAULT_SIMPLIFY_BY = 3.5;
    public static final double DEFAULT_VARY_SD = 0.5;

    public int poolSize() {
        int n = 0;
        for (Family f : families) n += f.size();
        return n;
    }

    public ScaffoldLearner create(long seed) {
        return new ScaffoldLearner(this, seed);
    }

    public static ScaffoldLearnerSpec read(ConfigNode root) {
        root.text("type", "scaffold");
        String name = root.text("name", "scaffold");
        String description = root.text("description", "");
        int heldOut = root.integer("heldOut", DEFAULT_HELD_OUT, 1, 1_000_000);
        double lr = root.number("learningRate", DEFAULT_LEARNING_RATE, 0, 10);
        double headroom = root.number("headroom", DEFAULT_HEADROOM, 1e-6, 1e6);
        double mem = root.number("memorisation", DEFAULT_MEMORISATION, 0, 100);
        double simplifyBy = root.number("simplifyBy", DEFAULT_SIMPLIFY_BY, 0, 100);
        double varySd = root.number("varySd", DEFAULT_VARY_SD, 0, 100);
        List<ConfigNode> fs = root.children("families");
        if (fs.isEmpty()) throw new ConfigException("families", "at least one family is required");
        Set<String> names = new HashSet<>();
        List<Family> families = new java.util.ArrayList<>();
        for (ConfigNode f : fs) {
            String n = f.text("name", null);
            if (n == null || n.isEmpty()) throw new ConfigException(f.path() + ".name", "is required");
            if (!names.add(n)) throw new ConfigException(f.path() + ".name", "\"" + n + "\" appears twice");
            int size = f.integer("size", 0, 1, 10_000_000);
            if (!f.has("size")) throw new ConfigException(f.path() + ".size", "is required");
            double skill = f.number("skill", 0);
            ConfigNode d = f.child("difficulty");
            double mean = d.number("mean", 0);
            double sd = d.number("sd", 1, 0, 100);
            d.finish();
            f.finish();
            families.add(new Family(n, size, skill, mean, sd));
        }
        root.finish();
        return new ScaffoldLearnerSpec(name, description, List.copyOf(families), heldOut, lr, headroom, mem, simplifyBy, varySd);
    }

    /** Markdown table of the families. */
    public String familyTable() {
        StringBuilder b = new StringBuilder("| family | prompts | start skill | difficulty mean ± sd | start pass rate of a typical prompt |\n|---|---|---|---|---|\n");
        for (Family f : families) {
            b.append(String.format(java.util.Locale.ROOT, "| %s | %,d | %.2f | %.2f ± %.2f | %.4f |%n", f.name(), f.size(), f.skill(),
                    f.difficultyMean(), f.difficultySd(), 1 / (1 + Math.exp(f.difficultyMean() - f.skill()))));
        }
        return b.toString();
    }
}
