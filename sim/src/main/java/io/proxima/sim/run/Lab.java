package io.proxima.sim.run;

import io.proxima.sim.learner.PromptLearnerSpec;
import io.proxima.sim.teach.TeacherSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs teachers × seeds on a learner, in parallel. Each run owns its learner, teacher and
 * generators, seeded from its seed alone, so results do not depend on threads or scheduling;
 * they are collected in the order asked.
 */
public final class Lab {
    private Lab() {}

    /**
     * Compares the teachers; {@code progress} (nullable) gets one line per finished run. The
     * baselines {@code uniform} and {@code random} are added first when missing.
     */
    public static Comparison compare(PromptLearnerSpec learner, List<TeacherSpec> teachers, LabOptions o, PrintWriter progress) {
        List<TeacherSpec> all = withBaselines(teachers);
        int total = all.size() * o.seeds();
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.threads(), total), r -> {
            Thread t = new Thread(r, "proxima-lab");
            t.setDaemon(true);
            return t;
        });
        List<List<Future<RunResult>>> futures = new ArrayList<>();
        try {
            for (TeacherSpec spec : all) {
                List<Future<RunResult>> row = new ArrayList<>();
                for (int s = 0; s < o.seeds(); s++) {
                    long seed = o.firstSeed() + s;
                    row.add(pool.submit(() -> {
                        RunResult r = PromptRun.run(learner, spec, o, seed);
                        int d = done.incrementAndGet();
                        if (progress != null) {
                            synchronized (progress) {
                                progress.printf(Locale.ROOT, "simulate: %d/%d runs done (%s, seed %d: held-out accuracy %.3f) %.1fs%n",
                                        d, total, spec.name(), seed, r.finalAccuracy(), (System.nanoTime() - t0) / 1e9);
                                progress.flush();
                            }
                        }
                        return r;
                    }));
                }
                futures.add(row);
            }
            List<List<RunResult>> runs = new ArrayList<>();
            for (List<Future<RunResult>> row : futures) {
                List<RunResult> rs = new ArrayList<>();
                for (Future<RunResult> f : row) rs.add(f.get());
                runs.add(List.copyOf(rs));
            }
            List<String> names = all.stream().map(TeacherSpec::name).toList();
            double target = Double.isNaN(o.target()) ? autoTarget(runs.get(names.indexOf("uniform"))) : o.target();
            return new Comparison(learner, o, names, List.copyOf(runs), target, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Start + 90% of uniform's mean gain in held-out accuracy. */
    static double autoTarget(List<RunResult> uniform) {
        double start = 0, end = 0;
        for (RunResult r : uniform) {
            start += r.accuracy()[0];
            end += r.finalAccuracy();
        }
        start /= uniform.size();
        end /= uniform.size();
        return start + LabOptions.AUTO_TARGET_SHARE * (end - start);
    }

    /** uniform and random first (added when missing), then the others in the order given. */
    static List<TeacherSpec> withBaselines(List<TeacherSpec> teachers) {
        List<String> names = new ArrayList<>();
        for (TeacherSpec t : teachers) {
            if (names.contains(t.name())) throw new IllegalArgumentException("teacher '" + t.name() + "' is listed twice");
            names.add(t.name());
        }
        List<TeacherSpec> all = new ArrayList<>();
        for (String b : List.of("uniform", "random")) {
            int i = names.indexOf(b);
            all.add(i >= 0 ? teachers.get(i) : TeacherSpec.named(b));
        }
        for (TeacherSpec t : teachers) if (!t.name().equals("uniform") && !t.name().equals("random")) all.add(t);
        return all;
    }
}
