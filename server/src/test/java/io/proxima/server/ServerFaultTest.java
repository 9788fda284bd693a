package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import io.proxima.store.Faults;
import io.proxima.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 items 1 and 3 over HTTP: no 500 that changes state, and a health check that tells a
 * store which cannot write (503) from one that can, and turns 200 again once it writes. The write
 * routes include {@code step} (a fault in its report part, or in its next part after the report
 * part was applied) and {@code /v1/batch} items (the batch answers 200, the item 500 or 503).
 */
class ServerFaultTest extends ServerHarness {
    /** Faults for the server's store: one stage of one operation (null: any), once or until disarmed. */
    static final class Injected implements Faults {
        volatile Stage stage;
        volatile String operation;
        volatile boolean persistent;
        volatile int fired;

        void once(Stage s, String op) {
            persistent = false;
            operation = op;
            stage = s;
        }

        void always(Stage s, String op) {
            persistent = true;
            operation = op;
            stage = s;
        }

        void disarm() {
            stage = null;
        }

        @Override
        public void check(Stage s, String curriculum, String op) {
            if (stage != s || (operation != null && !operation.equals(op))) return;
            if (!persistent) stage = null;
            fired++;
            throw new IllegalStateException("injected fault at " + s + " of " + op);
        }
    }

    private final Injected faults = new Injected();

    private void startWithFaults(StoreOptions store) {
        ServerOptions o = ServerOptions.of(dir, 0).withStore(store);
        server = ProximaServer.start(o, faults);
        http = new Http(server.port(), null);
    }

    private void restart(StoreOptions store) {
        server.close();
        startWithFaults(store);
    }

