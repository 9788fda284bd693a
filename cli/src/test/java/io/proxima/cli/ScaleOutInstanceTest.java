package io.proxima.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxima.server.ServerOptions;
import io.proxima.store.kafka.KafkaClusterExtension;
import io.proxima.store.kafka.KafkaLogOptions;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scaled-out instance, in process: its partitions answered inside its JVM byte for byte as one
 * server answers; {@code /metrics} covers every partition it serves (one registry shared
 * by its partition servers, each series tagged {@code partition}), and only those: a partition that
 * moves to another instance takes its series along.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ScaleOutInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int PARTITIONS = 2;

    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();

    private record Response(int status, String body, String contentType, String replayed, String retryAfter) {
        Response(int status, String body) {
            this(status, body, null, null, null);
        }
    }

    private static Response send(int port, String method, String path, String body) throws IOException, InterruptedException {
        return send(port, method, path, body, "application/json");
    }

    private static Response send(int port, String method, String path, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (body != null) b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Proxima-Replayed").orElse(null), r.headers().firstValue("Retry-After").orElse(null));
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached in 90 s: " + what);
            Thread.sleep(100);
        }
    }

    private static int served(int port) throws Exception {
        Response h = send(port, "GET", "/healthz", null);
        return h.status() == 200 ? JSON.readTree(h.body()).path("partitionsServedHere").asInt() : -1;
    }

    private static int partition(String id) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** The value of the one sample of {@code metric} whose labels hold all of {@code labels}; NaN if none. */
    private static double sample(String scrape, String metric, String... labels) {
        Predicate<String> match = line -> {
            if (!line.startsWith(metric + "{")) return false;
            for (String l : labels) if (!line.contains(l)) return false;
            return true;
        };
        List<String> lines = scrape.lines().filter(match).toList();
        assertThat(lines.size()).as(metric + " " + String.join(",", labels) + " in\n" + scrape).isLessThanOrEqualTo(1);
        return lines.isEmpty() ? Double.NaN : Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
    }

    /**
     * Requests answered by a partition's server inside the instance's JVM get the status, headers
     * and bytes one plain server gives the same sequence: created, fed, retried, refused.
     */
    @Test
    void answersThroughTheFrontAreThoseOfOneServerByteForByte(@TempDir Path dir) throws Exception {
        KafkaLogOptions kafka = cluster.options("bytes");
        try (ScaleOutServer front = ScaleOutServer.start(ServerOptions.of(dir.resolve("front"), 0), kafka, null, Duration.ofMillis(3000));
             io.proxima.server.ProximaServer plain = io.proxima.server.ProximaServer.start(ServerOptions.of(dir.resolve("plain"), 0))) {
            await("the front serves both partitions", () -> served(front.port()) == PARTITIONS);
            List<String> ids = new ArrayList<>();
            for (int i = 0; ids.size() < 2 * PARTITIONS; i++) if (partition("x" + i) == ids.size() % PARTITIONS) ids.add("x" + i);
            List<String[]> calls = new ArrayList<>(); // method, path, body, content type
            for (String id : ids) {
                calls.add(new String[] {"POST", "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":7,\"rollouts\":2}}", "application/json"});
                calls.add(new String[] {"POST", "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"odf\",\"seed\":7}}", "application/json"}); // 409
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/tasks", "{\"id\":\"t0\",\"group\":\"a\"}\n{\"id\":\"t1\",\"group\":\"b\"}\n{\"id\":\"t2\"}",
                        "application/x-ndjson"});
                for (int step = 0; step < 3; step++) {
                    calls.add(new String[] {"POST", "/v1/curricula/" + id + "/next", "{\"n\":2,\"requestId\":\"r" + step + "\"}", "application/json"});
                    calls.add(new String[] {"POST", "/v1/curricula/" + id + "/report",
                            "{\"batchId\":\"b" + step + "\",\"outcomes\":[{\"taskId\":\"t" + step + "\",\"rewards\":[1,0]}]}", "application/json"});
                }
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/report",
                        "{\"batchId\":\"b1\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1,0]}]}", "application/json"}); // a retry: replayed
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/next", "{\"n\":2,\"requestId\":\"r1\"}", "application/json"}); // a retry
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/report", "{\"batchId\":", "application/json"}); // 400
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/next", "{\"n\":2}", "text/plain"}); // 415
                calls.add(new String[] {"POST", "/v1/curricula/" + id + "/next", "{\"n\":-1}", "application/json"}); // 400 naming n
                calls.add(new String[] {"GET", "/v1/curricula/" + id + "/stats", null, null});
                calls.add(new String[] {"GET", "/v1/curricula/" + id, null, null});
                calls.add(new String[] {"GET", "/v1/curricula/" + id + "/nothing", null, null}); // 404
                calls.add(new String[] {"PUT", "/v1/curricula/" + id + "/next", "{}", "application/json"}); // 405
                calls.add(new String[] {"POST", "/v1/batch", "{\"requests\":[{\"curriculum\":\"" + id + "\",\"op\":\"next\",\"body\":{\"n\":1,\"requestId\":\"q\"}}]}",
                        "application/json"});
            }
            calls.add(new String[] {"GET", "/v1/curricula/missing/stats", null, null});
            calls.add(new String[] {"DELETE", "/v1/curricula/" + ids.get(1), null, null});
            calls.add(new String[] {"GET", "/v1/curricula/" + ids.get(1), null, null});
            int n = 0;
            for (String[] c : calls) {
                Response want = send(plain.port(), c[0], c[1], c[2], c[3]);
                Response got = send(front.port(), c[0], c[1], c[2], c[3]);
                assertThat(got).as(String.join(" ", java.util.Arrays.stream(c).map(String::valueOf).toList()) + " ⇒ " + want.body()).isEqualTo(want);
                if (want.status() >= 400) n++;
            }
            assertThat(n).as("refusals among the calls").isGreaterThanOrEqualTo(6 * ids.size());
            // the merged list is the plain server's list
            assertThat(JSON.readTree(send(front.port(), "GET", "/v1/curricula", null).body()))
                    .isEqualTo(JSON.readTree(send(plain.port(), "GET", "/v1/curricula", null).body()));
        }
    }

    @Test
    void metricsOfOneInstanceCoverEveryPartitionItServesAndOnlyThose(@TempDir Path dir) throws Exception {
        KafkaLogOptions kafka = cluster.options("metrics");
        ServerOptions options = ServerOptions.of(dir, 0);
        try (ScaleOutServer a = ScaleOutServer.start(options, kafka, null, Duration.ofMillis(3000))) {
            await("instance a serves both partitions", () -> served(a.port()) == PARTITIONS);
            // one curriculum in each partition, fed different amounts so the series cannot be mixed up
            List<String> ids = new ArrayList<>();
            for (int i = 0; ids.size() < PARTITIONS; i++) if (partition("m" + i) == ids.size()) ids.add("m" + i);
            int[] outcomes = new int[PARTITIONS];
            for (int p = 0; p < PARTITIONS; p++) {
                String id = ids.get(p);
                assertThat(send(a.port(), "POST", "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status())
                        .isEqualTo(201);
                assertThat(send(a.port(), "POST", "/v1/curricula/" + id + "/tasks",
                        "[{\"id\":\"t0\"},{\"id\":\"t1\"},{\"id\":\"t2\"},{\"id\":\"t3\"}]").status()).isEqualTo(200);
                for (int step = 0; step <= p; step++) { // partition 0: one report of 3 outcomes; partition 1: two
                    JsonNode sel = JSON.readTree(send(a.port(), "POST", "/v1/curricula/" + id + "/next", "{\"n\":3}").body());
                    StringBuilder r = new StringBuilder("{\"batchId\":\"b" + step + "\",\"outcomes\":[");
                    for (int k = 0; k < sel.get("tasks").size(); k++) {
                        r.append(k == 0 ? "" : ",").append("{\"taskId\":\"").append(sel.get("tasks").get(k).get("id").asText()).append("\",\"rewards\":[1,0]}");
                    }
                    assertThat(send(a.port(), "POST", "/v1/curricula/" + id + "/report", r.append("]}").toString()).status()).isEqualTo(200);
                    outcomes[p] += sel.get("tasks").size();
                }
            }
            assertThat(outcomes).containsExactly(3, 6);

            String scrape = send(a.port(), "GET", "/metrics", null).body();
            for (int p = 0; p < PARTITIONS; p++) {
                String part = "partition=\"" + p + "\"";
                assertThat(sample(scrape, "proxima_outcomes_ingested_total", "curriculum=\"" + ids.get(p) + "\"", part)).isEqualTo(outcomes[p]);
                assertThat(sample(scrape, "proxima_curricula", part)).isEqualTo(1.0);
                // create, tasks, (next, report) × reports: each one transaction of its partition's log
                assertThat(sample(scrape, "proxima_store_commits_total", part)).isGreaterThanOrEqualTo(2 + 2 * (p + 1));
                assertThat(sample(scrape, "proxima_requests_seconds_count", part, "route=\"/v1/curricula/{id}/report\"", "status=\"200\""))
                        .isEqualTo(p + 1);
            }

            // a second instance joins: one partition moves to it, with its series
            try (ScaleOutServer b = ScaleOutServer.start(options, kafka, null, Duration.ofMillis(3000))) {
                await("each instance serves one partition", () -> served(a.port()) == 1 && served(b.port()) == 1);
                String left = send(a.port(), "GET", "/metrics", null).body();
                String moved = send(b.port(), "GET", "/metrics", null).body();
                int kept = Double.isNaN(sample(left, "proxima_curricula", "partition=\"0\"")) ? 1 : 0;
                int gone = 1 - kept;
                assertThat(sample(left, "proxima_curricula", "partition=\"" + kept + "\"")).isEqualTo(1.0);
                assertThat(sample(left, "proxima_outcomes_ingested_total", "curriculum=\"" + ids.get(kept) + "\"")).isEqualTo(outcomes[kept]);
                assertThat(left).doesNotContain("partition=\"" + gone + "\"").doesNotContain("curriculum=\"" + ids.get(gone) + "\"");
                assertThat(sample(moved, "proxima_curricula", "partition=\"" + gone + "\"")).isEqualTo(1.0);
                // the counter counts what this instance applied: the adopted curriculum's series is there, from 0
                assertThat(sample(moved, "proxima_outcomes_ingested_total", "curriculum=\"" + ids.get(gone) + "\"", "partition=\"" + gone + "\""))
                        .isEqualTo(0.0);
                assertThat(moved).doesNotContain("partition=\"" + kept + "\"");
            }
        }
    }
}
