package io.proxima.sim.neural;

import io.proxima.sim.learner.LearnerFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NeuralPromptLearnerTest {
    static NeuralLearnerSpec spec(String json) {
        return LearnerFiles.parse(json).neural();
    }

    static final NeuralLearnerSpec SMALL = spec("""
            {"type": "neural", "answers": 5, "operands": 12, "network": {"embedding": 4, "hidden": 16},
             "families": [
               {"name": "bin", "size": 40, "heldOut": 20, "rule": [1, 0], "divisor": 3},
               {"name": "mod", "size": 40, "heldOut": 20, "rule": [2, 1]},
               {"name": "labels", "size": 30, "heldOut": 10, "rule": "random", "arity": 3},
               {"name": "coin", "size": 30, "heldOut": 10, "rule": [1, 0], "verifierNoise": 1.0, "tokens": 900}]}""");

    /** Pool prompts are distinct, held-out prompts are distinct from them, labels follow the family's rule. */
    @Test
    void datasetIsDistinctDisjointAndLabelledByTheRule() {
        NeuralPromptLearner l = SMALL.create(5);
        assertThat(l.size()).isEqualTo(140);
        int slots = SMALL.slots();
        assertThat(slots).isEqualTo(4);
        Set<String> seen = new HashSet<>();
        int[] tokens = tokensOf(l);
        for (int i = 0; i < l.size(); i++) {
            StringBuilder key = new StringBuilder();
            for (int s = 0; s < slots; s++) key.append(tokens[i * slots + s]).append(',');
            assertThat(seen.add(key.toString())).as("pool prompt %d is distinct", i).isTrue();
            int f = l.group(i);
            assertThat(tokens[i * slots]).isEqualTo(f); // family token first
            int a = tokens[i * slots + 1] - 4, b = tokens[i * slots + 2] - 4;
            if (f == 0) assertThat(l.label(i)).isEqualTo((a / 3) % 5);
            if (f == 1) assertThat(l.label(i)).isEqualTo((2 * a + b) % 5);
            if (f == 0 || f == 1) assertThat(tokens[i * slots + 3]).as("padding").isEqualTo(4 + 12);
        }
        int[] held = heldTokensOf(l);
        for (int j = 0; j < held.length / slots; j++) {
            StringBuilder key = new StringBuilder();
            for (int s = 0; s < slots; s++) key.append(held[j * slots + s]).append(',');
            assertThat(seen.add(key.toString())).as("held-out prompt %d is new", j).isTrue();
        }
    }

    private static int[] tokensOf(NeuralPromptLearner l) {
        return (int[]) field(l, "tokens");
    }

    private static int[] heldTokensOf(NeuralPromptLearner l) {
        return (int[]) field(l, "hTokens");
    }

    private static Object field(Object o, String name) {
        try {
            var f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void startsNearChance() {
        NeuralPromptLearner l = SMALL.create(1);
        assertThat(l.testScore()).isCloseTo(0.2, within(0.03));
        assertThat(l.policyEntropy()).isCloseTo(Math.log(5), within(0.05));
    }

    /** The accumulated gradient of train() is the gradient of the GRPO surrogate loss, by finite differences. */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.05})
    void trainAccumulatesTheGrpoGradient(double beta) {
        NeuralLearnerSpec s = spec("""
                {"type": "neural", "answers": 4, "operands": 9, "network": {"embedding": 3, "hidden": 5, "outputScale": 2.0},
                 "entropyBonus": %s, "families": [{"name": "f", "size": 20, "heldOut": 5, "rule": [1, 1]}]}""".formatted(beta));
        NeuralPromptLearner l = s.create(3);
        int g = 6;
        double[] rewards = new double[g];
        int[] tok = new int[g];
        int task = 7;
        // rewards with some spread (fixed, not the sampled ones: the surrogate takes any rewards)
        l.rollout(task, g, rewards, tok, 0);
        double[] r = {1, 0, 0, 1, 1, 0};
        int[] answers = l.drawnAnswers(task);
        PolicyNetwork net = l.network();
        net.zeroGrad();
        l.train(task, r, g);
        double[] analytic = net.grads.clone();
        // surrogate: L = −(1/R) Σ A_i log π(a_i) − β (G/R) H, with R = g (one group in the step)
        double mean = 0.5, std = 0.5;
        int[] t = tokensOf(l);
        int slots = s.slots();
        java.util.function.DoubleSupplier loss = () -> {
            double[] p = new double[4];
            net.forward(t, task * slots, p);
            double v = 0;
            for (int k = 0; k < g; k++) v -= (r[k] - mean) / (std + NeuralPromptLearner.ADVANTAGE_EPSILON) * Math.log(p[answers[k]]);
            v -= beta * g * PolicyNetwork.entropy(p, 4);
            return v / g;
        };
        double h = 1e-6;
        for (int i = 0; i < net.params.length; i++) {
            double keep = net.params[i];
            net.params[i] = keep + h;
            double up = loss.getAsDouble();
            net.params[i] = keep - h;
            double down = loss.getAsDouble();
            net.params[i] = keep;
            // train() accumulates the unnormalised sum; endStep divides by R
            assertThat(analytic[i] / g).as("parameter %d", i).isCloseTo((up - down) / (2 * h), within(1e-6));
        }
    }

    @Test
    void aGroupWhoseRewardsAgreeCarriesNoGradient() {
        NeuralPromptLearner l = SMALL.create(2);
        double[] rewards = new double[8];
        int[] tok = new int[8];
        l.rollout(3, 8, rewards, tok, 0);
        l.network().zeroGrad();
        assertThat(l.train(3, new double[]{1, 1, 1, 1, 1, 1, 1, 1}, 8)).isZero();
        assertThat(l.network().grads).containsOnly(0.0);
        assertThatThrownBy(() -> l.train(4, rewards, 8)).hasMessageContaining("no untrained rollout");
        assertThatThrownBy(() -> l.train(3, rewards, 8)).as("each draw is trained once").hasMessageContaining("no untrained rollout");
    }

    /**
     * A prompt drawn twice in one step (a filter's second round, an epoch turning inside the step)
     * trains each group on the answers that earned its rewards, whatever the order of train()
     * and whether the two draws have the same number of answers.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void aPromptDrawnTwiceInOneStepTrainsEachDrawOnItsOwnAnswers(int secondG) {
        int found = 0;
        for (int seed = 1; seed < 200 && found < 5; seed++) {
            for (int task = 0; task < 20 && found < 5; task++) {
                NeuralPromptLearner both = SMALL.create(seed);
                double[] r1 = new double[8], r2 = new double[secondG];
                int[] tok = new int[8];
                int s1 = both.rollout(task, 8, r1, tok, 0);
                int[] a1 = both.drawnAnswers(task);
                int s2 = both.rollout(task, secondG, r2, tok, 0);
                if (s1 == 0 || s1 == 8 || s2 == 0 || s2 == secondG || java.util.Arrays.equals(r1, r2)) continue;
                found++;
                // the same network, the first draw alone: its gradient is what training r1 must give
                NeuralPromptLearner first = SMALL.create(seed);
                double[] r = new double[8];
                first.rollout(task, 8, r, tok, 0);
                assertThat(first.drawnAnswers(task)).isEqualTo(a1);
                first.network().zeroGrad();
                first.train(task, r1, 8);
                both.network().zeroGrad();
                both.train(task, r1, 8);
                assertThat(both.network().grads).isEqualTo(first.network().grads);
                both.train(task, r2, secondG);
                int t = task;
                assertThatThrownBy(() -> both.train(t, r1, 8)).hasMessageContaining("no untrained rollout");
            }
        }
        assertThat(found).isEqualTo(5);
    }

    @Test
    void brokenVerifierPaysCoinsAndTokenBudgetsCut() {
        NeuralPromptLearner l = SMALL.create(4);
        int coin = 110; // first prompt of the fourth family
        assertThat(l.group(coin)).isEqualTo(3);
        double[] rewards = new double[1000];
        int[] tok = new int[1000];
        int s = l.rollout(coin, 1000, rewards, tok, 0);
        assertThat(s / 1000.0).isCloseTo(0.5, within(0.06)); // a fair coin whatever the answer (chance is 0.2)
        assertThat(tok[0]).isEqualTo(900);
        assertThat(l.rollout(coin, 1000, rewards, tok, 500)).isZero();
        assertThat(tok[0]).isEqualTo(500);
        assertThat(l.truncatedRollouts()).isEqualTo(1000);
    }

    /** Same seed ⇒ the same run, step by step; another seed ⇒ another one. */
    @Test
    void deterministicForASeed() {
        double[] a = run(SMALL.create(9), 40), b = run(SMALL.create(9), 40), c = run(SMALL.create(10), 40);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    /** Walks the pool, trains on every group, returns the held-out accuracy after each step. */
    static double[] run(NeuralPromptLearner l, int steps) {
        double[] out = new double[steps];
        double[] rewards = new double[8];
        int[] tok = new int[8];
        int next = 0;
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < 16; k++) {
                int task = next++ % l.size();
                l.rollout(task, 8, rewards, tok, 0);
                l.train(task, rewards, 8);
            }
            l.endStep();
            out[s] = l.testScore();
        }
        return out;
    }

    @Test
    void badDescriptionsNameTheirField() {
        String ok = "{\"type\": \"neural\", \"families\": [%s]}";
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": \"magic\"}"))).hasMessageContaining("families[0].rule");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [1, 0.5]}"))).hasMessageContaining("families[0].rule[1]");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [0, 0]}"))).hasMessageContaining("constant");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10}"))).hasMessageContaining("families[0].rule: is required");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1], \"colour\": 1}"))).hasMessageContaining("families[0].colour");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 40, \"heldOut\": 5, \"rule\": [1]}"))).hasMessageContaining("exceeds 90% of the 40 distinct prompts");
        assertThatThrownBy(() -> spec(ok.formatted("{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1]}, {\"name\": \"a\", \"size\": 10, \"rule\": [1, 1]}")))
                .hasMessageContaining("families[1].name: duplicate");
        assertThatThrownBy(() -> spec("{\"type\": \"neural\", \"optimizer\": {\"lr\": 1}, \"families\": [{\"name\": \"a\", \"size\": 10, \"rule\": [1, 1]}]}"))
                .hasMessageContaining("optimizer.lr");
        assertThatThrownBy(() -> spec("{\"type\": \"neural\", \"families\": []}")).hasMessageContaining("families: must hold at least one");
    }

    @Test
    void theReportSaysAtWhichLearningRateItsRankingHoldsAndHowToCheckOthers() {
        NeuralLearnerSpec s = spec("""
                {"type": "neural", "name": "n", "optimizer": {"learningRate": 0.004},
                 "families": [{"name": "a", "size": 40, "rule": [1, 0], "divisor": 4}]}""");
        assertThat(s.sourceTable()).contains("Adam lr 0.004", "--vary optimizer.learningRate=0.002,0.004,0.008");
    }
}
