package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The description of a {@link SupervisedLearner}: a pool of labelled items in sources (groups),
 * a share of them mislabelled.
 *
 * <pre>{@code
 * {"type": "supervised", "name": "supervised-noisy",
 *  "labelNoise": 0.3, "classes": 10, "learningRate": 0.01, "harm": 1.0, "headroom": 4.0,
 *  "memorisation": 0.3, "heldOut": 2000,
 *  "sources": [{"name": "easy", "size": 3000, "difficulty": {"mean": -1, "sd": 1}}, ...]}
 * }</pre>
 */
public record SupervisedLearnerSpec(String name, String description, List<Source> sources, double labelNoise, int classes,
                                    double skill, double learningRate, double harm, double headroom, double memorisation,
                                    int heldOut) implements ItemLearnerSpec {
    public static final double DEFAULT_LABEL_NOISE = 0.3;
    public static final int DEFAULT_CLASSES = 10;
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final double DEFAULT_HARM = 1.0;
    public static final double DEFAULT_HEADROOM = 4.0;
    public static final double DEFAULT_MEMORISATION = 0.3;
    public static final int DEFAULT_HELD_OUT = 2000;
    static final int MAX_SIZE = 10_000_000;

    /** A group of items with its difficulty distribution (logits) and its own label-noise share (NaN: the global one). */
    public record Source(String name, int size, double difficultyMean, double difficultySd, double labelNoise) {}

    @Override
    public int poolSize() {
        int n = 0;
        for (Source s : sources) n += s.size();
        return n;
    }

    /** The label-noise share of a source (its own, or the global one). */
    public double labelNoise(Source s) {
        return Double.isNaN(s.labelNoise()) ? labelNoise : s.labelNoise();
    }

    @Override
    public List<String> sourceNames() {
        return sources.stream().map(Source::name).toList();
    }

    @Override
    public double mislabelledShare() {
        double m = 0;
        for (Source s : sources) m += s.size() * labelNoise(s);
        return m / poolSize();
    }

    @Override
    public SupervisedLearner create(long seed) {
        return new SupervisedLearner(this, seed);
    }

    @Override
    public String sourceTable() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Simulated learner: skill θ (start %.3g), %d classes, learning rate %.3g, harm of a wrong label %.3g, headroom %.3g, "
                        + "memorisation %.3g. A mislabelled item's loss stays at ln(classes) whatever the training; pacing orders items "
                        + "by their true difficulty.%n%n", skill, classes, learningRate, harm, headroom, memorisation));
        b.append("| source | items | difficulty (logit) | label noise |\n|---|---|---|---|\n");
        for (Source s : sources) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.2f ± %.2f | %.0f%% |%n", s.name(), s.size(), s.difficultyMean(),
                    s.difficultySd(), 100 * labelNoise(s)));
        }
        return b.toString();
    }

    static SupervisedLearnerSpec read(ConfigNode root) {
        StrictJson.Split split = StrictJson.objects(root, "sources", true);
        ConfigNode r = split.rest();
        r.text("type", "supervised");
        String name = r.text("name", "learner");
        String description = r.text("description", "");
        double noise = r.number("labelNoise", DEFAULT_LABEL_NOISE, 0, 1);
        int classes = r.integer("classes", DEFAULT_CLASSES, 2, 1_000_000);
        double skill = r.number("skill", 0.0, -50, 50);
        double lr = r.number("learningRate", DEFAULT_LEARNING_RATE, 0, 100);
        double harm = r.number("harm", DEFAULT_HARM, 0, 100);
        double headroom = r.number("headroom", DEFAULT_HEADROOM, 1e-6, 1e6);
        double memo = r.number("memorisation", DEFAULT_MEMORISATION, 0, 100);
        int heldOut = r.integer("heldOut", DEFAULT_HELD_OUT, 1, MAX_SIZE);
        r.finish();
        List<Source> sources = new ArrayList<>();
        for (ConfigNode s : split.elements()) {
            String n = s.text("name", null);
            if (n == null || n.isEmpty()) throw new ConfigException(s.path() + ".name", "is required");
            for (Source o : sources) if (o.name().equals(n)) throw new ConfigException(s.path() + ".name", "duplicate source '" + n + "'");
            int size = s.integer("size", 0, 1, MAX_SIZE);
            if (size == 0) throw new ConfigException(s.path() + ".size", "is required (an integer >= 1)");
            ConfigNode d = s.child("difficulty");
            double mean = d.number("mean", 0.0, -50, 50);
            double sd = d.number("sd", 1.0, 0, 50);
            d.finish();
            double ln = s.has("labelNoise") ? s.number("labelNoise", noise, 0, 1) : Double.NaN;
            s.finish();
            sources.add(new Source(n, size, mean, sd, ln));
        }
        if (sources.isEmpty()) throw new ConfigException("sources", "must hold at least one source");
        SupervisedLearnerSpec spec = new SupervisedLearnerSpec(name, description, List.copyOf(sources), noise, classes, skill, lr, harm,
                headroom, memo, heldOut);
        if (spec.poolSize() > MAX_SIZE) throw new ConfigException("sources", "at most " + MAX_SIZE + " items in all");
        return spec;
    }
}
