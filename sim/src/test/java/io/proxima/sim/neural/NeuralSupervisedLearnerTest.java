package io.proxima.sim.neural;

import io.proxima.core.sample.Rng;
import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.SupervisedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NeuralSupervisedLearnerTest {
    static final NeuralSupervisedLearnerSpec NOISY = LearnerFiles.read(Path.of("..", "examples", "lab", "neural-supervised-noisy.json"))
            .neuralSupervised();

    static NeuralSupervisedLearnerSpec spec(String json) {
        return LearnerFiles.parse(json).neuralSupervised();
    }

    static final NeuralSupervisedLearnerSpec SMALL = spec("""
            {"type": "neural-supervised", "answers": 5, "operands": 12, "network": {"embedding": 4, "hidden": 16},
             "labelNoise": 0.25,
             "families": [
               {"name": "bin", "size": 40, "heldOut": 20, "rule": [1, 0], "divisor": 3},
               {"name": "mod", "size": 40, "heldOut": 20, "rule": [2, 1], "labelNoise": 0.5},
               {"name": "labels", "size": 30, "heldOut": 10, "rule": "random", "arity": 3, "labelNoise": 0}]}""");

    /**
     * Pool items are distinct, held-out items are new, clean labels follow the family's rule, and each family
     * has exactly round(noise · size) training labels replaced by a wrong class.
     */
    @Test
    void datasetFollowsTheRulesWithExactlyTheNoisyShareWrong() {
        NeuralSupervisedLearner l = SMALL.create(5);
        assertThat(l.size()).isEqualTo(110);
        int slots = SMALL.slots();
        int[] t = l.poolTokens();
        Set<String> seen = new HashSet<>();
        int[] wrong = new int[3];
        for (int i = 0; i < l.size(); i++) {
            StringBuilder key = new StringBuilder();
            for (int s = 0; s < slots; s++) key.append(t[i * slots + s]).append(',');
            assertThat(seen.add(key.toString())).as("pool item %d is distinct", i).isTrue();
            int f = l.group(i);
            assertThat(t[i * slots]).isEqualTo(f);
            int a = t[i * slots + 1] - 3, b = t[i * slots + 2] - 3; // operand tokens follow the 3 family tokens
            if (f == 0) assertThat(l.cleanLabel(i)).isEqualTo((a / 3) % 5);
            if (f == 1) assertThat(l.cleanLabel(i)).isEqualTo((2 * a + b) % 5);
            if (l.mislabelled(i)) {
                wrong[f]++;
                assertThat(l.label(i)).isNotEqualTo(l.cleanLabel(i)).isBetween(0, 4);
            } else {
                assertThat(l.label(i)).isEqualTo(l.cleanLabel(i));
            }
        }
        assertThat(wrong).containsExactly(10, 20, 0); // 0.25·40, 0.5·40, 0·30
        assertThat(SMALL.mislabelledShare()).isCloseTo(30.0 / 110, within(1e-12));
        int[] h = l.heldOutTokens();
        for (int j = 0; j < h.length / slots; j++) {
            StringBuilder key = new StringBuilder();
            for (int s = 0; s < slots; s++) key.append(h[j * slots + s]).append(',');
            assertThat(seen.add(key.toString())).as("held-out item %d is new", j).isTrue();
        }
    }

    /** The wrong classes are spread over all K − 1 wrong answers, not one fixed shift. */
    @Test
    void wrongLabelsAreRandomWrongClasses() {
        NeuralSupervisedLearner l = NOISY.create(3);
        int k = NOISY.answers();
        int[] shift = new int[k];
        for (int i = 0; i < l.size(); i++) if (l.mislabelled(i)) shift[Math.floorMod(l.label(i) - l.cleanLabel(i), k)]++;
        assertThat(shift[0]).isZero();
        int total = (int) Math.round(NOISY.mislabelledShare() * NOISY.poolSize());
        for (int s = 1; s < k; s++) assertThat(shift[s]).as("shift %d", s).isBetween(total / (k - 1) / 2, 2 * total / (k - 1));
    }

    /** ∂ℓ/∂θ accumulated by the cross-entropy path matches a central finite difference of ℓ = −log π(y | x), parameter by parameter. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void crossEntropyGradientMatchesFiniteDifferences(long seed) {
        Rng rng = new Rng(seed);
        int vocab = 8, classes = 5;
        PolicyNetwork net = new PolicyNetwork(vocab, 3, 3, 6, classes, 2.0, rng);
        for (int i = 0; i < net.params.length; i++) net.params[i] += 0.1 * rng.nextGaussian();
        int[] tokens = {rng.nextInt(vocab), rng.nextInt(vocab), rng.nextInt(vocab)};
        int y = rng.nextInt(classes);
        double[] p = new double[classes];
        net.zeroGrad();
        double loss = NeuralSupervisedLearner.accumulate(net, tokens, 0, y, p);
        assertThat(loss).isCloseTo(NeuralSupervisedLearner.crossEntropy(net, tokens, 0, y, p), within(1e-15));
        double[] analytic = net.grads.clone();
        double h = 1e-6;
        int moved = 0;
        for (int i = 0; i < net.params.length; i++) {
            double keep = net.params[i];
            net.params[i] = keep + h;
            double up = NeuralSupervisedLearner.crossEntropy(net, tokens, 0, y, p);
            net.params[i] = keep - h;
            double down = NeuralSupervisedLearner.crossEntropy(net, tokens, 0, y, p);
            net.params[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertThat(analytic[i]).as("parameter %d", i).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            if (numeric != 0) moved++;
        }
        assertThat(moved).isGreaterThan(net.params.length / 6);
    }

    /** The learner's train() accumulates exactly the gradient of loss(item) on the training label, wrong labels included. */
    @Test
    void trainAccumulatesTheGradientOfTheReportedLoss() {
        NeuralSupervisedLearner l = SMALL.create(7);
        int item = -1;
        for (int i = 0; i < l.size() && item < 0; i++) if (l.mislabelled(i)) item = i;
        PolicyNetwork net = l.network();
        net.zeroGrad();
        double before = l.loss(item);
        assertThat(l.train(item)).isEqualTo(before);
        double[] analytic = net.grads.clone();
        double h = 1e-6;
        for (int i = 0; i < net.params.length; i += 7) {
            double keep = net.params[i];
            net.params[i] = keep + h;
            double up = l.loss(item);
            net.params[i] = keep - h;
            double down = l.loss(item);
            net.params[i] = keep;
            assertThat(analytic[i]).as("parameter %d", i).isCloseTo((up - down) / (2 * h), within(1e-6));
        }
        // endStep applies one Adam step on the batch's mean gradient: training on this item again lowers its loss.
        l.endStep();
        assertThat(l.loss(item)).isLessThan(before);
        assertThat(net.grads).containsOnly(0.0);
    }

    @Test
    void startsAtChance() {
        NeuralSupervisedLearner l = NOISY.create(1);
        assertThat(l.testScore()).isBetween(0.05, 0.16);
        assertThat(l.testLoss()).isCloseTo(Math.log(10), within(0.05));
    }

    /** Same seed ⇒ the same data, reference ranking and run; another seed ⇒ another one. */
    @Test
    void deterministicForASeed() {
        LabOptions o = new LabOptions(3_000, 32, 1, 1, 6, 1, 1, 1, Double.NaN);
        SupervisedRun.Spec uniform = SupervisedRun.Spec.named("uniform");
        SupervisedRun.Curve a = SupervisedRun.run(SMALL, uniform, o, 4), b = SupervisedRun.run(SMALL, uniform, o, 4),
                c = SupervisedRun.run(SMALL, uniform, o, 5);
        assertThat(b.accuracy()).containsExactly(a.accuracy());
        assertThat(b.loss()).containsExactly(a.loss());
        assertThat(b.mislabelledFit()).containsExactly(a.mislabelledFit());
        assertThat(c.loss()).isNotEqualTo(a.loss());
        NeuralSupervisedLearner x = SMALL.create(4), y = SMALL.create(4);
        for (int i = 0; i < x.size(); i++) assertThat(x.difficulty(i)).isEqualTo(y.difficulty(i));
        assertThat(x.network().params).containsExactly(y.network().params);
    }

    /**
     * A short walk of the shipped pool (20k items, ~2.7 passes): the easy family leaves chance (0.1) by a wide margin,
     * and every curve point is a valid accuracy.
     */
    @Test
    void uniformBeatsChanceWidelyOnTheEasyFamily() {
        LabOptions o = new LabOptions(20_000, 32, 1, 1, 4, 1, 1, 1, Double.NaN);
        SupervisedRun.Curve r = SupervisedRun.run(NOISY, SupervisedRun.Spec.named("uniform"), o, 1);
        double chance = 1.0 / NOISY.answers();
        assertThat(r.sourceAccuracy()[NOISY.sourceNames().indexOf("bin")]).isGreaterThan(5 * chance);
        assertThat(r.accuracy()[r.accuracy().length - 1]).isGreaterThan(r.accuracy()[0] + 0.15);
        for (double a : r.accuracy()) assertThat(a).isBetween(0.0, 1.0);
        assertThat(r.totalNoisyShare()).isCloseTo(NOISY.mislabelledShare(), within(0.02)); // walking the pool trains on its noise share
    }

    /**
     * Trained long on a small pool (40 passes), the network memorises the wrong labels of the pool — it answers most
     * mislabelled items with their wrong class — yet on new items it answers the rule: memorisation is per item and
     * does not reach held-out items.
     */
    @Test
    void noisyLabelsAreMemorisedOnThePoolButNotOnHeldOutItems() {
        NeuralSupervisedLearnerSpec s = spec("""
                {"type": "neural-supervised", "answers": 10, "operands": 50, "labelNoise": 0.3,
                 "families": [{"name": "bin", "size": 400, "heldOut": 400, "rule": [1, 0], "divisor": 5}]}""");
        NeuralSupervisedLearner l = s.create(2);
        double fit0 = l.mislabelledFit();
        for (int epoch = 0; epoch < 40; epoch++) {
            for (int i = 0; i < l.size(); i++) {
                l.train(i);
                if (i % 32 == 31 || i == l.size() - 1) l.endStep();
            }
        }
        int wrong = 0, cleanOnWrong = 0;
        for (int i = 0; i < l.size(); i++) {
            if (!l.mislabelled(i)) continue;
            wrong++;
            if (l.loss(i) > -Math.log(0.5)) continue; // not confidently memorised
            cleanOnWrong++;
        }
        assertThat(wrong).isEqualTo(120);
        assertThat(fit0).isLessThan(0.25);
        assertThat(l.mislabelledFit()).as("wrong labels memorised on the pool").isGreaterThan(0.6);
        assertThat((double) cleanOnWrong / wrong).as("wrong labels held with probability > 0.5").isGreaterThan(0.5);
        assertThat(l.testScore()).as("clean held-out accuracy: the rule, not the noise").isGreaterThan(0.6);
    }

    /** One pass of the reference model learns the rules more than the noise: it ranks mislabelled items harder on average. */
    @Test
    void referenceDifficultyRanksMislabelledItemsHarder() {
        NeuralSupervisedLearner l = NOISY.create(1);
        double wrong = 0, clean = 0;
        int nw = 0, nc = 0;
        for (int i = 0; i < l.size(); i++) {
            if (l.group(i) != NOISY.sourceNames().indexOf("bin")) continue;
            if (l.mislabelled(i)) {
                wrong += l.difficulty(i);
                nw++;
            } else {
                clean += l.difficulty(i);
                nc++;
            }
        }
        assertThat(wrong / nw).isGreaterThan(clean / nc + 0.5);
    }

    @Test
    void badDescriptionsNameTheirField() {
        String ok = "{\"type\": \"neural-supervised\", \"families\": [%s]}";
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1], \"labelNoise\": 1.5}")))
                .hasMessageContaining("families[0].labelNoise");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1], \"verifierNoise\": 0.5}")))
                .hasMessageContaining("families[0].verifierNoise: unknown key");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": \"magic\"}"))).hasMessageContaining("families[0].rule");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10}"))).hasMessageContaining("families[0].rule: is required");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 50, \"rule\": [1]}"))).hasMessageContaining("exceeds 90%");
        assertThatThrownBy(() -> spec("{\"type\": \"neural-supervised\", \"reference\": {\"epochs\": 0}, \"families\": [{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1]}]}"))
                .hasMessageContaining("reference.epochs");
        assertThatThrownBy(() -> spec("{\"type\": \"neural-supervised\", \"families\": []}")).hasMessageContaining("families: must hold at least one");
    }
}
