package io.proxima.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxima.store.kafka.KafkaClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxima serve --backend kafka} as real processes on loopback against an in-process KRaft
 * cluster: an instance killed with kill -9 during a stream of reports from several trainers is
 * taken over by a new instance, with every acknowledged batch in the log exactly once (the
 * trainers retry what got no answer with the same batch id); and an instance that is still running
 * when another takes the log over stops acknowledging (fenced by the transactional id).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServeKafkaFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();
    private final ServerProcesses servers = new ServerProcesses();

    @AfterEach
    void killAll() throws InterruptedException {
        servers.killAll();
    }

    /** A server process over the log under {@code prefix}; returns its port once it serves. */
    private record Instance(Process process, int port) {
        void kill9() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private Instance serve(String prefix) throws IOException {
        List<String> args = new ArrayList<>(List.of("--backend", "kafka", "--bootstrap", cluster.bootstrap(), "--topic-prefix", prefix, "--partitions", "2",
                "--port", "0", "--snapshot-every", "20"));
        ServerProcesses.Started s = servers.serve(args);
        assertThat(s.banner()).contains("Kafka log at " + cluster.bootstrap(), prefix + ".events");
        return new Instance(s.process(), s.port());
    }

    private record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(body, e);
            }
        }
    }

    private static Response post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Response get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private static Response send(HttpRequest r) {
        try {
            HttpResponse<String> res = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tasksJson(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        return b.append("]").toString();
    }


    private static void create(int port, String id, String recipe, int seed) {
        Response c = post(port, "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"" + recipe + "\",\"seed\":" + seed + ",\"rollouts\":4}}");
        assertThat(c.status()).as(c.body()).isEqualTo(201);
        Response t = post(port, "/v1/curricula/" + id + "/tasks", tasksJson(40));
        assertThat(t.status()).as(t.body()).isEqualTo(200);
    }

    /** Report batch ids in the curriculum's exported log, with how often each occurs. */
    private static Map<String, Integer> reportsInLog(int port, String id) throws IOException {
        Response log = get(port, "/v1/curricula/" + id + "/log");
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        Map<String, Integer> out = new HashMap<>();
        for (String line : log.body().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            if (e.get("type").asText().equals("report") && e.has("batchId")) out.merge(e.get("batchId").asText(), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void aKilledInstanceIsTakenOverWithNothingAcknowledgedLostAndNoBatchCountedTwice() throws Exception {
        String prefix = "failover";
        Instance a = serve(prefix);
        List<String> ids = List.of("c0", "c1", "c2");
        for (int c = 0; c < ids.size(); c++) create(a.port(), ids.get(c), c % 2 == 0 ? "sec" : "odf", c);
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        Map<String, String[]> inFlight = new ConcurrentHashMap<>(); // curriculum → {batchId, body} sent, not answered
        List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger total = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<Thread> trainers = new ArrayList<>();
        for (String id : ids) {
            Set<String> mine = acked.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(id.hashCode());
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Response sel = post(a.port(), "/v1/curricula/" + id + "/next", "{\"n\":4,\"requestId\":\"" + id + "-n" + i + "\"}");
                        if (sel.status() != 200) {
                            unexpected.add(sel.body());
                            return;
                        }
                        String batch = id + "-" + i;
                        String body = ServerProcesses.reportJson(batch, sel.json(), rnd);
                        inFlight.put(id, new String[] {batch, body});
                        Response r = post(a.port(), "/v1/curricula/" + id + "/report", body);
                        if (r.status() != 200) {
                            unexpected.add(r.body());
                            return;
                        }
                        mine.add(batch);
                        inFlight.remove(id);
                        if (total.incrementAndGet() == 30) enough.countDown();
                    } catch (java.io.UncheckedIOException e) {
                        return; // the server is gone
                    }
                }
            }, "trainer-" + id);
            t.start();
            trainers.add(t);
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("30 batches acknowledged").isTrue();
        a.kill9();
        stop.set(true);
        for (Thread t : trainers) t.join(30_000);
        assertThat(unexpected).as("refusals before the kill").isEmpty();

        // A new instance takes the log over: the killed one's open transaction is aborted, not half-applied.
        Instance b = serve(prefix);
        for (Map.Entry<String, String[]> e : inFlight.entrySet()) { // each trainer retries its unanswered report
            Response r = post(b.port(), "/v1/curricula/" + e.getKey() + "/report", e.getValue()[1]);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            acked.get(e.getKey()).add(e.getValue()[0]);
        }
        for (String id : ids) {
            Map<String, Integer> inLog = reportsInLog(b.port(), id);
            assertThat(inLog.values()).as(id + ": no batch twice").allMatch(n -> n == 1);
            Set<String> missing = new HashSet<>(acked.get(id));
            missing.removeAll(inLog.keySet());
            assertThat(missing).as(id + ": acknowledged batches lost").isEmpty();
            // a retry of any acknowledged batch is answered from the log and changes nothing
            long events = get(b.port(), "/v1/curricula/" + id).json().get("events").asLong();
            String some = acked.get(id).iterator().next();
            Response again = post(b.port(), "/v1/curricula/" + id + "/report", "{\"batchId\":\"" + some + "\",\"outcomes\":[{\"taskId\":\"t0\",\"rewards\":[1]}]}");
            assertThat(again.status()).as("a known batch id with other content").isEqualTo(409);
            assertThat(get(b.port(), "/v1/curricula/" + id).json().get("events").asLong()).isEqualTo(events);
        }
    }

    @Test
    void aRunningInstanceStopsAcknowledgingOnceAnotherTookTheLogOver() throws Exception {
        String prefix = "fencing";
        Instance old = serve(prefix);
        create(old.port(), "a", "sec", 4);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 5; i++) {
            Response sel = post(old.port(), "/v1/curricula/a/next", "{\"n\":3}");
            assertThat(post(old.port(), "/v1/curricula/a/report", ServerProcesses.reportJson("b" + i, sel.json(), rnd)).status()).isEqualTo(200);
        }
        String stats = get(old.port(), "/v1/curricula/a/stats").body();

        Instance owner = serve(prefix); // the old one is still running (cut off from its clients, say)
        assertThat(get(owner.port(), "/v1/curricula/a/stats").body()).as("everything the old instance acknowledged").isEqualTo(stats);
        Response late = post(old.port(), "/v1/curricula/a/next", "{\"n\":3,\"requestId\":\"late\"}");
        assertThat(late.status()).as(late.body()).isEqualTo(503);
        assertThat(late.body()).contains("fenced");
        assertThat(post(old.port(), "/v1/curricula/a/report", "{\"batchId\":\"late\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1]}]}").status())
                .as("still refused: a fenced instance never writes again").isEqualTo(503);
        // the new owner answers the refused request as new, and knows every acknowledged batch
        Response sel = post(owner.port(), "/v1/curricula/a/next", "{\"n\":3,\"requestId\":\"late\"}");
        assertThat(sel.status()).as(sel.body()).isEqualTo(200);
        assertThat(reportsInLog(owner.port(), "a")).containsOnlyKeys("b0", "b1", "b2", "b3", "b4");
    }
}
