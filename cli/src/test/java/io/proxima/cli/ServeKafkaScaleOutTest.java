package io.proxima.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxima.server.ProximaServer;
import io.proxima.server.ServerOptions;
import io.proxima.store.kafka.KafkaClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code proxima serve --backend kafka --scale-out} processes sharing one log of two
 * partitions on an in-process KRaft cluster: each owns one partition, either answers any request
 * (forwarding it to the owner), and when one is killed with kill -9 in the middle of the trainers'
 * streams the other adopts its partition — every acknowledged batch in the log exactly once, and
 * every curriculum ends exactly as a single SQLite server ends the same request sequence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeKafkaScaleOutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final int PARTITIONS = 2;
    private static final int STEPS = 14;
    /** Calls answered only after a retry (for the log: how much the failover was exercised). */
    private static final AtomicInteger retries = new AtomicInteger();

    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();
    private final ServerProcesses servers = new ServerProcesses();

    @AfterEach
    void killAll() throws InterruptedException {
        servers.killAll();
    }

    private record Instance(Process process, int port) {}

    private Instance serve(String prefix, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--backend", "kafka", "--bootstrap", cluster.bootstrap(), "--topic-prefix", prefix, "--partitions", "" + PARTITIONS,
                "--port", "0", "--snapshot-every", "20", "--scale-out", "--owner-session-ms", "3000"));
        args.addAll(List.of(extra));
        ServerProcesses.Started s = servers.serve(args);
        assertThat(s.banner()).contains("scaled out: 2 partitions shared by the group " + prefix + ".owners");
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

    private static Response send(int port, String method, String path, String body) throws IOException {
        return sendAs(null, port, method, path, body);
    }

    private static Response sendAs(String token, int port, String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        try {
            HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * The request on the first live instance from {@code start} that answers it: an instance that
     * is gone, and a 503 (a partition moving), are retried on the next, with the same body (same
     * request and batch ids) — what a trainer's client does.
     */
    private static Response call(List<Instance> live, Set<Integer> dead, int start, String method, String path, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int attempt = 0; ; attempt++) {
            Instance i = live.get((start + attempt) % live.size());
            if (!dead.contains(i.port())) {
                try {
                    Response r = send(i.port(), method, path, body);
                    if (r.status() != 503) return r;
                } catch (IOException gone) {
                    // killed: try another instance
                }
            }
            if (System.nanoTime() > deadline) throw new AssertionError(method + " " + path + " unanswered for 90 s");
            if (attempt == 0) retries.incrementAndGet();
            Thread.sleep(100);
        }
    }

    private static int partition(String id) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Curriculum ids, {@code perPartition} in each partition. */
    private static List<String> ids(String stem, int perPartition) {
        List<String> out = new ArrayList<>();
        int[] count = new int[PARTITIONS];
        for (int i = 0; out.size() < perPartition * PARTITIONS; i++) {
            String id = stem + i;
            if (count[partition(id)]++ < perPartition) out.add(id);
        }
        return out;
    }

    private static String tasksJson(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        return b.append("]").toString();
    }


    /** Creates curriculum {@code id} and gives it tasks (before any instance is killed: an upload is not keyed). */
    private static void setUp(String id, int c, List<Instance> live) throws Exception {
        Set<Integer> dead = Set.of();
        Response created = call(live, dead, c, "POST", "/v1/curricula",
                "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"" + (c % 2 == 0 ? "sec" : "odf") + "\",\"seed\":" + c + ",\"rollouts\":4}}");
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        Response tasks = call(live, dead, c + 1, "POST", "/v1/curricula/" + id + "/tasks", tasksJson(30));
        assertThat(tasks.status()).as(tasks.body()).isEqualTo(200);
    }

    /** A trainer's run on one curriculum: STEPS × (next, report), each with its key; {@code acked} gets each acknowledged batch id. */
    private static void train(String id, int c, List<Instance> live, Set<Integer> dead, Set<String> acked, AtomicInteger total) throws Exception {
        SplittableRandom rnd = new SplittableRandom(id.hashCode());
        for (int i = 0; i < STEPS; i++) {
            Response sel = call(live, dead, c + i, "POST", "/v1/curricula/" + id + "/next", "{\"n\":4,\"requestId\":\"" + id + "-n" + i + "\"}");
            assertThat(sel.status()).as(sel.body()).isEqualTo(200);
            String batch = id + "-" + i;
            Response r = call(live, dead, c + i + 1, "POST", "/v1/curricula/" + id + "/report", ServerProcesses.reportJson(batch, sel.json(), rnd));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            acked.add(batch);
            if (total != null) total.incrementAndGet();
        }
    }

    /** Report batch ids in the curriculum's exported log, with how often each occurs. */
    private static Map<String, Integer> reportsInLog(int port, String id) throws Exception {
        Response log = call(List.of(new Instance(null, port)), Set.of(), 0, "GET", "/v1/curricula/" + id + "/log", null); // 503 while a partition moves
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        Map<String, Integer> out = new HashMap<>();
        for (String line : log.body().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            if (e.get("type").asText().equals("report") && e.has("batchId")) out.merge(e.get("batchId").asText(), 1, Integer::sum);
        }
        return out;
    }

    /** Waits until both instances agree that each owns one partition and serves it. */
    private static void awaitOneEach(Instance a, Instance b) throws Exception {
        awaitOneEach(a, b, null);
    }

    private static void awaitOneEach(Instance a, Instance b, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonNode va = sendAs(token, a.port(), "GET", "/v1/cluster", null).json();
            JsonNode vb = sendAs(token, b.port(), "GET", "/v1/cluster", null).json();
            Set<String> owners = new TreeSet<>();
            int served = 0;
            for (JsonNode v : List.of(va, vb)) {
                for (JsonNode o : v.get("owners")) {
                    if (!o.get("owner").isNull()) owners.add(o.get("owner").asText());
                    if (o.get("servedHere").asBoolean()) served++;
                }
            }
            boolean agreed = owners.equals(new TreeSet<>(Set.of(va.get("self").asText(), vb.get("self").asText()))) && served == PARTITIONS;
            for (int p = 0; agreed && p < PARTITIONS; p++) { // both name the same owner, and it is the one serving
                JsonNode oa = va.get("owners").get(p);
                JsonNode ob = vb.get("owners").get(p);
                agreed = oa.get("owner").equals(ob.get("owner"))
                        && oa.get("servedHere").asBoolean() == oa.get("owner").asText().equals(va.get("self").asText())
                        && ob.get("servedHere").asBoolean() == ob.get("owner").asText().equals(vb.get("self").asText());
            }
            if (agreed) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the instances did not share the partitions: " + va + " " + vb);
            Thread.sleep(200);
        }
    }

    @Test
    void twoInstancesShareTheLogAndAKilledOnesPartitionResumesOnTheOtherExactlyOnce(@TempDir Path single) throws Exception {
        String prefix = "scaleout";
        Instance a = serve(prefix);
        Instance b = serve(prefix);
        awaitOneEach(a, b);
        List<Instance> live = List.of(a, b);
        Set<Integer> dead = ConcurrentHashMap.newKeySet();
        List<String> ids = ids("c", 2);
        for (int c = 0; c < ids.size(); c++) setUp(ids.get(c), c, live);

        // trainers on both partitions, each alternating between the instances; A is killed mid-stream
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger total = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(ids.size());
        for (int c = 0; c < ids.size(); c++) {
            String id = ids.get(c);
            int k = c;
            Set<String> mine = acked.computeIfAbsent(id, x -> ConcurrentHashMap.newKeySet());
            Thread t = new Thread(() -> {
                try {
                    train(id, k, live, dead, mine, total);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "trainer-" + id);
            t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (total.get() < ids.size() * STEPS / 3 && System.nanoTime() < deadline && done.getCount() > 0) Thread.sleep(20);
        assertThat(total.get()).as("batches acknowledged before the kill").isBetween(ids.size() * STEPS / 3, ids.size() * STEPS - 1);
        a.process().destroyForcibly(); // SIGKILL, mid-stream
        assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        dead.add(a.port());
        assertThat(done.await(200, TimeUnit.SECONDS)).as("trainers finished").isTrue();
        assertThat(failures).isEmpty();

        // B now owns both partitions: every acknowledged batch is in the log exactly once
        JsonNode view = send(b.port(), "GET", "/v1/cluster", null).json();
        for (JsonNode p : view.get("owners")) {
            assertThat(p.get("servedHere").asBoolean()).as("B serves " + p).isTrue();
            assertThat(p.get("owner").asText()).isEqualTo(view.get("self").asText());
        }
        System.out.println("scale-out failover: " + total.get() + " batches acknowledged, " + retries.get() + " calls retried (503 or instance gone)");
        for (String id : ids) {
            Map<String, Integer> inLog = reportsInLog(b.port(), id);
            assertThat(inLog.values()).as(id + ": no batch twice").allMatch(n -> n == 1);
            assertThat(inLog.keySet()).as(id + ": every acknowledged batch, nothing else").isEqualTo(new HashSet<>(acked.get(id))).hasSize(STEPS);
        }
        Response listed = send(b.port(), "GET", "/v1/curricula", null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<String> listedIds = new ArrayList<>();
        listed.json().get("curricula").forEach(n -> listedIds.add(n.get("id").asText()));
        assertThat(listedIds).as("the list of both partitions, merged").containsExactlyElementsOf(new TreeSet<>(ids));
        Response board = send(b.port(), "GET", "/v1/dashboard/curricula", null);
        assertThat(board.status()).as(board.body()).isEqualTo(200);
        List<String> boardIds = new ArrayList<>();
        board.json().get("curricula").forEach(n -> {
            boardIds.add(n.get("id").asText());
            assertThat(n.get("batches").asLong()).as(n.toString()).isEqualTo(STEPS);
        });
        assertThat(boardIds).as("the dashboard's list of both partitions").containsExactlyElementsOf(new TreeSet<>(ids));

        // the same request sequence on one SQLite server ends in the same curricula
        ServerOptions o = new ServerOptions("127.0.0.1", 0, single, null, io.proxima.store.StoreOptions.DEFAULTS, 16 << 20, 1 << 30);
        try (ProximaServer reference = ProximaServer.start(o)) {
            Instance ref = new Instance(null, reference.port());
            for (int c = 0; c < ids.size(); c++) {
                setUp(ids.get(c), c, List.of(ref));
                train(ids.get(c), c, List.of(ref), Set.of(), new HashSet<>(), null);
            }
            for (String id : ids) {
                JsonNode want = send(ref.port(), "GET", "/v1/curricula/" + id + "/stats", null).json();
                JsonNode got = send(b.port(), "GET", "/v1/curricula/" + id + "/stats", null).json();
                assertThat(got).as(id + ": stats after failover = single-node run").isEqualTo(want);
                assertThat(send(b.port(), "GET", "/v1/curricula/" + id, null).json().get("events"))
                        .isEqualTo(send(ref.port(), "GET", "/v1/curricula/" + id, null).json().get("events"));
            }
        }
    }

    @Test
    void aBatchOverBothPartitionsIsSplitAndAnsweredInItsOrderAndRoutesOfTheOtherPartitionAreForwarded() throws Exception {
        String prefix = "scaleout-batch";
        Instance a = serve(prefix);
        Instance b = serve(prefix);
        awaitOneEach(a, b);
        List<String> ids = ids("b", 1);
        for (String id : ids) {
            for (Instance i : List.of(a, b)) { // created through either instance: the second create is the same curriculum (200)
                Response c = send(i.port(), "POST", "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}");
                assertThat(c.status()).as(c.body()).isIn(200, 201);
            }
            assertThat(send(a.port(), "POST", "/v1/curricula/" + id + "/tasks", tasksJson(10)).status()).isEqualTo(200);
        }
        String items = "{\"requests\":[" + "{\"curriculum\":\"" + ids.get(1) + "\",\"op\":\"next\",\"body\":{\"n\":2,\"requestId\":\"x1\"}},"
                + "{\"curriculum\":\"" + ids.get(0) + "\",\"op\":\"next\",\"body\":{\"n\":3,\"requestId\":\"x0\"}},"
                + "{\"curriculum\":\"nope\",\"op\":\"next\",\"body\":{\"n\":1}}]}";
        Response batch = send(a.port(), "POST", "/v1/batch", items);
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        JsonNode rs = batch.json().get("responses");
        assertThat(rs).hasSize(3);
        assertThat(rs.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(rs.get(0).get("body").get("tasks")).hasSize(2);
        assertThat(rs.get(1).get("body").get("tasks")).hasSize(3);
        assertThat(rs.get(2).get("status").asInt()).as(rs.get(2).toString()).isEqualTo(404);
        // each item was the call its own route makes: the same request ids answer the same through either instance
        for (Instance i : List.of(a, b)) {
            Response again = send(i.port(), "POST", "/v1/curricula/" + ids.get(1) + "/next", "{\"n\":2,\"requestId\":\"x1\"}");
            assertThat(again.json().get("tasks")).isEqualTo(rs.get(0).get("body").get("tasks"));
            Response again0 = send(i.port(), "POST", "/v1/curricula/" + ids.get(0) + "/next", "{\"n\":3,\"requestId\":\"x0\"}");
            assertThat(again0.json().get("tasks")).isEqualTo(rs.get(1).get("body").get("tasks"));
        }
        Response missing = send(b.port(), "GET", "/v1/curricula/nope/stats", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(send(a.port(), "GET", "/v1/cluster", null).json().get("partitions").asInt()).isEqualTo(2);
        JsonNode health = send(b.port(), "GET", "/healthz", null).json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("partitionsServedHere").asInt()).isEqualTo(1);
        assertThat(health.get("partitionsAssignedHere").asInt()).isEqualTo(1);
    }

    private static void signal(Process p, String sig) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor()).isZero();
    }

    /** Which partition instance {@code i} serves, waiting until it serves one. */
    private static int servedBy(Instance i, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (JsonNode p : send(i.port(), "GET", "/v1/cluster", null).json().get("owners")) {
                if (p.get("servedHere").asBoolean()) return p.get("partition").asInt();
            }
            if (System.nanoTime() > deadline) throw new AssertionError("instance " + i.port() + " serves no partition");
            Thread.sleep(200);
        }
    }

    @Test
    void anInstanceFrozenPastItsSessionLosesItsPartitionAndNeverAcknowledgesWhatTheNewOwnerDoesNotHold() throws Exception {
        String prefix = "scaleout-frozen";
        Instance a = serve(prefix);
        Instance b = serve(prefix);
        awaitOneEach(a, b);
        int pa = servedBy(a, 10);
        String id = ids("z", 1).stream().filter(x -> partition(x) == pa).findFirst().orElseThrow();
        setUp(id, 0, List.of(a));
        SplittableRandom rnd = new SplittableRandom(5);
        Set<String> acked = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JsonNode sel = send(a.port(), "POST", "/v1/curricula/" + id + "/next", "{\"n\":3}").json();
            assertThat(send(a.port(), "POST", "/v1/curricula/" + id + "/report", ServerProcesses.reportJson("a" + i, sel, rnd)).status()).isEqualTo(200);
            acked.add("a" + i);
        }

        signal(a.process(), "STOP"); // A is cut off: alive, but silent past its session
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean adopted = false;
            while (!adopted) {
                adopted = send(b.port(), "GET", "/v1/cluster", null).json().get("owners").get(pa).get("servedHere").asBoolean();
                if (!adopted && System.nanoTime() > deadline) throw new AssertionError("B did not adopt partition " + pa);
                Thread.sleep(200);
            }
            for (int i = 0; i < 2; i++) { // the new owner goes on from everything A acknowledged
                Response sel = call(List.of(b), Set.of(), 0, "POST", "/v1/curricula/" + id + "/next", "{\"n\":3,\"requestId\":\"bn" + i + "\"}");
                Response r = call(List.of(b), Set.of(), 0, "POST", "/v1/curricula/" + id + "/report", ServerProcesses.reportJson("b" + i, sel.json(), rnd));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                acked.add("b" + i);
            }
        } finally {
            signal(a.process(), "CONT");
        }
        // A wakes up still believing it owns the partition: whatever it answers, it acknowledges only what the log holds
        Response late = send(a.port(), "POST", "/v1/curricula/" + id + "/report", "{\"batchId\":\"late\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1]}]}");
        assertThat(late.status()).as(late.body()).isIn(200, 503);
        System.out.println("scale-out frozen owner: its first answer after waking was " + late.status() + " " + late.body());
        if (late.status() == 200) acked.add("late");
        Map<String, Integer> reports = reportsInLog(b.port(), id);
        assertThat(reports.values()).as("no batch twice").allMatch(n -> n == 1);
        Set<String> expected = new HashSet<>(acked);
        if (late.status() == 503) assertThat(reports).as("a refused call left nothing").doesNotContainKey("late");
        assertThat(reports.keySet()).as("every acknowledged batch").containsAll(expected);
    }

    @Test
    void aTenantsCurriculaAreRoutedByTheirStoredIdsAndOnlyAnAdminSeesTheOwners(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        java.nio.file.Files.writeString(tokens, "tok-acme acme\ntok-root root admin\n");
        String prefix = "scaleout-tenants";
        Instance a = serve(prefix, "--tokens", tokens.toString());
        Instance b = serve(prefix, "--tokens", tokens.toString());
        awaitOneEach(a, b, "tok-root");
        // ids whose stored id (acme~id) lies in the other partition than the id alone: routing by the bare id would miss
        List<String> ids = new ArrayList<>();
        for (int want = 0; want < PARTITIONS; want++) {
            for (int i = 0; ; i++) {
                String id = "x" + i;
                if (partition("acme~" + id) == want && partition(id) != want) {
                    ids.add(id);
                    break;
                }
            }
        }
        SplittableRandom rnd = new SplittableRandom(3);
        for (String id : ids) {
            for (Instance i : List.of(a, b)) {
                Response c = sendAs("tok-acme", i.port(), "POST", "/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":2}}");
                assertThat(c.status()).as(c.body()).isIn(200, 201);
                assertThat(c.json().get("id").asText()).isEqualTo(id);
            }
            assertThat(sendAs("tok-acme", b.port(), "POST", "/v1/curricula/" + id + "/tasks", tasksJson(8)).status()).isEqualTo(200);
            for (Instance i : List.of(a, b)) {
                Response sel = sendAs("tok-acme", i.port(), "POST", "/v1/curricula/" + id + "/next", "{\"n\":2}");
                assertThat(sel.status()).as(sel.body()).isEqualTo(200);
                Response r = sendAs("tok-acme", i.port(), "POST", "/v1/curricula/" + id + "/report", ServerProcesses.reportJson(id + i.port(), sel.json(), rnd));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
        }
        List<String> seen = new ArrayList<>();
        sendAs("tok-acme", a.port(), "GET", "/v1/curricula", null).json().get("curricula").forEach(n -> seen.add(n.get("id").asText()));
        assertThat(seen).as("the tenant's list, from both partitions").containsExactlyInAnyOrderElementsOf(ids);
        List<String> stored = new ArrayList<>();
        sendAs("tok-root", b.port(), "GET", "/v1/curricula", null).json().get("curricula").forEach(n -> stored.add(n.get("id").asText()));
        assertThat(stored).containsExactlyInAnyOrder("acme~" + ids.get(0), "acme~" + ids.get(1));
        assertThat(sendAs("tok-root", a.port(), "GET", "/v1/curricula/acme~" + ids.get(0) + "/stats", null).status()).as("an admin names stored ids").isEqualTo(200);
        assertThat(sendAs("tok-acme", a.port(), "GET", "/v1/cluster", null).status()).isEqualTo(403);
        assertThat(sendAs(null, a.port(), "GET", "/v1/cluster", null).status()).isEqualTo(401);
        assertThat(sendAs(null, b.port(), "GET", "/v1/curricula/" + ids.get(0), null).status()).as("the owner checks the token").isEqualTo(401);
    }
}
