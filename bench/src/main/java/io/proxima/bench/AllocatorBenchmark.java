package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.teacher.KnapsackAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of the rollout allocators for a batch of 1024 tasks.
 *
 * <ul>
 *   <li>{@link #next}: {@code next(1024)} of {@code {"recipe":"uniform","allocator":{"type":…}}},
 *       {@code SampleTime} in µs, on pools of 10k and 1M tasks whose every task was reported once
 *       ({@link Pools#reportAll}), so every task has a last pass rate (0/8 … 8/8, ~89 % strictly
 *       between 0 and 1) and the allocators run their full rule; then
 *       {@link NextBenchmark#WARM_ROUNDS} next/report rounds. The allocator's cost is the
 *       difference to {@code uniform} (which hands every task G = 8).</li>
 *   <li>{@link #knapsack}: {@link KnapsackAllocator#allocate(double[], int, int, int, int, double, int[])}
 *       alone, 1024 tasks, n = 8, min_n = 2, max_n = 32 (the recipe defaults at G = 8), α = 0.9,
 *       {@code AverageTime} in µs. {@code regime = greedy}: the pass rates of the synthetic
 *       learner on tasks t0 … t1023 (~900 eligible tasks: the DP table would exceed
 *       {@link KnapsackAllocator#EXACT_LIMIT}, the greedy path runs — the path {@link #next} takes
 *       with {@code knapsack}). {@code regime = exact}: the same batch with only the tasks of group
 *       g0 left eligible (the others rounded to 0 or 1), ~110 eligible: the exact DP runs. The setup
 *       recomputes the DP size with the allocator's own formula and fails if the regime is not the
 *       one named.</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AllocatorBenchmark {
    /** knapsack: n, min_n, max_n, α. */
    static final int N = Pools.ROLLOUTS;
    static final int MIN_N = 2;
    static final int MAX_N = 4 * N;
    static final double ALPHA = 0.9;

    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"10000", "1000000"})
        public int tasks;

        @Param({"uniform", "gvm", "knapsack", "cures"})
        public String allocator;

        Curriculum curriculum;

        @Setup(Level.Trial)
        public void build() {
            CurriculumConfig config = CurriculumConfig.builder().recipe("uniform").seed(Pools.SEED).rollouts(Pools.ROLLOUTS)
                    .set("allocator.type", allocator).build();
            curriculum = Curriculum.create(config, Pools.tasks(tasks));
            Pools.reportAll(curriculum, tasks);
            Pools.warmUp(curriculum, NextBenchmark.WARM_ROUNDS);
        }
    }

    @State(Scope.Benchmark)
    public static class Knapsack {
        @Param({"exact", "greedy"})
        public String regime;

        final double[] p = new double[Pools.BATCH];
        final int[] out = new int[Pools.BATCH];

        @Setup(Level.Trial)
        public void build() {
            for (int i = 0; i < p.length; i++) {
                double rate = Math.round((1 - Pools.difficulty(i)) * N) / (double) N;
                if (regime.equals("exact") && i % Pools.GROUPS != 0) rate = rate < 0.5 ? 0 : 1;
                p[i] = rate;
            }
            long cells = dpCells(p, p.length);
            boolean exact = cells <= KnapsackAllocator.EXACT_LIMIT;
            System.out.printf("%nknapsack regime %s: DP table %d cells (limit %d) -> %s%n", regime, cells,
                    KnapsackAllocator.EXACT_LIMIT, exact ? "exact" : "greedy");
            if (exact != regime.equals("exact")) throw new IllegalStateException("regime " + regime + " runs the other path");
        }
    }

    /** eligible × (w + 1) × (k + 1), as {@code KnapsackAllocator.allocate} computes it (no NaN here). */
    static long dpCells(double[] p, int count) {
        int e = 0;
        long capacity = 0;
        for (int i = 0; i < count; i++) {
            if (p[i] > 0 && p[i] < 1) {
                e++;
                double cost = StrictMath.log(1 - ALPHA) / StrictMath.log(Math.max(p[i], 1 - p[i]));
                capacity += (long) Math.floor(Math.min(MAX_N, cost));
            }
        }
        long r = (long) count * N - (long) count * MIN_N;
        if (capacity < r) r = capacity;
        int k = MAX_N - MIN_N;
        long w = Math.min(r, (long) e * k);
        return (long) e * (w + 1) * (k + 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Selection next(Pool s) {
        return s.curriculum.next(Pools.BATCH);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int[] knapsack(Knapsack s) {
        KnapsackAllocator.allocate(s.p, s.p.length, N, MIN_N, MAX_N, ALPHA, s.out);
        return s.out;
    }
}
