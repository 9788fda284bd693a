package io.proxima.server.loadgen;

import io.proxima.server.ProximaServer;
import io.proxima.server.ServerOptions;
import io.proxima.store.Durability;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Loopback load generator for the service: trainers that each loop {@code next(n)} then
 * {@code report(n outcomes × r rewards)} on their curriculum, over keep-alive HTTP/1.1 connections
 * (a minimal raw-socket client, so the generator costs little of the shared CPU). Prints requests/s
 * and p50/p99 latency of next and report. Not part of the test run.
 *
 * <pre>
 * ./proxima serve --data-dir /tmp/load --port 7394 --durability group &amp;     # builds cli/target/proxima.jar
 * java -cp cli/target/proxima.jar io.proxima.server.loadgen.LoadGen --port 7394 --server-pid $! \
 *     --clients 16 --curricula 8 --n 256 --rollouts 8 --warmup 30 --seconds 30
 * </pre>
 * With {@code --port P} it drives a running server (durability is then the server's); without, it
 * starts a server in its own JVM on a fresh temporary data directory with {@code --durability}.
 * The JIT needs tens of seconds of load to settle on a busy 2-core machine: keep the warm-up long.
 *
 * <p>{@code --mode cpu [--phase-seconds 5 --rounds 3]}: server CPU per trainer step, as one
 * {@code step} call and as {@code report} + {@code next}, against a {@code /healthz} request, in
 * one run ({@link CpuPerCall}; docs/benchmarks.md). Without {@code --port} the server runs as a
 * child process, so its CPU time is its own. {@code --cpu-modes step} runs one mode alone (to profile it);
 * {@code --ab A.jar,B.jar} runs a server of each class path side by side, their phases interleaved (an A/B
 * of two builds under the same machine state); {@code --durability group,process} likewise runs a server
 * per durability (with one class path, or one per {@code --ab} entry); {@code --server-jvm "-Xms2g -Xmx2g -XX:+AlwaysPreTouch"} passes
 * JVM options to the child servers.
 */
public final class LoadGen {
    private LoadGen() {}

    public static void main(String[] args) throws Exception {
        int port = -1;
        Durability durability = Durability.GROUP;
        List<Durability> durabilities = List.of(durability);
        long windowUs = 0;
        int clients = 16;
        int curricula = 8;
        int n = 256;
        int rollouts = 8;
        int tasks = 10_000;
        int seconds = 20;
        int warmup = 30;
        long serverPid = -1;
        String mode = "pair";
        int phaseSeconds = 5;
        int rounds = 4;
        String cpuModes = "healthz,step,pair";
        String ab = null;
        String serverJvm = "";
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--durability" -> {
                    durabilities = java.util.Arrays.stream(v.split(",")).map(Durability::parse).toList();
                    durability = durabilities.get(0);
                }
                case "--group-window-us" -> windowUs = Long.parseLong(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--curricula" -> curricula = Integer.parseInt(v);
                case "--n" -> n = Integer.parseInt(v);
                case "--rollouts" -> rollouts = Integer.parseInt(v);
                case "--tasks" -> tasks = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--server-pid" -> serverPid = Long.parseLong(v);
                case "--mode" -> mode = v;
                case "--phase-seconds" -> phaseSeconds = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--cpu-modes" -> cpuModes = v;
                case "--ab" -> ab = v;
                case "--server-jvm" -> serverJvm = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (mode.equals("cpu")) {
            List<String> classPaths = ab == null ? List.of(System.getProperty("java.class.path")) : List.of(ab.split(","));
            cpu(port, serverPid, durabilities, windowUs, clients, curricula, n, rollouts, tasks, warmup, phaseSeconds, rounds, CpuPerCall.modes(cpuModes),
                    classPaths, serverJvm.isBlank() ? List.of() : List.of(serverJvm.strip().split("\\s+")));
            return;
        }
        if (!mode.equals("pair")) throw new IllegalArgumentException("--mode must be 'pair' or 'cpu', got '" + mode + "'");
        ProximaServer server = null;
        Path dir = null;
        if (port < 0) {
            dir = Files.createTempDirectory("proxima-loadgen");
            server = ProximaServer.start(ServerOptions.of(dir, 0)
                    .withStore(io.proxima.store.StoreOptions.DEFAULTS.withDurability(durability).withGroupWindowMicros(windowUs)));
            port = server.port();
        }
        try {
            run(port, clients, curricula, n, rollouts, tasks, seconds, warmup, server == null ? "external server" : durability.name().toLowerCase(Locale.ROOT), serverPid);
        } finally {
            if (server != null) server.close();
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /**
     * {@code --mode cpu}: server CPU per trainer step (one {@code step} call, and {@code report} +
     * {@code next}) against a {@code /healthz} request, in one run ({@link CpuPerCall}). Without
     * {@code --port} the server is started as a child process (its CPU apart from the generator's).
     */
    private static void cpu(int port, long serverPid, List<Durability> durabilities, long windowUs, int clients, int curricula, int n, int rollouts,
                            int tasks, int warmup, int phaseSeconds, int rounds, java.util.Set<CpuPerCall.Mode> modes, List<String> classPaths,
                            List<String> jvmOptions) throws Exception {
        if (port >= 0) {
            if (serverPid < 0) throw new IllegalArgumentException("--mode cpu with --port needs --server-pid");
            CpuPerCall.run(port, serverPid, clients, curricula, n, rollouts, tasks, warmup, phaseSeconds, rounds, modes, "external server");
            return;
        }
        // one server per class path and per durability: with one of either, it is used for every server
        int k = Math.max(classPaths.size(), durabilities.size());
        if (classPaths.size() > 1 && durabilities.size() > 1 && classPaths.size() != durabilities.size()) {
            throw new IllegalArgumentException("--ab and --durability lists must have the same length (or one of them a single entry)");
        }
        Path[] dirs = new Path[k];
        Process[] ps = new Process[k];
        int[] ports = new int[k];
        long[] pids = new long[k];
        String[] labels = new String[k];
        try {
            for (int s = 0; s < k; s++) {
                String classPath = classPaths.get(Math.min(s, classPaths.size() - 1));
                Durability durability = durabilities.get(Math.min(s, durabilities.size() - 1));
                dirs[s] = Files.createTempDirectory("proxima-loadgen");
                List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", classPath, io.proxima.server.ServerMain.class.getName(), "--data-dir", dirs[s].toString(),
                        "--port", "0", "--durability", durability.name().toLowerCase(Locale.ROOT), "--group-window-us", Long.toString(windowUs)));
                ps[s] = new ProcessBuilder(command).redirectErrorStream(true).start();
                ports[s] = childPort(ps[s]);
                pids[s] = ps[s].pid();
                labels[s] = durability.name().toLowerCase(Locale.ROOT) + ", server process " + pids[s] + (classPaths.size() > 1 ? " (" + classPath + ")" : "");
            }
            CpuPerCall.run(ports, pids, labels, clients, curricula, n, rollouts, tasks, warmup, phaseSeconds, rounds, modes);
        } finally {
            for (int s = 0; s < k; s++) {
                if (ps[s] != null) {
                    ps[s].destroy();
                    ps[s].waitFor();
                }
                if (dirs[s] != null) {
                    try (var files = Files.walk(dirs[s])) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
    }

    /** Reads a child server's output up to its start line; returns its port and drains the rest in the background. */
    private static int childPort(Process p) throws IOException {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int childPort = -1;
        for (String line; childPort < 0 && (line = out.readLine()) != null; ) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("serving http://[^:]+:(\\d+)").matcher(line);
            if (m.find()) childPort = Integer.parseInt(m.group(1));
        }
        if (childPort < 0) throw new IllegalStateException("the server did not start");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // the server's log is not needed here
                }
            } catch (IOException ignored) {
                // the server stopped
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        return childPort;
    }

    /** Creates {@code curricula} curricula of {@code tasks} tasks in 16 groups (recipe sec); returns their ids. */
    static String[] setUp(int port, int curricula, int tasks, int rollouts) throws IOException {
        String run = Long.toString(System.nanoTime(), 36);
        String[] ids = new String[curricula];
        try (Conn c = new Conn(port)) {
            for (int k = 0; k < curricula; k++) {
                String id = "load-" + run + "-" + k;
                ids[k] = id;
                c.post("/v1/curricula", ("{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":" + k + ",\"rollouts\":" + rollouts + "}}").getBytes(StandardCharsets.UTF_8), 201);
                StringBuilder b = new StringBuilder("[");
                for (int t = 0; t < tasks; t++) b.append(t == 0 ? "" : ",").append("{\"id\":\"p").append(t).append("\",\"group\":\"g").append(t % 16).append("\"}");
                c.post("/v1/curricula/" + id + "/tasks", b.append(']').toString().getBytes(StandardCharsets.UTF_8), 200);
            }
        }
        return ids;
    }

    static void run(int port, int clients, int curricula, int n, int rollouts, int tasks, int seconds, int warmup, String label, long serverPid)
            throws Exception {
        String[] ids = setUp(port, curricula, tasks, rollouts);
        Worker[] ws = new Worker[clients];
        for (int i = 0; i < clients; i++) ws[i] = new Worker(port, ids[i % curricula], i, n, rollouts);
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        for (Worker w : ws) {
            w.warmEnd = warmEnd;
            w.end = end;
            w.start();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000));
        long cpu0 = os.getProcessCpuTime();
        long[] server0 = cpuTicks(serverPid);
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long cpu1 = os.getProcessCpuTime();
        long[] server1 = cpuTicks(serverPid);
        double load = os.getSystemLoadAverage();
        for (Worker w : ws) w.join();
        for (Worker w : ws) if (w.failure != null) throw new IllegalStateException("a client failed", w.failure);
        long[] next = merge(ws, true);
        long[] report = merge(ws, false);
        double secs = seconds;
        System.out.printf(Locale.ROOT, "%s: %d clients on %d curricula, next(%d), report(%d outcomes x %d rewards), %d s measured after %d s warm-up%n",
                label, clients, curricula, n, n, rollouts, seconds, warmup);
        long reqs = next.length + report.length;
        System.out.printf(Locale.ROOT, "  all     %8.0f req/s  CPU of this JVM (server + generator) %.0f µs per request; system load average %.1f%n",
                reqs / secs, reqs == 0 ? 0 : (cpu1 - cpu0) / 1e3 / reqs, load);
        if (server0 != null && server1 != null && reqs > 0) {
            double tick = 1e6 / 100; // µs per clock tick (USER_HZ = 100 on Linux)
            System.out.printf(Locale.ROOT, "  server  process %d: user %.0f µs + system %.0f µs of CPU per request (%.0f%% of one core)%n", serverPid,
                    (server1[0] - server0[0]) * tick / reqs, (server1[1] - server0[1]) * tick / reqs,
                    100.0 * (server1[0] + server1[1] - server0[0] - server0[1]) * tick / 1e6 / secs);
        }
        line("next", next, secs);
        line("report", report, secs);
    }

    /** utime and stime of a process in clock ticks, from /proc (null where there is none). */
    private static long[] cpuTicks(long pid) {
        if (pid < 0) return null;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}; // fields 14 and 15 of stat(5)
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void line(String what, long[] lat, double secs) {
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "  %-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", what, lat.length / secs,
                pct(lat, 0.50) / 1e6, pct(lat, 0.99) / 1e6, lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static long[] merge(Worker[] ws, boolean next) {
        int size = 0;
        for (Worker w : ws) size += next ? w.nextCount : w.reportCount;
        long[] out = new long[size];
        int at = 0;
        for (Worker w : ws) {
            int c = next ? w.nextCount : w.reportCount;
            System.arraycopy(next ? w.nextLat : w.reportLat, 0, out, at, c);
            at += c;
        }
        return out;
    }

    /** One trainer: next, then report, in a loop. */
    static final class Worker extends Thread {
        final int port;
        final String id;
        final int index;
        final int n;
        final int rollouts;
        long warmEnd;
        long end;
        long[] nextLat = new long[1 << 16];
        long[] reportLat = new long[1 << 16];
        int nextCount;
        int reportCount;
        Throwable failure;

        Worker(int port, String id, int index, int n, int rollouts) {
            super("loadgen-" + index);
            this.port = port;
            this.id = id;
            this.index = index;
            this.n = n;
            this.rollouts = rollouts;
        }

        @Override
        public void run() {
            SplittableRandom rnd = new SplittableRandom(index);
            byte[] nextBody = ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            String nextPath = "/v1/curricula/" + id + "/next";
            String reportPath = "/v1/curricula/" + id + "/report";
            try (Conn c = new Conn(port)) {
                for (int i = 0; ; i++) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) return;
                    byte[] sel = c.post(nextPath, nextBody, 200);
                    long t1 = System.nanoTime();
                    byte[] body = reportBody("w" + index + "-" + i, sel, n, rollouts, rnd).getBytes(StandardCharsets.UTF_8);
                    long t2 = System.nanoTime();
                    c.post(reportPath, body, 200);
                    long t3 = System.nanoTime();
                    if (t0 >= warmEnd) {
                        if (nextCount == nextLat.length) {
                            nextLat = Arrays.copyOf(nextLat, nextCount * 2);
                            reportLat = Arrays.copyOf(reportLat, nextCount * 2);
                        }
                        nextLat[nextCount++] = t1 - t0;
                        reportLat[reportCount++] = t3 - t2;
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

    }

    /** A report of every task of the selection ({@code rollouts} binary rewards each): pulls the "id" values out of the answer. */
    static String reportBody(String batchId, byte[] sel, int n, int rollouts, SplittableRandom rnd) {
        String s = new String(sel, StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder(n * (30 + 4 * rollouts));
        b.append("{\"batchId\":\"").append(batchId).append("\",\"outcomes\":[");
        int at = 0;
        boolean first = true;
        while ((at = s.indexOf("\"id\":\"", at)) >= 0) {
            int from = at + 6;
            int to = s.indexOf('"', from);
            b.append(first ? "" : ",").append("{\"taskId\":\"").append(s, from, to).append("\",\"rewards\":[");
            for (int k = 0; k < rollouts; k++) b.append(k == 0 ? "" : ",").append(rnd.nextInt(3) == 0 ? '1' : '0');
            b.append("]}");
            first = false;
            at = to;
        }
        return b.append("]}").toString();
    }

    /** A keep-alive HTTP/1.1 connection: POST with Content-Length, reads Content-Length or chunked answers. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] head;
        private final byte[] getHead;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            head = ("Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.ISO_8859_1);
            getHead = ("Host: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }

        byte[] get(String path, int expect) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(getHead);
            out.flush();
            return answer("GET " + path, expect);
        }

        byte[] post(String path, byte[] body, int expect) throws IOException {
            out.write(("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(head);
            out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return answer("POST " + path, expect);
        }

        private byte[] answer(String what, int expect) throws IOException {
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String l = h.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
                else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
            }
            byte[] answer;
            if (chunked) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(line().trim(), 16)) > 0; ) {
                    buf.write(in.readNBytes(size));
                    line();
                }
                line();
                answer = buf.toByteArray();
            } else {
                answer = in.readNBytes(Math.max(0, length));
            }
            if (code != expect) throw new IOException(what + " → " + code + ": " + new String(answer, StandardCharsets.UTF_8));
            return answer;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}
