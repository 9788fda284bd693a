package io.proxima.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code proxima serve} as child JVMs, for tests that kill or stop a server: each is started with
 * the test's class path and killed by {@link #killAll} (call it after each test).
 */
final class ServerProcesses {
    private static final Pattern BANNER = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)");

    /** A started server: its process, the port it serves, and its banner line. */
    record Started(Process process, int port, String banner) {}

    private final List<Process> processes = new ArrayList<>();

    /**
     * Starts {@code proxima serve ARGS} and returns once it prints its banner (90 s at most; else the
     * process is killed and the output so far is the error). Its later output is drained.
     */
    Started serve(List<String> args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, ProximaCommand.class.getName(), "serve"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = pb.start();
        processes.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) break;
            seen.append(line).append('\n');
            Matcher m = BANNER.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (IOException ignored) {
                        // the process died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Started(process, Integer.parseInt(m.group(1)), line);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start:\n" + seen);
    }

    /** Kills every server this started (SIGKILL) and waits for them. */
    void killAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        processes.clear();
    }

    /** A report of {@code selection} under {@code batchId}: random 0/1 rewards, one per rollout each task was allotted. */
    static String reportJson(String batchId, com.fasterxml.jackson.databind.JsonNode selection, java.util.SplittableRandom rnd) {
        StringBuilder b = new StringBuilder("{\"batchId\":\"" + batchId + "\",\"outcomes\":[");
        int i = 0;
        for (com.fasterxml.jackson.databind.JsonNode t : selection.get("tasks")) {
            b.append(i++ == 0 ? "" : ",").append("{\"taskId\":\"").append(t.get("id").asText()).append("\",\"rewards\":[");
            for (int k = 0; k < t.get("rollouts").asInt(); k++) b.append(k == 0 ? "" : ",").append(rnd.nextInt(2));
            b.append("]}");
        }
        return b.append("]}").toString();
    }
}
