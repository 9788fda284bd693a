package io.proxima.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxima serve --durability process} (commits written to the OS, no fsync) as a real
 * process killed with kill -9 while trainers stream {@code step} calls: after a restart on the same
 * data directory every acknowledged step is in the log exactly once, a retry of each (same batch
 * id, same body) answers the very bytes of its first answer, marked replayed, and a step that got
 * no answer is applied once when retried. A kill of the process loses nothing acknowledged; what
 * this mode gives up (an OS crash or power loss) cannot be tested here.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeProcessDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CURRICULA = 4;

    @TempDir
    Path dir;

    private final ServerProcesses servers = new ServerProcesses();

    @AfterEach
    void killAll() throws InterruptedException {
        servers.killAll();
    }

    private record Response(int status, String body, boolean replayed) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(body, e);
            }
        }
    }

    private static Response post(int port, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers().firstValue("Proxima-Replayed").isPresent());
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private ServerProcesses.Started serve() throws IOException {
        ServerProcesses.Started s = servers.serve(List.of("--data-dir", dir.toString(), "--port", "0", "--durability", "process", "--snapshot-every", "20"));
        assertThat(s.banner()).contains("durability process");
        return s;
    }

    /** A step body reporting {@code selection} (random 0/1 rewards, one per rollout) and asking for {@code n} more. */
    private static String stepBody(String batchId, JsonNode selection, int n, SplittableRandom rnd) {
        return "{\"n\":" + n + "," + ServerProcesses.reportJson(batchId, selection, rnd).substring(1);
    }

    @Test
    void everyAcknowledgedStepSurvivesKill9AndEveryRetryAnswersTheSameBytes() throws Exception {
        ServerProcesses.Started first = serve();
        int port = first.port();
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < CURRICULA; c++) {
            String id = "c" + c;
            ids.add(id);
            assertThat(post(port, "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"" + (c % 2 == 0 ? "sec" : "odf")
                    + "\",\"seed\":" + c + ",\"rollouts\":2}}").status()).isEqualTo(201);
            StringBuilder tasks = new StringBuilder("[");
            for (int t = 0; t < 40; t++) tasks.append(t == 0 ? "" : ",").append("{\"id\":\"t").append(t).append("\",\"group\":\"g").append(t % 4).append("\"}");
            assertThat(post(port, "/v1/curricula/" + id + "/tasks", tasks.append(']').toString()).status()).isEqualTo(200);
        }
        // per curriculum, in order: batch id → {body, answer} of every acknowledged step
        Map<String, Map<String, String[]>> acked = new ConcurrentHashMap<>();
        Map<String, String[]> unanswered = new ConcurrentHashMap<>(); // curriculum → {batchId, body} sent, no answer
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> trainers = new ArrayList<>();
        for (String id : ids) {
            Map<String, String[]> mine = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
            acked.put(id, mine);
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(id.hashCode());
                try {
                    Response sel = post(port, "/v1/curricula/" + id + "/next", "{\"n\":4,\"requestId\":\"" + id + "-first\"}");
                    assertThat(sel.status()).as(sel.body()).isEqualTo(200);
                    JsonNode selection = sel.json();
                    for (int i = 0; !stop.get(); i++) {
                        String batch = id + "-s" + i;
                        String body = stepBody(batch, selection, 4, rnd);
                        unanswered.put(id, new String[] {batch, body});
                        Response r = post(port, "/v1/curricula/" + id + "/step", body);
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        mine.put(batch, new String[] {body, r.body()});
                        unanswered.remove(id);
                        selection = r.json().get("next");
                    }
                } catch (IOException gone) {
                    // the server was killed
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            trainers.add(t);
        }
        Thread.sleep(2500);
        first.process().destroyForcibly(); // SIGKILL
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread t : trainers) t.join(30_000);
        assertThat(errors).isEmpty();
        int total = acked.values().stream().mapToInt(Map::size).sum();
        assertThat(total).as("steps acknowledged before the kill").isGreaterThan(20);

        int again = serve().port();
        for (String id : ids) {
            // every acknowledged step, retried as it was sent: the same bytes, marked replayed
            Map<String, String[]> mine;
            synchronized (acked.get(id)) {
                mine = new HashMap<>(acked.get(id));
            }
            for (Map.Entry<String, String[]> e : mine.entrySet()) {
                Response r = post(again, "/v1/curricula/" + id + "/step", e.getValue()[0]);
                assertThat(r.status()).as(id + " " + e.getKey() + ": " + r.body()).isEqualTo(200);
                assertThat(r.replayed()).as(id + " " + e.getKey() + " replayed").isTrue();
                assertThat(r.body()).as(id + " " + e.getKey() + ": the first answer's bytes").isEqualTo(e.getValue()[1]);
            }
            // the step that got no answer: applied once when retried (or found already applied)
            String[] lost = unanswered.get(id);
            if (lost != null) {
                Response r = post(again, "/v1/curricula/" + id + "/step", lost[1]);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                Response twice = post(again, "/v1/curricula/" + id + "/step", lost[1]);
                assertThat(twice.replayed()).isTrue();
                assertThat(twice.body()).isEqualTo(r.body());
                mine.put(lost[0], new String[] {lost[1], r.body()});
            }
            Map<String, Integer> reportsInLog = new HashMap<>();
            List<String> lines = get(again, "/v1/curricula/" + id + "/log").lines().toList();
            for (String line : lines.subList(1, lines.size())) {
                JsonNode e = JSON.readTree(line);
                if (e.get("type").asText().equals("report")) reportsInLog.merge(e.get("batchId").asText(), 1, Integer::sum);
            }
            assertThat(reportsInLog.values()).as(id + ": no step twice").allMatch(n -> n == 1);
            assertThat(reportsInLog.keySet()).as(id + ": every acknowledged step in the log").containsAll(mine.keySet());
        }
    }
}
