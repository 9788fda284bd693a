package io.proxima.server.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server CPU per call, measured in one run against one server process: phases of {@code /healthz}
 * (the no-op control), of trainer steps as one {@code step} call, and as {@code report} + {@code next},
 * alternated for several rounds so that the JIT, the machine's drift and the neighbours weigh on
 * each alike. Per phase: the server process's CPU time (user + system, from the OS through
 * {@link ProcessHandle}) and the calls answered; per mode, their sums. The ratio of a step to a
 * {@code /healthz} is the figure of issue 12 item 8.
 */
final class CpuPerCall {
    enum Mode { HEALTHZ, STEP, PAIR }

    private CpuPerCall() {}

    static void run(int port, long serverPid, int clients, int curricula, int n, int rollouts, int tasks, int warmupSeconds,
                    int phaseSeconds, int rounds, String label) throws Exception {
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow(() -> new IllegalArgumentException("no process " + serverPid));
        String[] ids = LoadGen.setUp(port, curricula, tasks, rollouts);
        Map<Mode, long[]> totals = new LinkedHashMap<>(); // mode → {calls, cpu ns, wall ns}
        for (Mode m : Mode.values()) totals.put(m, new long[3]);
        phase(port, ids, clients, n, rollouts, Mode.STEP, warmupSeconds, server, null); // warm-up: steps and their JSON paths
        phase(port, ids, clients, n, rollouts, Mode.HEALTHZ, Math.max(1, warmupSeconds / 4), server, null);
        for (int r = 0; r < rounds; r++) {
            for (Mode m : Mode.values()) phase(port, ids, clients, n, rollouts, m, phaseSeconds, server, totals.get(m));
        }
        System.out.printf(Locale.ROOT, "%s: %d clients on %d curricula, step = report(%d x %d) + next(%d); %d rounds of %d s per mode after %d s warm-up%n",
                label, clients, curricula, n, rollouts, n, rounds, phaseSeconds, warmupSeconds);
        double healthz = perCall(totals.get(Mode.HEALTHZ));
        for (Map.Entry<Mode, long[]> e : totals.entrySet()) {
            long[] t = e.getValue();
            double us = perCall(t) / 1e3;
            System.out.printf(Locale.ROOT, "  %-8s %8.0f calls/s  server CPU %7.1f µs per %s  (%.2f x /healthz)%n", e.getKey().name().toLowerCase(Locale.ROOT),
                    t[0] / (t[2] / 1e9), us, e.getKey() == Mode.HEALTHZ ? "request" : "trainer step", perCall(t) / healthz);
        }
    }

    private static double perCall(long[] t) {
        return t[0] == 0 ? Double.NaN : (double) t[1] / t[0];
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElseThrow(() -> new IllegalStateException("the OS gives no CPU time of process " + p.pid()));
    }

    /** Runs {@code clients} threads in {@code mode} for {@code seconds}; adds {calls, server CPU ns, wall ns} to {@code into}. */
    private static void phase(int port, String[] ids, int clients, int n, int rollouts, Mode mode, int seconds, ProcessHandle server, long[] into)
            throws Exception {
        AtomicLong calls = new AtomicLong();
        Thread[] ts = new Thread[clients];
        Throwable[] failure = new Throwable[1];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu0 = cpuNanos(server);
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            int index = i;
            ts[i] = new Thread(() -> {
                try {
                    client(port, ids[index % ids.length], index, n, rollouts, mode, end, calls);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "cpu-" + mode + "-" + i);
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        long wall = System.nanoTime() - t0;
        long cpu = cpuNanos(server) - cpu0;
        if (failure[0] != null) throw new IllegalStateException("a client failed", failure[0]);
        if (into != null) {
            into[0] += calls.get();
            into[1] += cpu;
            into[2] += wall;
        }
    }

    /** One client until {@code end}: a call (healthz) or a trainer step (step, or report then next) per iteration. */
    private static void client(int port, String id, int index, int n, int rollouts, Mode mode, long end, AtomicLong calls) throws Exception {
        SplittableRandom rnd = new SplittableRandom(index);
        String run = mode.name().toLowerCase(Locale.ROOT) + "-" + Long.toString(System.nanoTime(), 36) + "-" + index + "-";
        byte[] nextBody = ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
        try (LoadGen.Conn c = new LoadGen.Conn(port)) {
            byte[] sel = mode == Mode.HEALTHZ ? null : c.post("/v1/curricula/" + id + "/next", nextBody, 200);
            for (int i = 0; System.nanoTime() < end; i++) {
                switch (mode) {
                    case HEALTHZ -> c.get("/healthz", 200);
                    case STEP -> {
                        String report = LoadGen.reportBody(run + i, sel, n, rollouts, rnd);
                        byte[] body = (report.substring(0, report.length() - 1) + ",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                        byte[] answer = c.post("/v1/curricula/" + id + "/step", body, 200);
                        String s = new String(answer, StandardCharsets.ISO_8859_1);
                        sel = s.substring(s.indexOf("\"next\":")).getBytes(StandardCharsets.ISO_8859_1);
                    }
                    case PAIR -> {
                        c.post("/v1/curricula/" + id + "/report", LoadGen.reportBody(run + i, sel, n, rollouts, rnd).getBytes(StandardCharsets.UTF_8), 200);
                        sel = c.post("/v1/curricula/" + id + "/next", nextBody, 200);
                    }
                }
                calls.incrementAndGet();
            }
        }
    }
}