    private static String tasks(String... idAndGroup) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < idAndGroup.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(idAndGroup[i]).append("\",\"group\":\"").append(idAndGroup[i + 1]).append("\"}");
        }
        return b.append("]").toString();
    }

    /** Everything a client reads about curriculum r1. */
    private Map<String, String> seen() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("info", http.get("/v1/curricula/r1").body());
        m.put("stats", http.get("/v1/curricula/r1/stats").body());
        m.put("checkpoints", http.get("/v1/curricula/r1/checkpoints").body());
        m.put("list", http.get("/v1/curricula").body());
        String log = http.get("/v1/curricula/r1/log").body();
        m.put("log", log);
        List<String> lines = log.lines().toList();
        for (int k = 1; k < lines.size(); k++) {
            assertThat(lines.get(k)).as("the log has no gap").startsWith("{\"seq\":" + k + ",");
        }
        return m;
    }

    private void nextAndReport(String batchId) {
        JsonNode sel = http.post("/v1/curricula/r1/next", Http.next(2, null)).json();
        assertThat(http.post("/v1/curricula/r1/report", ServerTest.reportJson(batchId, sel, new SplittableRandom(batchId.hashCode()))).status())
                .isEqualTo(200);
    }

    @Test
    void aFifthGroupThenACheckpointOrAnAutomaticSnapshotIsNot500() {
        startWithFaults(StoreOptions.DEFAULTS.withSnapshotEvery(2));
        assertThat(http.post("/v1/curricula", "{\"id\":\"r1\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":4}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/r1/tasks", tasks("a", "g0", "b", "g1", "c", "g2", "d", "g3")).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) nextAndReport("b" + i);
        assertThat(http.post("/v1/curricula/r1/tasks", tasks("e", "g4")).status()).isEqualTo(200);
        Http.Response cp = http.post("/v1/curricula/r1/checkpoints", "{\"step\":0}");
        assertThat(cp.status()).as(cp.body()).isEqualTo(201);
        for (String id : List.of("f", "g", "h")) {
            Http.Response r = http.post("/v1/curricula/r1/tasks", tasks(id, "new-" + id));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(http.get("/v1/curricula/r1").json().get("tasks").asInt()).isEqualTo(8);
        restart(StoreOptions.DEFAULTS);
        assertThat(http.get("/v1/curricula/r1").json().get("tasks").asInt()).isEqualTo(8);
    }

    /** Default durability (a committer thread answers) and process durability (the request thread commits, then answers). */
    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "PROCESS"})
    void aFaultAtAnyStageOfEveryWriteRouteAnswers5xxAndChangesNothing(Durability durability) {
        StoreOptions opts = StoreOptions.DEFAULTS.withSnapshotEvery(1).withDurability(durability);
        startWithFaults(opts);
        assertThat(http.post("/v1/curricula", "{\"id\":\"r1\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":4}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/r1/tasks", tasks("a", "g0", "b", "g1", "c", "g2", "d", "g3")).status()).isEqualTo(200);
        nextAndReport("warm");
        assertThat(http.post("/v1/curricula/r1/checkpoints", "{\"step\":1}").status()).isEqualTo(201);
        nextAndReport("warm2");
        JsonNode sel = http.post("/v1/curricula/r1/next", Http.next(2, null)).json();
        // route → (store operation, method, path, body); a batch answers 200 with the item's status
        record Route(String op, String method, String path, String body) {
            boolean batch() {
                return path.equals("/v1/batch");
            }
        }
        String step = stepJson("step-1", sel, 2);
        List<Route> routes = List.of(
                new Route("addTasks", "POST", "/v1/curricula/r1/tasks", tasks("z", "new-group")),
                new Route("next", "POST", "/v1/curricula/r1/next", Http.next(2, "req-1")),
                new Route("report", "POST", "/v1/curricula/r1/report", ServerTest.reportJson("batch-1", sel, new SplittableRandom(3))),
                new Route("step.report", "POST", "/v1/curricula/r1/step", step),
                new Route("step.next", "POST", "/v1/curricula/r1/step", step), // the report part applied in memory, then the fault
                new Route("step.next", "POST", "/v1/batch", "{\"requests\":[{\"curriculum\":\"r1\",\"op\":\"step\",\"body\":" + step + "}]}"),
                new Route("report", "POST", "/v1/batch", "{\"requests\":[{\"curriculum\":\"r1\",\"op\":\"report\",\"body\":"
                        + ServerTest.reportJson("batch-2", sel, new SplittableRandom(4)) + "}]}"),
                new Route("checkpoint", "POST", "/v1/curricula/r1/checkpoints", "{\"step\":7}"),
                new Route("restore", "POST", "/v1/curricula/r1/checkpoints/1/restore", ""),
                new Route("create", "POST", "/v1/curricula", "{\"id\":\"r2\",\"config\":{\"recipe\":\"dump\"}}"),
                new Route("delete", "DELETE", "/v1/curricula/r1", null));
        for (Route route : routes) {
            for (Faults.Stage stage : Faults.Stage.values()) {
                boolean event = List.of("addTasks", "next", "report", "step.report", "step.next").contains(route.op);
                if (stage == Faults.Stage.ENCODE && !event) continue;
                if (stage == Faults.Stage.SNAPSHOT && !route.op.equals("checkpoint")) continue; // events: the store's own test
                String context = route.method + " " + route.path + " failing at " + stage;
                Map<String, String> before = seen();
                if (stage == Faults.Stage.COMMIT) faults.always(stage, null); // the disk is full
                else faults.once(stage, route.op);
                int fired = faults.fired;
                Http.Response r = route.method.equals("DELETE") ? http.delete(route.path) : http.post(route.path, route.body);
                assertThat(faults.fired).as(context + ": the fault was reached").isGreaterThan(fired);
                JsonNode answer = r.json();
                int status = r.status();
                if (route.batch()) { // the batch is answered; its item carries the failure
                    assertThat(status).as(context + " → " + r.body()).isEqualTo(200);
                    status = answer.get("responses").get(0).get("status").asInt();
                    answer = answer.get("responses").get(0).get("body");
                }
                assertThat(status).as(context + " → " + r.body()).isEqualTo(stage == Faults.Stage.COMMIT ? 503 : 500);
                assertThat(answer.get("error").asText()).as(context).isNotBlank();
                if (stage == Faults.Stage.COMMIT) {
                    Http.Response health = http.get("/healthz");
                    assertThat(health.status()).as(context + ": health while the disk is full").isEqualTo(503);
                    assertThat(health.json().get("error").asText()).contains("cannot write");
                    assertThat(seen()).as(context + ": reads while broken").isEqualTo(before);
                    faults.disarm();
                    assertThat(http.get("/healthz").status()).as(context + ": health once space is back").isEqualTo(200);
                }
                assertThat(seen()).as(context).isEqualTo(before);
                assertThat(http.get("/v1/curricula/r2").status()).as(context).isEqualTo(404);
                restart(opts);
                assertThat(seen()).as(context + ", restarted").isEqualTo(before);
            }
        }
        // the same keys are new: nothing was stored under them
        assertThat(http.post("/v1/curricula/r1/next", Http.next(2, "req-1")).headers().firstValue("Proxima-Replayed")).isEmpty();
        Http.Response stepped = http.post("/v1/curricula/r1/step", step);
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(200);
        assertThat(stepped.headers().firstValue("Proxima-Replayed")).isEmpty();
    }

    /** A step body: the report of {@code selection} under {@code batchId}, and the next batch's size. */
    private static String stepJson(String batchId, JsonNode selection, int n) {
        String report = ServerTest.reportJson(batchId, selection, new SplittableRandom(batchId.hashCode()));
        return report.substring(0, report.length() - 1) + ",\"n\":" + n + "}";
    }
}
