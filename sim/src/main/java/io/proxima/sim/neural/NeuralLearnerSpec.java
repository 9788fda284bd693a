package io.proxima.sim.neural;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.sim.learner.RolloutLearnerSpec;
import io.proxima.sim.learner.StrictJson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The description of a {@link NeuralPromptLearner}: prompt families (what a prompt is and what its
 * answer is), the network and its optimizer. Read from JSON; every field has a default named
 * below, every bad value is an error that names its path.
 *
 * <pre>{@code
 * {
 *   "type": "neural", "name": "neural-mix", "description": "...",
 *   "answers": 10,                    // K: answer tokens; chance = 1/K
 *   "operands": 40,                   // N: operand tokens 0..N−1 (shared by every family)
 *   "network": {"embedding": 16, "hidden": 128, "outputScale": 0.1},
 *   "optimizer": {"learningRate": 0.003, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.0},
 *   "entropyBonus": 0.0,              // β of the entropy bonus in the GRPO loss
 *   "families": [
 *     {"name": "bin", "size": 600, "heldOut": 300, "rule": [1, 0], "divisor": 4}, // answer = ⌊a/4⌋ mod K (b a distractor)
 *     {"name": "sum", "size": 600, "rule": [1, 1], "divisor": 8},           // answer = ⌊(a + b)/8⌋ mod K
 *     {"name": "add", "size": 600, "rule": [1, 1]},                         // answer = (a + b) mod K
 *     {"name": "labels", "size": 600, "rule": "random", "arity": 2},        // a fixed random answer per prompt
 *     {"name": "broken", "size": 600, "rule": [2, 1], "verifierNoise": 1.0} // reward is a coin with this probability
 *   ]
 * }
 * }</pre>
 */
