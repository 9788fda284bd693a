package io.proxima.sim.neural;

import io.proxima.core.recipe.ConfigNode;

import java.util.List;

/** What the families of both neural learners (prompts, items) have in common, and the sums over them. */
final class NeuralFamilies {
    private NeuralFamilies() {}

    /** A family of either neural learner. */
    interface Family {
        String name();

        int size();

        int heldOut();

        int arity();
    }

    /** Slots of a prompt: the family token, then the operands (padded to the largest arity). */
    static int slots(List<? extends Family> families) {
        int a = 0;
        for (Family f : families) a = Math.max(a, f.arity());
        return 1 + a;
    }

    static List<String> names(List<? extends Family> families) {
        return families.stream().map(Family::name).toList();
    }

    static int poolSize(List<? extends Family> families) {
        int n = 0;
        for (Family f : families) n += f.size();
        return n;
    }

    static int heldOut(List<? extends Family> families) {
        int n = 0;
        for (Family f : families) n += f.heldOut();
        return n;
    }

    /** The network and its optimizer, as a learner file gives them ({@code network.*}, {@code optimizer.*}). */
    record Training(int embedding, int hidden, double outputScale, double learningRate, double beta1, double beta2,
                    double epsilon, double weightDecay) {
        static Training read(ConfigNode r) {
            ConfigNode net = r.child("network");
            int embedding = net.integer("embedding", NeuralLearnerSpec.DEFAULT_EMBEDDING, 1, 1024);
            int hidden = net.integer("hidden", NeuralLearnerSpec.DEFAULT_HIDDEN, 1, 4096);
            double outputScale = net.number("outputScale", NeuralLearnerSpec.DEFAULT_OUTPUT_SCALE, 0, 100);
            net.finish();
            ConfigNode opt = r.child("optimizer");
            double lr = opt.number("learningRate", NeuralLearnerSpec.DEFAULT_LEARNING_RATE, 1e-9, 10);
            double beta1 = opt.number("beta1", Adam.BETA1, 0, 0.999999);
            double beta2 = opt.number("beta2", Adam.BETA2, 0, 0.999999);
            double epsilon = opt.number("epsilon", Adam.EPSILON, 1e-300, 1);
            double weightDecay = opt.number("weightDecay", NeuralLearnerSpec.DEFAULT_WEIGHT_DECAY, 0, 1);
            opt.finish();
            return new Training(embedding, hidden, outputScale, lr, beta1, beta2, epsilon, weightDecay);
        }
    }
}
