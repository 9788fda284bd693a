package io.proxima.sim.run;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Runs teachers × seeds in parallel for every kind of learner. Each run owns its learner, teacher
 * and generators, seeded from its seed alone, so results do not depend on threads or scheduling;
 * they are collected in the order asked: {@code result.get(teacher).get(seed index)}.
 */
final class ParallelRuns {
    /** One run of teacher number {@code teacher} with {@code seed}. */
    interface Job<R> {
        R run(int teacher, long seed);
    }

    private ParallelRuns() {}

    /**
     * @param metric name of the number shown per finished run on {@code progress} (nullable), e.g.
     *     "held-out accuracy"; {@code value} reads it from a result
     */
    static <R> List<List<R>> run(List<String> teachers, LabOptions o, Job<R> job, String metric, ToDoubleFunction<R> value,
                                 PrintWriter progress) {
        int total = teachers.size() * o.seeds();
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(o.threads(), total)), r -> {
            Thread t = new Thread(r, "proxima-lab");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<Future<R>>> futures = new ArrayList<>();
            for (int k = 0; k < teachers.size(); k++) {
                int teacher = k;
                List<Future<R>> row = new ArrayList<>();
                for (int s = 0; s < o.seeds(); s++) {
                    long seed = o.firstSeed() + s;
                    row.add(pool.submit(() -> {
                        R r = job.run(teacher, seed);
                        int d = done.incrementAndGet();
                        if (progress != null) {
                            synchronized (progress) {
                                progress.printf(Locale.ROOT, "simulate: %d/%d runs done (%s, seed %d: %s %.3f) %.1fs%n", d, total,
                                        teachers.get(teacher), seed, metric, value.applyAsDouble(r), (System.nanoTime() - t0) / 1e9);
                                progress.flush();
                            }
                        }
                        return r;
                    }));
                }
                futures.add(row);
            }
            List<List<R>> out = new ArrayList<>();
            for (List<Future<R>> row : futures) {
                List<R> rs = new ArrayList<>();
                for (Future<R> f : row) rs.add(f.get());
                out.add(List.copyOf(rs));
            }
            return List.copyOf(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Teacher names, refusing one listed twice. */
    static List<String> names(List<String> names) {
        List<String> seen = new ArrayList<>();
        for (String n : names) {
            if (seen.contains(n)) throw new IllegalArgumentException("teacher '" + n + "' is listed twice");
            seen.add(n);
        }
        return seen;
    }
}
