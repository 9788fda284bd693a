package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * The same two operations as {@link NextBenchmark} and {@link ReportBenchmark}, timed by the
 * calling thread's CPU time as well as by the wall clock.
 *
 * <p>Why: on a machine shared with other builds, the wall-clock figures of JMH include the time
 * the benchmark thread waited for a core. Thread CPU time does not (it still includes the cache
 * and memory-bandwidth interference of the neighbours, and it leaves out JIT and GC threads, whose
 * cost JMH's {@code -prof gc} shows). It is a cross-check of the JMH figures, not a replacement.
 *
 * <p>{@code java -Xmx12g -cp bench/target/benchmarks.jar io.proxima.bench.CpuTimeReport [sizes] [recipes] [seconds]}
 * (defaults {@code 10000,1000000,10000000}, {@code uniform,odf,sec,pcl}, 3 s per measurement
 * after 3 s of warm-up).
 */
public final class CpuTimeReport {
    private CpuTimeReport() {}

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "10000,1000000,10000000").split(",");
        String[] recipes = (args.length > 1 ? args[1] : "uniform,odf,sec,pcl").split(",");
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3.0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%-8s %10s %18s %18s %22s %22s%n", "recipe", "tasks",
                "next cpu us/op", "next wall us/op", "report cpu outcomes/s", "report wall outcomes/s");
        for (String s : sizes) {
            int n = Integer.parseInt(s.trim());
            for (String recipe : recipes) {
                Curriculum c = Pools.curriculum(recipe.trim(), n);
                Pools.warmUp(c, NextBenchmark.WARM_ROUNDS);
                double[] next = time(threads, seconds, () -> c.next(Pools.BATCH));

                @SuppressWarnings("unchecked")
                List<Outcome>[] reports = new List[ReportBenchmark.LISTS];
                for (int i = 0; i < reports.length; i++) reports[i] = Pools.outcomes(c.next(Pools.BATCH));
                int[] k = {0};
                double[] report = time(threads, seconds, () -> {
                    c.report(reports[k[0]]);
                    k[0] = (k[0] + 1) % reports.length;
                });
                System.out.printf(Locale.ROOT, "%-8s %10d %18.1f %18.1f %22.0f %22.0f%n", recipe.trim(), n,
                        next[0] / 1e3, next[1] / 1e3, Pools.BATCH * 1e9 / report[0], Pools.BATCH * 1e9 / report[1]);
            }
        }
    }

    /** Warm-up, then {cpu ns/op, wall ns/op} over about {@code seconds} of wall time. */
    private static double[] time(ThreadMXBean threads, double seconds, Runnable op) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) op.run();
        long ops = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long end = wall0 + (long) (seconds * 1e9);
        long wall;
        do {
            op.run();
            ops++;
            wall = System.nanoTime();
        } while (wall < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        return new double[] {(double) cpu / ops, (double) (wall - wall0) / ops};
    }
}
