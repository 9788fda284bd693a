package io.proxima.core.estimate;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Beta posterior of the pass rate, worked by hand (algorithms.md "Pass-rate estimate", llm-rl.md §5). */
class PassRatesTest {
    private static final double TOL = 1e-9;

    /** A pool, its group stats and pass rates, fed the way Curriculum.report feeds them. */
    private static final class Fixture {
        final TaskPool pool = new TaskPool(0);
        final GroupStats groups = new GroupStats();
        final PassRates rates;

        Fixture(double priorStrength, double forgetting, TaskSpec... tasks) {
            pool.addAll(List.of(tasks));
            groups.ensureGroups(pool.groupCount());
            rates = new PassRates(pool, groups, new PassRates.Params(priorStrength, forgetting));
        }

        int id(String t) {
            return pool.find(t);
        }

        /** Reports one outcome: the estimators see the same batch, pass rates first, as in Curriculum. */
        void report(String task, double... rewards) {
            int t = id(task);
            ObservedBatch b = new ObservedBatch(0, new int[] {t}, new int[] {pool.group(t)}, new double[][] {rewards},
                    new long[] {-1}, Advantages.Mode.STD);
            rates.observe(b);
            groups.observe(b);
        }

        void binary(String task, int successes, int rollouts) {
            report(task, Outcome.binary(task, successes, rollouts).rewards());
        }
    }

    @Test
    void flatPriorSpecExampleWithoutForgetting() {
        // c = 0: the prior is Beta(1, 1) whatever the group does
        Fixture f = new Fixture(0, 1.0, TaskSpec.of("x"));
        int x = f.id("x");
        assertThat(f.rates.alpha(x)).isEqualTo(1.0);
        assertThat(f.rates.beta(x)).isEqualTo(1.0);
        assertThat(f.rates.mean(x)).isEqualTo(0.5);
        // n = 8, 3 successes: α = 1 + 3 = 4, β = 1 + 5 = 6, mean 0.4
        f.binary("x", 3, 8);
        assertThat(f.rates.alpha(x)).isCloseTo(4, within(TOL));
        assertThat(f.rates.beta(x)).isCloseTo(6, within(TOL));
        assertThat(f.rates.mean(x)).isCloseTo(0.4, within(TOL));
        assertThat(f.rates.tries(x)).isEqualTo(1);
        // next step 6 of 8 with λ = 1: (4 + 6, 6 + 2) = (10, 8)
        f.binary("x", 6, 8);
        assertThat(f.rates.alpha(x)).isCloseTo(10, within(TOL));
        assertThat(f.rates.beta(x)).isCloseTo(8, within(TOL));
        assertThat(f.rates.evidence(x)).isCloseTo(16, within(TOL));
        assertThat(f.rates.tries(x)).isEqualTo(2);
    }

    @Test
    void flatPriorSpecExampleWithForgetting() {
        // Our rule: S ← γS + s, F ← γF + (G − s), posterior Beta(1 + S, 1 + F).
        // Step 1 (3 of 8): S = 3, F = 5 → (4, 6).
        // Step 2 (6 of 8), γ = 0.5: S = .5·3 + 6 = 7.5, F = .5·5 + 2 = 4.5 → (8.5, 5.5), as the spec.
        // Spec's rule α ← 1 + γ(α − 1) + s = 1 + .5·3 + 6 = 8.5, β ← 1 + .5·5 + 2 = 5.5: the same.
        Fixture f = new Fixture(0, 0.5, TaskSpec.of("x"));
        int x = f.id("x");
        f.binary("x", 3, 8);
        assertThat(f.rates.alpha(x)).isCloseTo(4, within(TOL));
        assertThat(f.rates.beta(x)).isCloseTo(6, within(TOL));
        f.binary("x", 6, 8);
        assertThat(f.rates.alpha(x)).isCloseTo(8.5, within(TOL));
        assertThat(f.rates.beta(x)).isCloseTo(5.5, within(TOL));
        assertThat(f.rates.mean(x)).isCloseTo(8.5 / 14, within(TOL));
        assertThat(f.rates.successes(x)).isCloseTo(7.5, within(TOL));
        assertThat(f.rates.evidence(x)).isCloseTo(12, within(TOL));
    }

    @Test
    void forgettingEqualsSpecRecursionOnLongStreams() {
        // For the flat prior, α_t = 1 + γ(α_{t−1} − 1) + s_t and β likewise, step by step.
        double gamma = 0.8;
        Fixture f = new Fixture(0, gamma, TaskSpec.of("x"));
        int x = f.id("x");
        double a = 1, b = 1;
        int[] succ = {0, 8, 3, 5, 5, 1, 7, 2, 4, 6};
        for (int s : succ) {
            f.binary("x", s, 8);
            a = 1 + gamma * (a - 1) + s;
            b = 1 + gamma * (b - 1) + (8 - s);
            assertThat(f.rates.alpha(x)).isCloseTo(a, within(1e-5)); // float columns
            assertThat(f.rates.beta(x)).isCloseTo(b, within(1e-5));
        }
    }

