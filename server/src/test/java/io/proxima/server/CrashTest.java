package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.core.Curriculum;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a real server process during a sustained stream of reports from several trainers, on
 * discrete and continuous curricula; after a restart on the same data directory every acknowledged
 * batch is in the log exactly once and the state equals a full replay of the log. Two kill cycles
 * per durability policy.
 */
class CrashTest {
    private static final Pattern BANNER = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)");
    private static final int CURRICULA = 4;
    /** Continuous curricula beside the discrete ones ("w0", "w1"). */
    private static final int CONTINUOUS = 2;

    @TempDir
    Path dir;

    private Process process;
    private int port;

    private void startServer(Durability d) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, ServerMain.class.getName(),
                "--data-dir", dir.toString(), "--port", "0", "--durability", d.name().toLowerCase(), "--snapshot-every", "25");
        pb.redirectErrorStream(true);
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) break;
            seen.append(line).append('\n');
            Matcher m = BANNER.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (Exception ignored) {
                        // the process died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("server did not start:\n" + seen);
    }

    private void kill9() throws Exception {
        process.destroyForcibly(); // SIGKILL
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAcknowledgedBatchSurvivesKill9ExactlyOnce(Durability durability) throws Exception {
        startServer(durability);
        Http http = new Http(port);
        for (int c = 0; c < CURRICULA; c++) {
            assertThat(http.post("/v1/curricula", "{\"id\":\"c" + c + "\",\"config\":{\"recipe\":\"" + (c % 2 == 0 ? "sec" : "odf")
                    + "\",\"seed\":" + c + ",\"rollouts\":4}}").status()).isEqualTo(201);
            assertThat(http.post("/v1/curricula/c" + c + "/tasks", ServerTest.tasksJson(60)).status()).isEqualTo(200);
        }
        for (int c = 0; c < CONTINUOUS; c++) {
            String cfg = ContinuousServerTest.CONFIG.replace("\"seed\":7", "\"seed\":" + c);
            assertThat(http.post("/v1/curricula", ContinuousServerTest.create("w" + c, cfg)).status()).isEqualTo(201);
        }
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < CURRICULA; c++) ids.add("c" + c);
        for (int c = 0; c < CONTINUOUS; c++) ids.add("w" + c);
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        Map<String, String[]> inFlight = new ConcurrentHashMap<>(); // curriculum → {batchId, body} sent, not answered
        for (int cycle = 0; cycle < 2; cycle++) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> trainers = new ArrayList<>();
            int p = port;
            for (String id : ids) {
                Set<String> mine = acked.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
                int cyc = cycle;
                Thread t = new Thread(() -> {
                    Http h = new Http(p);
                    SplittableRandom rnd = new SplittableRandom(id.hashCode() + cyc);
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            Http.Response sel = h.post("/v1/curricula/" + id + "/next", Http.next(8, id + "-" + cyc + "-n" + i));
                            if (sel.status() != 200) throw new AssertionError(sel.body());
                            String batch = id + "-" + cyc + "-" + i;
                            String body = id.startsWith("w") ? ContinuousServerTest.reportJson(batch, sel.json(), rnd)
                                    : ServerTest.reportJson(batch, sel.json(), rnd);
                            inFlight.put(id, new String[] {batch, body});
                            Http.Response r = h.post("/v1/curricula/" + id + "/report", body);
                            if (r.status() != 200) throw new AssertionError(r.body());
                            mine.add(batch);
                            inFlight.remove(id);
                        } catch (java.io.UncheckedIOException e) {
                            return; // the server is gone
                        }
                    }
                });
                t.start();
                trainers.add(t);
            }
            Thread.sleep(1500);
            kill9();
            stop.set(true);
            for (Thread t : trainers) t.join(30_000);
            int total = acked.values().stream().mapToInt(Set::size).sum();
            assertThat(total).as("batches acknowledged before the kill").isGreaterThan(10 * (cycle + 1));

            startServer(durability);
            http = new Http(port);
            // a trainer retries the report it got no answer for, with the same batch id
            for (Map.Entry<String, String[]> e : inFlight.entrySet()) {
                Http.Response r = http.post("/v1/curricula/" + e.getKey() + "/report", e.getValue()[1]);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                acked.get(e.getKey()).add(e.getValue()[0]);
            }
            inFlight.clear();
            for (String id : ids) {
                List<String> lines = http.get("/v1/curricula/" + id + "/log").body().lines().toList();
                Map<String, Integer> inLog = new HashMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    JsonNode e = Http.JSON.readTree(line);
                    if (e.has("batchId")) inLog.merge(e.get("batchId").asText(), 1, Integer::sum);
                }
                assertThat(inLog.values()).as(id + ": no batch twice").allMatch(n -> n == 1);
                Set<String> missing = new HashSet<>(acked.get(id));
                missing.removeAll(inLog.keySet());
                assertThat(missing).as(id + ": acknowledged batches lost").isEmpty();
                if (id.startsWith("w")) {
                    assertThat(http.get("/v1/curricula/" + id + "/stats").body()).as(id + ": state = full replay of the log")
                            .isEqualTo(ContinuousServerTest.stats(id, ContinuousServerTest.replay(lines)));
                    continue;
                }
                Curriculum ref = Curriculum.create(CurriculumConfig.fromJson(Http.JSON.readTree(lines.get(0)).get("config").toString()));
                ref.addTasks(ServerTest.tasks(60));
                for (String line : lines.subList(2, lines.size())) {
                    JsonNode e = Http.JSON.readTree(line);
                    if (e.get("type").asText().equals("next")) ref.next(e.get("n").asInt());
                    else ref.report(Codec.outcomes(e));
                }
                assertThat(http.get("/v1/curricula/" + id + "/stats").body())
                        .as(id + ": state = full replay of the log")
                        .isEqualTo(new String(Codec.stats(id, ref.stats()), StandardCharsets.UTF_8));
            }
        }
        kill9();
    }
}
