package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The description of a {@link PromptLearner}: the shape of a dataset (sources, sizes, difficulty
 * spread, unlearnable and noisy shares) and of the learner's dynamics. Read from JSON
 * ({@link LearnerFiles}); every field has a default named below, every bad value is an error that
 * names its path.
 *
 * <pre>{@code
 * {
 *   "type": "prompts", "name": "math-mix", "description": "...",
 *   "heldOut": 2000,                 // held-out prompts, drawn like the pool
 *   "learningRate": 0.004,           // skill gain per unit of reward variance
 *   "headroom": 2.0,                 // diminishing returns: gain × exp(−(θ − θ₀)/headroom)
 *   "transfer": 0.1,                 // default share of a source's gain that lifts every other source
 *   "forgetting": 0.002,             // per step, unpractised skills decay towards their start
 *   "memorisation": {"rate": 0.6, "forgetting": 0.002},
 *   "sharpening": 0.4,               // entropy collapse: logistic slope gain per 1000 update units
 *   "noisyReward": 0.5,              // success probability of a noisy prompt (a broken verifier)
 *   "rolloutWeighted": false,        // true: a group's update × its rollouts / the step's mean, applied at the step's end
 *   "tokens": {"base": 400, "perDifficulty": 0.25, "noise": 0.3, "max": 8192,
 *              "costPerRollout": 1.0, "costPerToken": 0.0},
 *   "sources": [
 *     {"name": "gsm8k", "size": 3000, "skill": 0.0, "difficulty": {"mean": -1.5, "sd": 1.0},
 *      "unlearnable": 0.0, "noisy": 0.0, "randomLabels": 0.0, "memorisation": 0.6, "verifierNoise": 0.0,
 *      "transfer": {"math": 0.3}}
 *   ]
 * }
 * }</pre>
 */
