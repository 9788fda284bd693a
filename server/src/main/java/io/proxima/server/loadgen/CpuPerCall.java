package io.proxima.server.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
                    int phaseSeconds, int rounds, java.util.Set<Mode> modes, String label) throws Exception {
        run(new int[] {port}, new long[] {serverPid}, new String[] {label}, clients, curricula, n, rollouts, tasks, warmupSeconds,
                phaseSeconds, rounds, modes);
    }

    /**
     * The same for several servers at once (e.g. two builds: {@code --ab}): each is set up and warmed
     * up, then every round runs each mode on each server in turn (the servers' order alternating
     * from round to round), so that the machine's state weighs on each server alike; one idles
     * while another is measured. Prints the figures per server.
     */
    static void run(int[] ports, long[] serverPids, String[] labels, int clients, int curricula, int n, int rollouts, int tasks,
                    int warmupSeconds, int phaseSeconds, int rounds, java.util.Set<Mode> modes) throws Exception {
        int k = ports.length;
        ProcessHandle[] servers = new ProcessHandle[k];
        String[][] ids = new String[k][];
        List<Map<Mode, long[]>> totals = new java.util.ArrayList<>(); // per server: mode → {calls, cpu ns, wall ns}
        for (int s = 0; s < k; s++) {
            long pid = serverPids[s];
            servers[s] = ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid));
            ids[s] = LoadGen.setUp(ports[s], curricula, tasks, rollouts);
            Map<Mode, long[]> t = new LinkedHashMap<>();
            for (Mode m : Mode.values()) if (modes.contains(m)) t.put(m, new long[3]);
            totals.add(t);
        }
        for (int s = 0; s < k; s++) {
            phase(ports[s], ids[s], clients, n, rollouts, Mode.STEP, warmupSeconds, servers[s], null); // warm-up: steps and their JSON paths
            phase(ports[s], ids[s], clients, n, rollouts, Mode.HEALTHZ, Math.max(1, warmupSeconds / 4), servers[s], null);
        }
        double[][][] perRound = new double[k][Mode.values().length][rounds]; // µs per call, per server, mode and round
        for (int r = 0; r < rounds; r++) {
            for (Mode m : totals.get(0).keySet()) {
                for (int i = 0; i < k; i++) {
                    int s = r % 2 == 0 ? i : k - 1 - i;
                    long[] one = new long[3];
                    phase(ports[s], ids[s], clients, n, rollouts, m, phaseSeconds, servers[s], one);
                    for (int f = 0; f < 3; f++) totals.get(s).get(m)[f] += one[f];
                    perRound[s][m.ordinal()][r] = perCall(one) / 1e3;
                }
            }
        }
        for (int s = 0; s < k; s++) {
            System.out.printf(Locale.ROOT, "%s: %d clients on %d curricula, step = report(%d x %d) + next(%d); %d rounds of %d s per mode after %d s warm-up%n",
                    labels[s], clients, curricula, n, rollouts, n, rounds, phaseSeconds, warmupSeconds);
            Map<Mode, long[]> t = totals.get(s);
            double healthz = t.containsKey(Mode.HEALTHZ) ? perCall(t.get(Mode.HEALTHZ)) : Double.NaN;
            for (Map.Entry<Mode, long[]> e : t.entrySet()) {
                long[] v = e.getValue();
                System.out.printf(Locale.ROOT, "  %-8s %8.0f calls/s  server CPU %7.1f µs per %s  (%.2f x /healthz)%n", e.getKey().name().toLowerCase(Locale.ROOT),
                        v[0] / (v[2] / 1e9), perCall(v) / 1e3, e.getKey() == Mode.HEALTHZ ? "request" : "trainer step", perCall(v) / healthz);
            }
            // the spread: each round's figure (a round's modes ran back to back, so their ratio shares the machine's state)
            for (Mode m : t.keySet()) {
                StringBuilder line = new StringBuilder("    rounds " + m.name().toLowerCase(Locale.ROOT) + " µs:");
                for (int r = 0; r < rounds; r++) {
                    line.append(String.format(Locale.ROOT, " %.1f", perRound[s][m.ordinal()][r]));
                    if (m != Mode.HEALTHZ && t.containsKey(Mode.HEALTHZ)) {
                        line.append(String.format(Locale.ROOT, " (%.2fx)", perRound[s][m.ordinal()][r] / perRound[s][Mode.HEALTHZ.ordinal()][r]));
                    }
                }
                System.out.println(line);
            }
        }
    }

    /** Parses {@code --cpu-modes}: a comma-separated subset of healthz, step, pair (e.g. one mode alone, to profile it). */
    static java.util.Set<Mode> modes(String list) {
        java.util.Set<Mode> out = java.util.EnumSet.noneOf(Mode.class);
        for (String m : list.split(",")) {
            try {
                out.add(Mode.valueOf(m.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cpu-modes takes healthz, step and pair, got '" + m + "'");
            }
        }
        return out;
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
