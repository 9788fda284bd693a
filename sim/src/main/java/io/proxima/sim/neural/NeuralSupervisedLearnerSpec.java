package io.proxima.sim.neural;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.sim.learner.ItemLearnerSpec;
import io.proxima.sim.learner.StrictJson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The description of a {@link NeuralSupervisedLearner}: families of labelled items (what an item
 * is, what its label is, how many training labels are wrong), the classifier network, its
 * optimizer and the reference model that ranks items by difficulty. Read from JSON; every field
 * has a default named below, every bad value is an error that names its path.
 *
 * <pre>{@code
 * {
 *   "type": "neural-supervised", "name": "neural-supervised-noisy", "description": "...",
 *   "answers": 10,                    // K classes; chance = 1/K
 *   "operands": 50,                   // N: operand tokens 0..N−1 (shared by every family)
 *   "labelNoise": 0.3,                // default share of a family's pool items whose training label is a random wrong class
 *   "network": {"embedding": 16, "hidden": 128, "outputScale": 0.1},
 *   "optimizer": {"learningRate": 0.003, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.0},
 *   "reference": {"epochs": 1, "batch": 32},   // the model whose loss ranks items for pacing
 *   "families": [
 *     {"name": "bin", "size": 1500, "heldOut": 500, "rule": [1, 0], "divisor": 5, "labelNoise": 0.2}, // label = ⌊a/5⌋ mod K
 *     {"name": "sum", "size": 1500, "rule": [1, 1], "divisor": 10},                                  // label = ⌊(a + b)/10⌋ mod K
 *     {"name": "labels", "size": 1000, "rule": "random", "arity": 2}                                 // a fixed random label per item
 *   ]
 * }
 * }</pre>
 */
public record NeuralSupervisedLearnerSpec(String name, String description, int answers, int operands, int embedding, int hidden,
                                          double outputScale, double learningRate, double beta1, double beta2, double epsilon,
                                          double weightDecay, int referenceEpochs, int referenceBatch, List<Family> families)
        implements ItemLearnerSpec {

    public static final int DEFAULT_OPERANDS = 50;
    public static final double DEFAULT_LABEL_NOISE = 0.3;
    public static final int DEFAULT_HELD_OUT = 500;
    /**
     * Passes of the reference model over the pool before the run. One is enough to learn the easy
     * rules and too few to memorise the wrong labels, so its loss ranks mislabelled items hard.
     */
    public static final int DEFAULT_REFERENCE_EPOCHS = 1;
    public static final int DEFAULT_REFERENCE_BATCH = 32;

    /**
     * One family of items (a source, a group of the curriculum).
     *
     * @param coefficients label = ⌊(Σ c_j·a_j) / divisor⌋ mod K over the operands a_0…; null for random labels
     * @param divisor see {@code coefficients}
     * @param arity operands per item
     * @param labelNoise share of the family's pool items whose training label is a random wrong class (exact: the
     *     ⌊labelNoise·size + ½⌋ items drawn without replacement)
     */
    public record Family(String name, int size, int heldOut, int[] coefficients, int divisor, int arity, double labelNoise)
            implements NeuralFamilies.Family {
        public boolean randomLabels() {
            return coefficients == null;
        }

        public FamilyRule rule() {
            return new FamilyRule(coefficients, divisor, arity);
        }

        /** Mislabelled items of the family's pool. */
        public int mislabelled() {
            return (int) Math.floor(labelNoise * size + 0.5);
        }
    }

    /** Item slots: the family token, then the operands (padded). */
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
    public double mislabelledShare() {
        long m = 0;
        for (Family f : families) m += f.mislabelled();
        return (double) m / poolSize();
    }

    @Override
    public NeuralSupervisedLearner create(long seed) {
        return new NeuralSupervisedLearner(this, seed);
    }

    @Override
    public String sourceTable() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Neural classifier: %d classes (chance %.3f), %d operand tokens, embedding %d, hidden %d, cross-entropy with Adam "
                        + "(lr %.3g, weight decay %.3g), one step per batch. Accuracy = share of held-out items whose most probable class "
                        + "is the clean label. A wrong label's loss falls as the network memorises it. Pacing orders items by the loss, on "
                        + "their training label, of a reference network trained for %d pass(es) over the pool (batches of %d) before the "
                        + "run; its cost is not counted in the budget.%n%n", answers, 1.0 / answers, operands, embedding, hidden,
                learningRate, weightDecay, referenceEpochs, referenceBatch));
        b.append("| family | items | held-out | label | label noise |\n|---|---|---|---|---|\n");
        for (Family f : families) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %.0f%% |%n", f.name(), f.size(), f.heldOut(),
                    f.rule().text(answers), 100 * f.labelNoise()));
        }
        return b.toString();
    }

    public static NeuralSupervisedLearnerSpec read(ConfigNode root) {
        StrictJson.Split split = StrictJson.objects(root, "families", true);
        ConfigNode r = split.rest();
        r.text("type", "neural-supervised");
        String name = r.text("name", "neural-supervised");
        String description = r.text("description", "");
        int answers = r.integer("answers", NeuralLearnerSpec.DEFAULT_ANSWERS, 2, 1000);
        int operands = r.integer("operands", DEFAULT_OPERANDS, 1, 100_000);
        double noise = r.number("labelNoise", DEFAULT_LABEL_NOISE, 0, 1);
        NeuralFamilies.Training t = NeuralFamilies.Training.read(r);
        ConfigNode ref = r.child("reference");
        int epochs = ref.integer("epochs", DEFAULT_REFERENCE_EPOCHS, 1, 1000);
        int refBatch = ref.integer("batch", DEFAULT_REFERENCE_BATCH, 1, 1 << 20);
        ref.finish();
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
            int size = f.integer("size", 0, 1, NeuralLearnerSpec.MAX_PROMPTS);
            if (size == 0) throw new ConfigException(f.path() + ".size", "is required (an integer >= 1)");
            int held = f.integer("heldOut", DEFAULT_HELD_OUT, 1, NeuralLearnerSpec.MAX_PROMPTS);
            FamilyRule rule = FamilyRule.read(f, operands, size, held, "items");
            double familyNoise = f.number("labelNoise", noise, 0, 1);
            f.finish();
            total += size + held;
            families.add(new Family(n, size, held, rule.coefficients(), rule.divisor(), rule.arity(), familyNoise));
        }
        if (total > NeuralLearnerSpec.MAX_PROMPTS) {
            throw new ConfigException("families", "hold " + total + " items with held-out, more than " + NeuralLearnerSpec.MAX_PROMPTS);
        }
        return new NeuralSupervisedLearnerSpec(name, description, answers, operands, t.embedding(), t.hidden(), t.outputScale(),
                t.learningRate(), t.beta1(), t.beta2(), t.epsilon(), t.weightDecay(), epochs, refBatch, List.copyOf(families));
    }
}