public record PromptLearnerSpec(String name, String description, List<Source> sources, int heldOut,
                                double learningRate, double headroom, double transfer, double forgetting,
                                double memorisationRate, double memorisationForgetting, double sharpening,
                                double noisyReward, Tokens tokens, boolean rolloutWeighted) implements RolloutLearnerSpec {

    /** Default held-out prompts. */
    public static final int DEFAULT_HELD_OUT = 2000;
    /** Default skill gain (logits) per unit of a trained group's reward variance p̂(1 − p̂). */
    public static final double DEFAULT_LEARNING_RATE = 0.004;
    /** Default headroom (logits): the gain shrinks by e after the skill rose this much. */
    public static final double DEFAULT_HEADROOM = 2.0;
    /** Default cross-source transfer (share of the gain). */
    public static final double DEFAULT_TRANSFER = 0.1;
    /** Default per-step decay of an unpractised skill towards its start. */
    public static final double DEFAULT_FORGETTING = 0.002;
    /** Default per-prompt memorisation gain (logits) per unit of reward variance: much faster than skill. */
    public static final double DEFAULT_MEMORISATION_RATE = 0.6;
    /** Default per-step decay of memorisation. */
    public static final double DEFAULT_MEMORISATION_FORGETTING = 0.002;
    /** Default logistic-slope gain per 1000 units of update (entropy collapse). */
    public static final double DEFAULT_SHARPENING = 0.4;
    /** Default success probability of a noisy prompt. */
    public static final double DEFAULT_NOISY_REWARD = 0.5;

    /**
     * One source (group) of prompts.
     *
     * @param name group name (unique)
     * @param size prompts in the pool
     * @param skill the learner's starting skill on it (logits)
     * @param difficultyMean mean prompt difficulty (logits; p = σ(slope·(skill + memo − difficulty)))
     * @param difficultySd spread of difficulty
     * @param unlearnable share of prompts never solved (p = 0, forever)
     * @param noisy share of prompts with a random reward (p = noisyReward, nothing to learn)
     * @param memorisable share of prompts with random labels: solved only by memorising them
     *     (p = σ(slope·(memo − difficulty))), never by skill; held-out ones stay at their start
     * @param memorisationRate this source's memorisation gain per unit of variance (NaN: the learner's)
     * @param verifierNoise probability that one reward of this source is a fair coin (a partly broken verifier)
     * @param transfer share of this source's gain that lifts each named source (overrides the default)
     */
    public record Source(String name, int size, double skill, double difficultyMean, double difficultySd,
                         double unlearnable, double noisy, double memorisable, double memorisationRate,
                         double verifierNoise, Map<String, Double> transfer) {}

    /**
     * Generation length and cost: a rollout of a prompt of difficulty d has
     * {@code min(max, base·exp(perDifficulty·d)·exp(noise·z))} tokens, z standard normal.
     */
    public record Tokens(int base, double perDifficulty, double noise, int max, double costPerRollout, double costPerToken) {
        public static final Tokens DEFAULTS = new Tokens(400, 0.25, 0.3, 8192, 1.0, 0.0);
    }

    @Override
    public List<String> sourceNames() {
        return sources.stream().map(Source::name).toList();
    }

    @Override
    public double costPerRollout() {
        return tokens.costPerRollout();
    }

    @Override
    public double costPerToken() {
        return tokens.costPerToken();
    }

    @Override
    public PromptLearner create(long seed) {
        return new PromptLearner(this, seed);
    }

    @Override
    public String sourceTable() {
        boolean memo = sources.stream().anyMatch(s -> s.memorisable() > 0);
        StringBuilder b = new StringBuilder("| source | prompts | start skill | difficulty mean ± sd | unlearnable | noisy |"
                + (memo ? " random labels |\n|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|\n"));
        for (Source s : sources) {
            b.append(String.format(java.util.Locale.ROOT, "| %s | %,d | %.2f | %.2f ± %.2f | %.0f%% | %.0f%% |", s.name(), s.size(), s.skill(),
                    s.difficultyMean(), s.difficultySd(), 100 * s.unlearnable(), 100 * s.noisy()));
            b.append(memo ? String.format(java.util.Locale.ROOT, " %.0f%% |%n", 100 * s.memorisable()) : String.format("%n"));
        }
        return b.toString();
    }

    @Override
    public int poolSize() {
        int n = 0;
        for (Source s : sources) n += s.size();
        return n;
    }

    /** Index of a source by name, -1 if none. */
    public int sourceIndex(String n) {
        for (int i = 0; i < sources.size(); i++) if (sources.get(i).name().equals(n)) return i;
        return -1;
    }

    /** Upper bound on a pool (keeps a typo from allocating gigabytes). */
    static final int MAX_SIZE = 10_000_000;

    static PromptLearnerSpec read(ConfigNode root) {
        StrictJson.Split split = StrictJson.objects(root, "sources", true);
        ConfigNode r = split.rest();
        r.text("type", "prompts");
        String name = r.text("name", "learner");
        String description = r.text("description", "");
        int heldOut = r.integer("heldOut", DEFAULT_HELD_OUT, 1, MAX_SIZE);
        double lr = r.number("learningRate", DEFAULT_LEARNING_RATE, 0, 100);
        double headroom = r.number("headroom", DEFAULT_HEADROOM, 1e-6, 1e6);
        double transfer = r.number("transfer", DEFAULT_TRANSFER, 0, 1);
        double forgetting = r.number("forgetting", DEFAULT_FORGETTING, 0, 1);
        ConfigNode memo = r.child("memorisation");
        double memoRate = memo.number("rate", DEFAULT_MEMORISATION_RATE, 0, 100);
        double memoForget = memo.number("forgetting", DEFAULT_MEMORISATION_FORGETTING, 0, 1);
        memo.finish();
        double sharpening = r.number("sharpening", DEFAULT_SHARPENING, 0, 100);
        double noisyReward = r.number("noisyReward", DEFAULT_NOISY_REWARD, 0, 1);
        boolean rolloutWeighted = r.bool("rolloutWeighted", false);
        ConfigNode t = r.child("tokens");
        Tokens d = Tokens.DEFAULTS;
        Tokens tokens = new Tokens(t.integer("base", d.base(), 1, 1 << 24), t.number("perDifficulty", d.perDifficulty(), -10, 10),
                t.number("noise", d.noise(), 0, 10), t.integer("max", d.max(), 1, 1 << 24),
                t.number("costPerRollout", d.costPerRollout(), 0, 1e12), t.number("costPerToken", d.costPerToken(), 0, 1e12));
        t.finish();
        r.finish();

        List<ConfigNode> nodes = split.elements();
        if (nodes.isEmpty()) throw new ConfigException("sources", "must hold at least one source");
        Set<String> names = new HashSet<>();
        java.util.ArrayList<Source> sources = new java.util.ArrayList<>();
        long total = 0;
        for (ConfigNode s : nodes) {
            String n = s.text("name", null);
            if (n == null || n.isEmpty()) throw new ConfigException(s.path() + ".name", "is required (a non-empty string)");
            if (!names.add(n)) throw new ConfigException(s.path() + ".name", "duplicate source name \"" + n + "\"");
            int size = s.integer("size", 0, 1, MAX_SIZE);
            if (size == 0) throw new ConfigException(s.path() + ".size", "is required (an integer >= 1)");
            total += size;
            double skill = s.number("skill", 0.0, -50, 50);
            ConfigNode diff = s.child("difficulty");
            double mean = diff.number("mean", 0.0, -50, 50);
            double sd = diff.number("sd", 1.0, 0, 50);
            diff.finish();
            double unl = s.number("unlearnable", 0.0, 0, 1);
            double noisy = s.number("noisy", 0.0, 0, 1);
            if (unl + noisy > 1) throw new ConfigException(s.path() + ".noisy", "unlearnable + noisy must be <= 1, got " + (unl + noisy));
            double memorisable = s.number("randomLabels", 0.0, 0, 1);
            double sourceMemo = s.number("memorisation", Double.NaN, 0, 100);
            double verifierNoise = s.number("verifierNoise", 0.0, 0, 1);
            if (unl + noisy + memorisable > 1 + 1e-12) {
                throw new ConfigException(s.path() + ".randomLabels", "unlearnable + noisy + randomLabels must be <= 1, got " + (unl + noisy + memorisable));
            }
            Map<String, Double> tr = StrictJson.numbers(s, "transfer", 0, 1);
            s.finish();
            sources.add(new Source(n, size, skill, mean, sd, unl, noisy, memorisable, sourceMemo, verifierNoise, Map.copyOf(tr)));
        }
        if (total > MAX_SIZE) throw new ConfigException("sources", "hold " + total + " prompts, more than " + MAX_SIZE);
        for (int i = 0; i < sources.size(); i++) {
            for (String target : sources.get(i).transfer().keySet()) {
                if (!names.contains(target)) {
                    throw new ConfigException("sources[" + i + "].transfer." + target, "names no source; sources: " + names);
                }
            }
        }
        return new PromptLearnerSpec(name, description, List.copyOf(sources), heldOut, lr, headroom, transfer, forgetting,
                memoRate, memoForget, sharpening, noisyReward, tokens, rolloutWeighted);
    }
}