public record NeuralLearnerSpec(String name, String description, int answers, int operands, int embedding, int hidden,
                                double outputScale, double learningRate, double beta1, double beta2, double epsilon,
                                double weightDecay, double entropyBonus, List<Family> families) implements RolloutLearnerSpec {

    public static final int DEFAULT_ANSWERS = 10;
    public static final int DEFAULT_OPERANDS = 40;
    public static final int DEFAULT_EMBEDDING = 16;
    public static final int DEFAULT_HIDDEN = 128;
    /** Output weights ~ N(0, (outputScale/√H)²): near-uniform answers at the start, the learner begins at chance. */
    public static final double DEFAULT_OUTPUT_SCALE = 0.1;
    public static final double DEFAULT_LEARNING_RATE = 0.003;
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;
    public static final double DEFAULT_ENTROPY_BONUS = 0.0;
    public static final int DEFAULT_HELD_OUT = 300;
    /** Tokens a rollout generates when a family does not say (for the token budget and the cost per token). */
    public static final int DEFAULT_TOKENS = 256;

    /**
     * One family of prompts (a source, a group of the curriculum).
     *
     * @param coefficients answer = ⌊(Σ c_j·a_j) / divisor⌋ mod K over the operands a_0…; null for random labels
     * @param divisor see {@code coefficients} (1: a modular sum; larger: a binned, monotone sum — easier for a network)
     * @param arity operands per prompt
     * @param verifierNoise probability that a rollout's reward is a fair coin instead of the verdict (1 = a broken verifier)
     * @param tokens tokens one rollout generates
     */
    public record Family(String name, int size, int heldOut, int[] coefficients, int divisor, int arity, double verifierNoise, int tokens)
            implements NeuralFamilies.Family {
        public boolean randomLabels() {
            return coefficients == null;
        }

        public FamilyRule rule() {
            return new FamilyRule(coefficients, divisor, arity);
        }
    }

    /** Prompt slots: the family token, then the operands (padded). */
    public int slots() {
        return NeuralFamilies.slots(families);
    }

    @Override
    public List<String> sourceNames() {
        return NeuralFamilies.names(families);
    }

    @Override
    public int poolSize() {
        return NeuralFamilies.poolSize(families);
    }

    @Override
    public int heldOut() {
        return NeuralFamilies.heldOut(families);
    }

    @Override
    public double costPerRollout() {
        return 1.0;
    }

    @Override
    public double costPerToken() {
        return 0.0;
    }

    @Override
    public NeuralPromptLearner create(long seed) {
        return new NeuralPromptLearner(this, seed);
    }

    /** A rate as a user would type it: 0.0015, not 1.500e-03. */
    private static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    @Override
    public String sourceTable() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Neural policy: %d answer tokens (chance %.3f), %d operand tokens, embedding %d, hidden %d, Adam lr %.4g, "
                        + "weight decay %.3g, entropy bonus %.3g.%n%n"
                        + "These results hold at this learning rate: on the shipped networks the ranking of teachers turns over "
                        + "between half and twice the rate tuned for the walk. Before trusting a gain, rerun with "
                        + "`--vary optimizer.learningRate=%s,%s,%s` (docs/lab.md).%n%n", answers, 1.0 / answers, operands, embedding, hidden,
                learningRate, weightDecay, entropyBonus, plain(learningRate / 2), plain(learningRate), plain(learningRate * 2)));
        b.append("| family | prompts | held-out | answer | verifier noise | tokens |\n|---|---|---|---|---|---|\n");
        for (Family f : families) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %.0f%% | %d |%n", f.name(), f.size(), f.heldOut(),
                    f.rule().text(answers), 100 * f.verifierNoise(), f.tokens()));
        }
        return b.toString();
    }

    static final int MAX_PROMPTS = 1_000_000;

    public static NeuralLearnerSpec read(ConfigNode root) {
        StrictJson.Split split = StrictJson.objects(root, "families", true);
        ConfigNode r = split.rest();
        r.text("type", "neural");
        String name = r.text("name", "neural");
        String description = r.text("description", "");
        int answers = r.integer("answers", DEFAULT_ANSWERS, 2, 1000);
        int operands = r.integer("operands", DEFAULT_OPERANDS, 1, 100_000);
        NeuralFamilies.Training t = NeuralFamilies.Training.read(r);
        double entropyBonus = r.number("entropyBonus", DEFAULT_ENTROPY_BONUS, 0, 10);
        r.finish();

        List<ConfigNode> nodes = split.elements();
        if (nodes.isEmpty()) throw new ConfigException("families", "must hold at least one family");
        Set<String> names = new HashSet<>();
        List<Family> families = new ArrayList<>();
        long total = 0;
        for (ConfigNode f : nodes) {
            String n = f.text("name", null);
            if (n == null || n.isEmpty()) throw new ConfigException(f.path() + ".name", "is required (a non-empty string)");
            if (!names.add(n)) throw new ConfigException(f.path() + ".name", "duplicate family name \"" + n + "\"");
            int size = f.integer("size", 0, 1, MAX_PROMPTS);
            if (size == 0) throw new ConfigException(f.path() + ".size", "is required (an integer >= 1)");
            int held = f.integer("heldOut", DEFAULT_HELD_OUT, 1, MAX_PROMPTS);
            FamilyRule rule = FamilyRule.read(f, operands, size, held, "prompts");
            double noise = f.number("verifierNoise", 0.0, 0, 1);
            int tokens = f.integer("tokens", DEFAULT_TOKENS, 1, 1 << 24);
            f.finish();
            total += size + held;
            families.add(new Family(n, size, held, rule.coefficients(), rule.divisor(), rule.arity(), noise, tokens));
        }
        if (total > MAX_PROMPTS) throw new ConfigException("families", "hold " + total + " prompts with held-out, more than " + MAX_PROMPTS);
        return new NeuralLearnerSpec(name, description, answers, operands, t.embedding(), t.hidden(), t.outputScale(), t.learningRate(),
                t.beta1(), t.beta2(), t.epsilon(), t.weightDecay(), entropyBonus, List.copyOf(families));
    }
}
