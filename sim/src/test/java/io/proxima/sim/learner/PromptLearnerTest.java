package io.proxima.sim.learner;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PromptLearnerTest {
    /** Two sources of 100 prompts; the given extra keys are spliced into the top level. */
    static PromptLearnerSpec spec(String extra, String secondSource) {
        return LearnerFiles.parse("""
                {"heldOut": 400 %s,
                 "sources": [
                   {"name": "a", "size": 100, "difficulty": {"mean": 0, "sd": 1}},
                   %s
                 ]}""".formatted(extra, secondSource)).prompts();
    }

    static PromptLearnerSpec spec(String extra) {
        return spec(extra, "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 0, \"sd\": 1}}");
    }

    static double[] rewards(int successes, int g) {
        double[] r = new double[g];
        Arrays.fill(r, 0, successes, 1.0);
        return r;
    }

    @Test
    void gainIsZeroWhenAllRewardsAgree() {
        PromptLearner l = new PromptLearner(spec(""), 1);
        double acc = l.testScore();
        double slope = l.slope();
        double p0 = l.successProbability(0);
        assertThat(l.train(0, rewards(8, 8), 8)).isZero();
        assertThat(l.train(0, rewards(0, 8), 8)).isZero();
        assertThat(l.skill(0)).isZero();
        assertThat(l.skill(1)).isZero();
        assertThat(l.memorisation(0)).isZero();
        assertThat(l.slope()).isEqualTo(slope);
        assertThat(l.successProbability(0)).isEqualTo(p0);
        assertThat(l.testScore()).isEqualTo(acc);
    }

    @Test
    void gainIsProportionalToRewardVarianceWithTransfer() {
        // lr = 0.004, v = 0.5·0.5 = 0.25, fresh prompt and skill: Δ = 0.004·0.25·1·1 = 0.001.
        PromptLearner l = new PromptLearner(spec(", \"transfer\": 0.5, \"memorisation\": {\"rate\": 0}"), 1);
        assertThat(l.train(0, rewards(4, 8), 8)).isCloseTo(0.001, within(1e-12));
        assertThat(l.skill(0)).isCloseTo(0.001, within(1e-12));
        assertThat(l.skill(1)).isCloseTo(0.0005, within(1e-12));
        // v = 2/8·6/8 = 0.1875 → Δ = 0.004·0.1875·exp(−0.001/2)
        assertThat(l.train(1, rewards(2, 8), 8)).isCloseTo(0.004 * 0.1875 * Math.exp(-0.001 / 2.0), within(1e-12));
    }

    @Test
    void rolloutWeightedUpdatesWaitForTheStepAndWeighEachGroupByItsRollouts() {
        // Two groups, 4 and 12 rollouts, half right: v = 0.25 each; the step's mean is 8 rollouts, so
        // weights 0.5 and 1.5. Source a's skill: 0.004·0.25·0.5 = 0.0005, then a second Δ from
        // prompt 1 of 0.004·0.25·1.5·exp(−0.0005/2) (headroom 2). Memorisation: 0.6·v·w (float).
        PromptLearner l = new PromptLearner(spec(", \"rolloutWeighted\": true, \"transfer\": 0"), 1);
        l.train(0, rewards(2, 4), 4);
        l.train(1, rewards(6, 12), 12);
        assertThat(l.skill(0)).isZero(); // nothing moves before the step ends: every rollout of a step comes from one policy
        assertThat(l.memorisation(0)).isZero();
        l.endStep();
        double first = 0.004 * 0.25 * 0.5;
        assertThat(l.skill(0)).isCloseTo(first + 0.004 * 0.25 * 1.5 * Math.exp(-first / 2.0), within(1e-12));
        assertThat(l.skill(1)).isZero();
        // read one step later: faded once by the default memorisation forgetting (0.002)
        assertThat(l.memorisation(0)).isCloseTo(0.6 * 0.25 * 0.5 * 0.998, within(1e-6));
        assertThat(l.memorisation(1)).isCloseTo(0.6 * 0.25 * 1.5 * 0.998, within(1e-6));
    }

    @Test
    void rolloutWeightedChangesNothingWhenEveryGroupHasTheSameRollouts() {
        PromptLearner plain = new PromptLearner(spec(""), 9);
        PromptLearner weighted = new PromptLearner(spec(", \"rolloutWeighted\": true"), 9);
        lockstep(plain, weighted, 50, false);
        assertThat(weighted.skill(0)).isEqualTo(plain.skill(0));
        assertThat(weighted.skill(1)).isEqualTo(plain.skill(1));
        assertThat(weighted.slope()).isEqualTo(plain.slope());
        assertThat(weighted.testScore()).isEqualTo(plain.testScore());
    }

    @Test
    void rolloutWeightedIsOffByDefaultAndMustBeABoolean() {
        assertThat(spec("").rolloutWeighted()).isFalse();
        assertThat(spec(", \"rolloutWeighted\": true").rolloutWeighted()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(", \"rolloutWeighted\": 1"))
                .isInstanceOf(io.proxima.core.recipe.ConfigException.class)
                .hasMessageContaining("rolloutWeighted");
    }

    @Test
    void randomLabelsAreLearnedOnlyByMemorisingEachPrompt() {
        // Source b: random labels at p = σ(−2.2) ≈ 0.1, memorised at its own rate 2.0 (a's is the default 0.6).
        PromptLearnerSpec s = spec(", \"sharpening\": 0",
                "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 2.2, \"sd\": 0}, \"randomLabels\": 1.0, \"memorisation\": 2.0}");
        PromptLearner l = new PromptLearner(s, 3);
        int task = 150;
        assertThat(l.kind(task)).isEqualTo(PromptLearner.MEMORISABLE);
        double start = 1 / (1 + Math.exp(2.2));
        assertThat(l.successProbability(task)).isCloseTo(start, within(1e-6));
        double heldOut = l.testScore(1);
        assertThat(heldOut).isCloseTo(start, within(1e-6));
        // v = 0.25: m = 2.0·0.25 = 0.5 on this prompt alone; no skill anywhere
        assertThat(l.train(task, rewards(4, 8), 8)).isZero();
        assertThat(l.memorisation(task)).isCloseTo(0.5, within(1e-6));
        assertThat(l.successProbability(task)).isCloseTo(1 / (1 + Math.exp(2.2 - 0.5)), within(1e-6));
        assertThat(l.skill(0)).isZero();
        assertThat(l.skill(1)).isZero();
        assertThat(l.successProbability(151)).isCloseTo(start, within(1e-6));
        assertThat(l.testScore(1)).isEqualTo(heldOut); // never-seen prompts of a random-label source stay where they started
        // a normal prompt of source a memorises at the learner's rate: 0.6·0.25
        l.train(0, rewards(4, 8), 8);
        assertThat(l.memorisation(0)).isCloseTo(0.15, within(1e-6));
    }

    @Test
    void sharpeningPushesHeldOutRandomLabelsBelowTheirStart() {
        PromptLearnerSpec s = spec("", "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 2.2, \"sd\": 0}, \"randomLabels\": 1.0}");
        PromptLearner l = new PromptLearner(s, 3);
        double before = l.testScore(1);
        for (int step = 0; step < 20; step++) {
            for (int i = 0; i < 100; i++) l.train(i, rewards(4, 8), 8);
            l.endStep();
        }
        assertThat(l.slope()).isGreaterThan(1.0);
        assertThat(l.testScore(1)).isLessThan(before); // as on the networks: a random-label family's held-out accuracy falls below chance
        assertThat(l.skill(1)).isPositive(); // transfer from a still reaches b's skill, which its prompts never use
    }

    @Test
    void sharesOfPromptKindsMayNotExceedOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec("",
                        "{\"name\": \"b\", \"size\": 100, \"noisy\": 0.5, \"randomLabels\": 0.6}"))
                .isInstanceOf(io.proxima.core.recipe.ConfigException.class)
                .hasMessageContaining("sources[1].randomLabels")
                .hasMessageContaining("<= 1");
    }

    @Test
    void aPartlyBrokenVerifierTeachesOnlyWhatFollowsCorrectness() {
        // Source b: η = 1, every reward a coin. A prompt no answer of which is right (p = σ(−8))
        // gets coin rewards; its group's rewards vary (v > 0, the policy sharpens) but they do not
        // follow correctness (every answer wrong: Cov = 0), so skill and memorisation do not move.
        PromptLearner l = new PromptLearner(spec("",
                "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 8, \"sd\": 0}, \"verifierNoise\": 1.0}"), 2);
        double[] r = new double[64];
        int[] tok = new int[64];
        int s = l.rollout(150, 64, r, tok, 0);
        assertThat(s).isBetween(16, 48); // ~32 coins won of 64
        assertThat(java.util.Arrays.stream(r).sum()).isEqualTo(s);
        double slope = l.slope();
        assertThat(l.train(150, r, 64)).isZero();
        assertThat(l.skill(1)).isZero();
        assertThat(l.memorisation(150)).isZero();
        assertThat(l.slope()).isGreaterThan(slope);
    }

    @Test
    void withoutVerifierNoiseTheCovarianceIsTheVarianceAndRunsAreUnchanged() {
        // η = 0 draws nothing more from the generator and trains exactly as before; a source with
        // η > 0 and a group trained without its rollout (as here) counts its rewards as correct.
        PromptLearner plain = new PromptLearner(spec(""), 4);
        PromptLearner zero = new PromptLearner(spec("", "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 0, \"sd\": 1}, \"verifierNoise\": 0}"), 4);
        lockstep(plain, zero, 30, true);
        assertThat(zero.skill(0)).isEqualTo(plain.skill(0));
        assertThat(zero.skill(1)).isEqualTo(plain.skill(1));
        PromptLearner direct = new PromptLearner(spec(", \"transfer\": 0, \"memorisation\": {\"rate\": 0}",
                "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 0, \"sd\": 1}, \"verifierNoise\": 0.3}"), 1);
        assertThat(direct.train(150, rewards(4, 8), 8)).isCloseTo(0.004 * 0.25, within(1e-12));
    }

    @Test
    void aNoisyVerifierSlowsLearningOnAverage() {
        // Same prompts, same seed: a source under a 30 % coin verifier gains less skill than a clean one.
        double clean = skillAfterWalks("");
        double noisy = skillAfterWalks(", \"verifierNoise\": 0.3");
        assertThat(noisy).isPositive().isLessThan(clean);
    }

    private static double skillAfterWalks(String extra) {
        PromptLearner l = new PromptLearner(spec("", "{\"name\": \"b\", \"size\": 100, \"difficulty\": {\"mean\": 0, \"sd\": 1}" + extra + "}"), 6);
        double[] r = new double[8];
        int[] tok = new int[8];
        for (int epoch = 0; epoch < 20; epoch++) {
            for (int t = 100; t < 200; t++) {
                l.rollout(t, 8, r, tok, 0);
                l.train(t, r, 8);
                if (t % 32 == 31) l.endStep();
            }
        }
        return l.skill(1);
    }

    /**
     * Trains two learners on the same 16 tasks a step for {@code steps} steps: on the rewards of
     * their own rollouts, which must agree ({@code rollOut}), or on the same drawn rewards.
     */
    private static void lockstep(PromptLearner a, PromptLearner b, int steps, boolean rollOut) {
        java.util.Random r = new java.util.Random(4);
        double[] ra = new double[8], rb = new double[8];
        int[] tok = new int[8];
        for (int step = 0; step < steps; step++) {
            for (int i = 0; i < 16; i++) {
                int task = r.nextInt(200);
                if (rollOut) {
                    a.rollout(task, 8, ra, tok, 0);
                    b.rollout(task, 8, rb, tok, 0);
                    assertThat(rb).containsExactly(ra);
                } else {
                    ra = rewards(r.nextInt(9), 8);
                    rb = ra;
                }
                a.train(task, ra, 8);
                b.train(task, rb, 8);
            }
            a.endStep();
            b.endStep();
        }
    }

    @Test
    void returnsDiminish() {
        PromptLearner l = new PromptLearner(spec(", \"learningRate\": 0.5, \"memorisation\": {\"rate\": 0}"), 1);
        double first = l.train(0, rewards(4, 8), 8);
        double last = first;
        for (int i = 1; i < 50; i++) last = l.train(i, rewards(4, 8), 8);
        assertThat(last).isLessThan(first / 2);
    }

    @Test
    void unlearnablePromptsNeverImprove() {
        PromptLearnerSpec s = spec("", "{\"name\": \"b\", \"size\": 100, \"unlearnable\": 1.0}");
        PromptLearner l = new PromptLearner(s, 3);
        double[] r = new double[8];
        int[] tok = new int[8];
        for (int step = 0; step < 200; step++) {
            for (int i = 0; i < 100; i++) l.train(i, rewards(4, 8), 8); // source a improves, and transfers
            for (int i = 100; i < 200; i++) {
                assertThat(l.kind(i)).isEqualTo(PromptLearner.UNLEARNABLE);
                assertThat(l.rollout(i, 8, r, tok)).isZero();
                l.train(i, r, 8);
                assertThat(l.successProbability(i)).isZero();
            }
            l.endStep();
        }
        assertThat(l.skill(1)).isPositive();
        assertThat(l.testScore(1)).isZero();
    }

    @Test
    void noisyPromptsPayAtChanceAndTeachNothing() {
        PromptLearnerSpec s = spec(", \"memorisation\": {\"rate\": 0}", "{\"name\": \"b\", \"size\": 100, \"noisy\": 1.0}");
        PromptLearner l = new PromptLearner(s, 3);
        assertThat(l.successProbability(150)).isEqualTo(0.5);
        assertThat(l.train(150, rewards(4, 8), 8)).isZero();
        assertThat(l.skill(1)).isZero();
        assertThat(l.successProbability(150)).isEqualTo(0.5);
    }

    @Test
    void memorisationRaisesThePromptButNotHeldOutAccuracy() {
        PromptLearner l = new PromptLearner(spec(""), 5);
        int task = 0;
        for (int i = 1; i < 100; i++) if (Math.abs(l.difficulty(i)) < Math.abs(l.difficulty(task))) task = i;
        double p0 = l.successProbability(task);
        double acc0 = l.testScore();
        for (int i = 0; i < 30; i++) {
            l.train(task, rewards(4, 8), 8); // v = 0.25 each time
            l.endStep();
        }
        assertThat(l.successProbability(task)).isGreaterThan(p0 + 0.4);
        assertThat(Math.abs(l.testScore() - acc0)).isLessThan(0.02);
        // Its transferable share shrinks as it is memorised.
        assertThat(l.novelty(task)).isLessThan(0.25);
    }

    @Test
    void memorisationAloneLeavesHeldOutExactlyUnchanged() {
        PromptLearner l = new PromptLearner(spec(", \"learningRate\": 0, \"sharpening\": 0"), 5);
        double acc0 = l.testScore();
        double p0 = l.successProbability(7);
        for (int i = 0; i < 30; i++) l.train(7, rewards(4, 8), 8);
        assertThat(l.successProbability(7)).isGreaterThan(p0);
        assertThat(l.testScore()).isEqualTo(acc0);
    }

    @Test
    void passRatesDriftToZeroOrOne() {
        // Entropy collapse: no skill or memorisation change, only the sharpening of the policy.
        PromptLearner l = new PromptLearner(spec(", \"learningRate\": 0, \"memorisation\": {\"rate\": 0}, \"sharpening\": 2"), 2);
        double before = inBand(l);
        for (int i = 0; i < 4000; i++) l.train(i % 200, rewards(4, 8), 8);
        assertThat(l.slope()).isCloseTo(1 + 2 * 4000 * 0.25 / 1000, within(1e-9));
        assertThat(inBand(l)).isLessThan(before / 2);
    }

    private static double inBand(PromptLearner l) {
        int n = 0;
        for (int i = 0; i < l.size(); i++) {
            double p = l.successProbability(i);
            if (p >= 0.2 && p <= 0.8) n++;
        }
        return (double) n / l.size();
    }

    @Test
    void unpractisedSkillsAreForgotten() {
        PromptLearner l = new PromptLearner(spec(", \"learningRate\": 1, \"transfer\": 0, \"forgetting\": 0.1"), 1);
        l.train(0, rewards(4, 8), 8);
        l.train(150, rewards(4, 8), 8);
        l.endStep();
        double a = l.skill(0);
        double b = l.skill(1);
        l.train(1, rewards(8, 8), 8); // practised (even without gain): a is not forgotten
        l.endStep();
        assertThat(l.skill(0)).isEqualTo(a);
        assertThat(l.skill(1)).isCloseTo(0.9 * b, within(1e-12));
    }

    @Test
    void sameSeedSameLearner() {
        PromptLearnerSpec s = spec("");
        PromptLearner x = new PromptLearner(s, 9);
        PromptLearner y = new PromptLearner(s, 9);
        PromptLearner z = new PromptLearner(s, 10);
        double[] rx = new double[8], ry = new double[8];
        int[] tx = new int[8], ty = new int[8];
        for (int i = 0; i < 200; i++) {
            assertThat(x.difficulty(i)).isEqualTo(y.difficulty(i));
            assertThat(x.rollout(i, 8, rx, tx)).isEqualTo(y.rollout(i, 8, ry, ty));
            assertThat(rx).isEqualTo(ry);
            assertThat(tx).isEqualTo(ty);
        }
        assertThat(x.testScore()).isEqualTo(y.testScore());
        assertThat(z.difficulty(0)).isNotEqualTo(x.difficulty(0));
    }

    @Test
    void tokensGrowWithDifficulty() {
        PromptLearner l = new PromptLearner(spec(", \"tokens\": {\"noise\": 0}"), 1);
        int easy = 0, hard = 0;
        for (int i = 0; i < 200; i++) {
            if (l.difficulty(i) < l.difficulty(easy)) easy = i;
            if (l.difficulty(i) > l.difficulty(hard)) hard = i;
        }
        double[] r = new double[4];
        int[] te = new int[4], th = new int[4];
        l.rollout(easy, 4, r, te);
        l.rollout(hard, 4, r, th);
        assertThat(th[0]).isGreaterThan(te[0]);
        assertThat(te[0]).isEqualTo((int) Math.round(400 * Math.exp(0.25 * l.difficulty(easy))));
    }
}