    @Test
    void taskPriorDifficulty() {
        // d = 0.7 ⇒ m = 1 − d = 0.3; c = 2: Beta(1 + 2·.3, 1 + 2·.7) = (1.6, 2.4), mean 0.4
        Fixture f = new Fixture(2, 1.0, TaskSpec.of("x", "g", 0.7), TaskSpec.of("y", "g", 0.7));
        int x = f.id("x");
        assertThat(f.rates.priorMean(x)).isCloseTo(0.3, within(1e-6)); // stored as a float
        assertThat(f.rates.alpha(x)).isCloseTo(1.6, within(1e-6));
        assertThat(f.rates.beta(x)).isCloseTo(2.4, within(1e-6));
        assertThat(f.rates.mean(x)).isCloseTo(0.4, within(1e-6));
        // after 3 of 8: (1.6 + 3, 2.4 + 5) = (4.6, 7.4), mean 4.6 / 12
        f.binary("x", 3, 8);
        assertThat(f.rates.alpha(x)).isCloseTo(4.6, within(1e-6));
        assertThat(f.rates.beta(x)).isCloseTo(7.4, within(1e-6));
        // a known prior difficulty wins over the group's pooled rate (now 3/8)
        assertThat(f.rates.priorMean(f.id("y"))).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void groupPooledPriorForTasksWithoutPriorDifficulty() {
        Fixture f = new Fixture(2, 1.0, TaskSpec.of("x", "g"), TaskSpec.of("u", "g"), TaskSpec.of("z", "h"));
        int u = f.id("u");
        assertThat(f.rates.priorMean(u)).isNaN(); // no information: Beta(1, 1)
        assertThat(f.rates.mean(u)).isEqualTo(0.5);
        f.binary("x", 3, 8);
        // pooled rate of g = 3/8; u untried: Beta(1 + 2·.375, 1 + 2·.625) = (1.75, 2.25), mean .4375
        assertThat(f.rates.priorMean(u)).isCloseTo(0.375, within(TOL));
        assertThat(f.rates.alpha(u)).isCloseTo(1.75, within(TOL));
        assertThat(f.rates.beta(u)).isCloseTo(2.25, within(TOL));
        assertThat(f.rates.mean(u)).isCloseTo(0.4375, within(TOL));
        // another group's report does not move it; h's own task sees h's rate
        f.binary("z", 8, 8);
        assertThat(f.rates.mean(u)).isCloseTo(0.4375, within(TOL));
        assertThat(f.rates.priorMean(f.id("z"))).isCloseTo(1.0, within(TOL));
        // the pooled rate fades: S = .99·3 + 5 = 7.97, n = .99·8 + 8 = 15.92
        f.binary("x", 5, 8);
        assertThat(f.rates.priorMean(u)).isCloseTo(7.97 / 15.92, within(TOL));
        // PassRates' documented rule: the pooled prior applies to every task of the group without a
        // prior difficulty, the tried one included (x: prior mean 7.97/15.92, plus its 8 of 16).
        int x = f.id("x");
        double m = 7.97 / 15.92;
        assertThat(f.rates.alpha(x)).isCloseTo(1 + 2 * m + 8, within(1e-6));
        assertThat(f.rates.beta(x)).isCloseTo(1 + 2 * (1 - m) + 8, within(1e-6));
    }

    @Test
    void fractionalRewardsCountAsFractionalSuccesses() {
        // rewards clamped to [0, 1]: .5 + .25 + 1 + 0 = 1.75 successes of 4 → F = 2.25
        Fixture f = new Fixture(0, 1.0, TaskSpec.of("x"));
        f.report("x", 0.5, 0.25, 1.5, -1);
        int x = f.id("x");
        assertThat(f.rates.alpha(x)).isCloseTo(2.75, within(TOL));
        assertThat(f.rates.beta(x)).isCloseTo(3.25, within(TOL));
    }

    @Test
    void throughTheCurriculumApi() {
        CurriculumConfig cfg = CurriculumConfig.fromJson("{\"passRate\": {\"priorStrength\": 0, \"forgetting\": 0.5}}");
        Curriculum c = Curriculum.create(cfg, List.of(TaskSpec.of("x"), TaskSpec.of("y")));
        c.report(List.of(Outcome.binary("x", 3, 8)));
        assertThat(c.passRate("x")).isCloseTo(0.4, within(TOL));
        c.report(List.of(Outcome.binary("x", 6, 8)));
        assertThat(c.passRate("x")).isCloseTo(8.5 / 14, within(TOL));
        assertThat(c.passRate("y")).isEqualTo(0.5);
        assertThatThrownBy(() -> c.passRate("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void paramsAreValidated() {
        assertThatThrownBy(() -> new PassRates.Params(-1, 1)).hasMessageContaining("passRate.priorStrength");
        assertThatThrownBy(() -> new PassRates.Params(Double.POSITIVE_INFINITY, 1)).hasMessageContaining("passRate.priorStrength");
        assertThatThrownBy(() -> new PassRates.Params(2, 0)).hasMessageContaining("passRate.forgetting");
        assertThatThrownBy(() -> new PassRates.Params(2, 1.01)).hasMessageContaining("passRate.forgetting");
        assertThatThrownBy(() -> new PassRates.Params(2, Double.NaN)).hasMessageContaining("passRate.forgetting");
    }
}
