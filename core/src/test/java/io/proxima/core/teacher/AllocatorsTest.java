package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.compose.Allocations;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AllocatorsTest {
    /**
     * The knapsack recipe is the walk with rollouts moved: for any seed and any rewards it selects
     * exactly uniform's tasks in uniform's order, and only the split of each batch's rollouts
     * differs (same total, each at least min; the authors' code gives what the eligible tasks cannot
     * take to the p = 0 tasks, beyond max if it must).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void knapsackRecipeSelectsUniformsTasksAndMovesOnlyRollouts(long seed) {
        List<TaskSpec> pool = new ArrayList<>();
        for (int i = 0; i < 60; i++) pool.add(TaskSpec.of("t" + i, "g" + (i % 4)));
        Curriculum uniform = Curriculum.create(CurriculumConfig.builder().recipe("uniform").seed(seed).build(), pool);
        Curriculum knapsack = Curriculum.create(CurriculumConfig.builder().recipe("knapsack").seed(seed).build(), pool);
        Random rewards = new Random(seed);
        boolean moved = false;
        for (int step = 0; step < 25; step++) {
            Selection u = uniform.next(12);
            Selection k = knapsack.next(12);
            assertThat(k.taskIds()).isEqualTo(u.taskIds());
            int total = 0;
            List<Outcome> outU = new ArrayList<>(), outK = new ArrayList<>();
            for (int i = 0; i < k.size(); i++) {
                SelectedTask t = k.tasks().get(i);
                assertThat(t.rollouts()).isGreaterThanOrEqualTo(2);
                total += t.rollouts();
                moved |= t.rollouts() != 8;
                // a task's pass rate is fixed per task (0, 1 or in between) so the allocator has something to move
                int kind = Integer.parseInt(t.taskId().substring(1)) % 3;
                outK.add(Outcome.binary(t.taskId(), kind == 0 ? 0 : kind == 1 ? t.rollouts() : 1 + rewards.nextInt(t.rollouts() - 1), t.rollouts()));
                outU.add(Outcome.binary(u.tasks().get(i).taskId(), rewards.nextInt(9), 8));
            }
            assertThat(total).isEqualTo(12 * 8);
            uniform.report(outU);
            knapsack.report(outK);
        }
        assertThat(moved).as("once pass rates are known, some task gets other than 8 rollouts").isTrue();
    }

    @Test
    void knapsackWorkedExample() {
        // spec §6a: p = [0.5, 0.125, 1.0], n = 4 (N = 12), min 2, max 8 → initial [2,2,2], R = 6;
        // costs ln 0.1 / ln 0.5 = 3.32 and ln 0.1 / ln 0.875 = 17.24 → E = 3 + 8 = 11 ≥ 6;
        // DP over k1 + k2 = 6: (3,3) scores value(5,.5) + value(5,.125) = 0.1171875 + 0.0466135 = 0.163801
        assertThat(KnapsackAllocator.value(5, 0.5) + KnapsackAllocator.value(5, 0.125)).isCloseTo(0.163801, within(1e-6));
        assertThat(KnapsackAllocator.value(4, 0.5) + KnapsackAllocator.value(6, 0.125)).isCloseTo(0.162127, within(1e-6));
        int[] out = new int[3];
        KnapsackAllocator.allocate(new double[] {0.5, 0.125, 1.0}, 3, 4, 2, 8, 0.9, out);
        assertThat(out).containsExactly(5, 5, 2);
    }

    @Test
    void knapsackUnseenAndNoEligible() {
        int[] out = new int[3];
        // unseen keeps n; the p = 0 task takes the rest: N = 12, [4 (unseen), 2 (p=1), 2+4 (p=0)]
        KnapsackAllocator.allocate(new double[] {Double.NaN, 1.0, 0.0}, 3, 4, 2, 8, 0.9, out);
        assertThat(out).containsExactly(4, 2, 6);
        // all saturated: uniform n
        KnapsackAllocator.allocate(new double[] {1.0, 1.0, 1.0}, 3, 4, 2, 8, 0.9, out);
        assertThat(out).containsExactly(4, 4, 4);
    }

    @Test
    void gvmWorkedExample() {
        // spec §6b: G = [10, 10], p = [0.5, 0.1], a = 1e-3, b = 2 → w = [14.1139, 30.1511], N = 16 → [5, 11]
        double w0 = GradientVarianceAllocator.weight(0.5, 10, 1e-3, 2);
        double w1 = GradientVarianceAllocator.weight(0.1, 10, 1e-3, 2);
        assertThat(w0).isCloseTo(14.1139, within(1e-4));
        assertThat(w1).isCloseTo(30.1511, within(1e-4));
        int[] out = new int[2];
        Allocations.roundToBudget(new double[] {w0, w1}, 2, 16, 0, 16, out);
        assertThat(out).containsExactly(5, 11);
        assertThat(GradientVarianceAllocator.weight(0.0, 10, 1e-3, 2)).isZero();
    }

    @Test
    void curesShareIsSqrtPq() {
        // p = [0.5, 0.1, 0.9]: σ = [0.5, 0.3, 0.3] → 24 · σ/1.1 = [10.91, 6.55, 6.55] → floor [10, 6, 6],
        // two left: largest residuals 0.91 then 0.55 (tie → lower index) → [11, 7, 6]
        int[] out = new int[3];
        Allocations.roundToBudget(new double[] {Math.sqrt(0.25), Math.sqrt(0.09), Math.sqrt(0.09)}, 3, 24, 2, 32, out);
        assertThat(out).containsExactly(11, 7, 6);
    }

    /** Allocations always sum to the budget, within [min, max] when that is feasible. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void roundToBudgetInvariants(long seed) {
        Random r = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + r.nextInt(40);
            int g = 1 + r.nextInt(16);
            int min = 1 + r.nextInt(g);
            int max = g + r.nextInt(3 * g + 1);
            double[] share = new double[count];
            for (int i = 0; i < count; i++) share[i] = r.nextInt(4) == 0 ? 0 : r.nextDouble() * 10;
            int[] out = new int[count];
            Allocations.roundToBudget(share, count, count * g, min, max, out);
            int sum = 0;
            for (int i = 0; i < count; i++) {
                sum += out[i];
                assertThat(out[i]).as("seed %d trial %d", seed, trial).isBetween(min, max);
            }
            assertThat(sum).as("seed %d trial %d", seed, trial).isEqualTo(count * g);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void knapsackSumsToTheBudget(long seed) {
        Random r = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + r.nextInt(30);
            int n = 2 + r.nextInt(10);
            double[] p = new double[count];
            for (int i = 0; i < count; i++) {
                int kind = r.nextInt(5);
                p[i] = kind == 0 ? Double.NaN : kind == 1 ? 0 : kind == 2 ? 1 : r.nextInt(n + 1) / (double) n;
            }
            int[] out = new int[count];
            KnapsackAllocator.allocate(p, count, n, 2, 4 * n, 0.9, out);
            int sum = 0;
            for (int v : out) {
                sum += v;
                assertThat(v).isGreaterThanOrEqualTo(1);
            }
            assertThat(sum).as("seed %d trial %d", seed, trial).isEqualTo(count * n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gvm", "knapsack", "cures"})
    void allocatorsComposeWithAnyRecipeAndKeepTheBudget(String allocator) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) tasks.add(TaskSpec.of("t" + i, "g" + i % 4));
        for (String recipe : List.of("uniform", "sec", "odf", "pcl")) {
            Curriculum c = Curriculum.create(CurriculumConfig.builder().recipe(recipe).seed(5).set("allocator.type", allocator).build(), tasks);
            Random r = new Random(1);
            for (int step = 0; step < 15; step++) {
                Selection s = c.next(16);
                assertThat(s.totalRollouts()).as("%s + %s", recipe, allocator).isEqualTo(16 * 8);
                List<Outcome> out = new ArrayList<>();
                for (SelectedTask t : s.tasks()) {
                    assertThat(t.rollouts()).isBetween(2, 32);
                    int succ = 0;
                    int id = Integer.parseInt(t.taskId().substring(1));
                    for (int k = 0; k < t.rollouts(); k++) if (r.nextDouble() < (id % 10) / 9.0) succ++;
                    out.add(Outcome.binary(t.taskId(), succ, t.rollouts()));
                }
                c.report(out);
            }
            byte[] snap = c.snapshot();
            assertThat(Curriculum.restore(snap).next(16)).isEqualTo(c.next(16));
        }
    }
}
