package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTest extends ServerHarness {

    static String tasksJson(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        return b.append("]").toString();
    }

    static List<TaskSpec> tasks(int n) {
        List<TaskSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TaskSpec.of("t" + i, "g" + (i % 3)));
        return out;
    }

    static String reportJson(String batchId, JsonNode selection, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder("{\"batchId\":\"" + batchId + "\",\"outcomes\":[");
        int i = 0;
        for (JsonNode t : selection.get("tasks")) {
            b.append(i++ == 0 ? "" : ",").append("{\"taskId\":\"").append(t.get("id").asText()).append("\",\"rewards\":[");
            for (int k = 0; k < t.get("rollouts").asInt(); k++) b.append(k == 0 ? "" : ",").append(rnd.nextInt(2));
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    static List<Outcome> outcomesOf(String reportJson) throws Exception {
        JsonNode n = Http.JSON.readTree(reportJson);
        return Codec.outcomes(n);
    }

    private void createWithTasks(String id, String config, int tasks) {
        assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":" + config + "}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/" + id + "/tasks", tasksJson(tasks)).status()).isEqualTo(200);
    }

    @Test
    void everyRouteWorksEndToEnd() {
        start(Durability.SYNC);
        assertThat(http.get("/healthz").json().get("status").asText()).isEqualTo("ok");
        createWithTasks("a", "{\"recipe\":\"sec\",\"seed\":3,\"rollouts\":4}", 12);
        String jsonl = "{\"id\":\"x1\",\"group\":\"g9\",\"priorDifficulty\":0.5}\n{\"id\":\"x2\",\"features\":[]}\n";
        assertThat(http.post("/v1/curricula/a/tasks", jsonl).json().get("tasks").asInt()).isEqualTo(14);
        assertThat(http.get("/v1/curricula").json().get("curricula").get(0).get("id").asText()).isEqualTo("a");
        JsonNode sel = http.post("/v1/curricula/a/next", Http.next(4, null)).json();
        assertThat(sel.get("tasks")).hasSize(4);
        assertThat(sel.get("tasks").get(0).get("rollouts").asInt()).isEqualTo(4);
        Http.Response rep = http.post("/v1/curricula/a/report", reportJson("b0", sel, new SplittableRandom(1)));
        assertThat(rep.status()).isEqualTo(200);
        assertThat(rep.json().get("accepted").asInt()).isEqualTo(4);
        assertThat(rep.json().get("verdicts")).hasSize(4);
        assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isEqualTo(4);
        assertThat(http.post("/v1/curricula/a/checkpoints", "{\"step\": 100}").status()).isEqualTo(201);
        JsonNode after = http.post("/v1/curricula/a/next", Http.next(4, null)).json();
        assertThat(http.get("/v1/curricula/a/checkpoints").json().get("checkpoints").get(0).get("step").asLong()).isEqualTo(100);
        assertThat(http.post("/v1/curricula/a/checkpoints/100/restore", "").status()).isEqualTo(200);
        assertThat(http.post("/v1/curricula/a/next", Http.next(4, null)).json()).isEqualTo(after);
        String log = http.get("/v1/curricula/a/log").body();
        assertThat(log.lines()).hasSize(1 + 5).first().asString().contains("\"type\":\"create\"");
        assertThat(log.lines().toList().get(4)).contains("\"batchId\":\"b0\"");
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("proxima_requests_seconds_count").contains("proxima_outcomes_ingested_total{curriculum=\"a\"} 4.0")
                .contains("proxima_effective_ratio{curriculum=\"a\"}");
        assertThat(http.get("/v1/openapi.json").json().get("openapi").asText()).startsWith("3.");
        assertThat(http.delete("/v1/curricula/a").status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/a").status()).isEqualTo(404);
    }

    @Test
    void tokenIsRequiredOnEveryRouteButHealth() {
        start(ServerOptions.of(dir, 0).withToken("s3cret"));
        Http anonymous = new Http(server.port());
        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
        for (String path : List.of("/v1/curricula", "/metrics", "/v1/openapi.json", "/v1/curricula/x/stats")) {
            Http.Response r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.json().get("field").asText()).isEqualTo("Authorization");
        }
        assertThat(new Http(server.port(), "wrong").get("/v1/curricula").status()).isEqualTo(401);
        assertThat(http.get("/v1/curricula").status()).isEqualTo(200);
    }

    @Test
    void badInputIsA4xxNamingTheFieldAndChangesNothing() {
        start(Durability.SYNC);
        createWithTasks("a", "{\"recipe\":\"odf\",\"seed\":1,\"rollouts\":2}", 10);
        JsonNode sel = http.post("/v1/curricula/a/next", Http.next(3, null)).json();
        http.post("/v1/curricula/a/report", reportJson("ok", sel, new SplittableRandom(2)));
        String logBefore = http.get("/v1/curricula/a/log").body();
        String statsBefore = http.get("/v1/curricula/a/stats").body();
        String huge = "{\"outcomes\":[" + "{\"taskId\":\"t1\",\"rewards\":[1]},".repeat(5000) + "{\"taskId\":\"t1\",\"rewards\":[1]}]}";
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Object[][] cases = {
                // method, path, body, status, field
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [", 400, "body"},
                {"POST", "/v1/curricula/a/report", "not json", 400, "body"},
                {"POST", "/v1/curricula/a/report", "", 400, "body"},
                {"POST", "/v1/curricula/a/report", "[]", 400, "body"},
                {"POST", "/v1/curricula/a/report", "{}", 400, "outcomes"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": []}", 400, "outcomes"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": \"x\"}", 400, "outcomes"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": 5, \"rewards\": [1]}]}", 400, "outcomes[0].taskId"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [\"1\"]}]}", 400, "outcomes[0].rewards[0]"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [NaN]}]}", 400, "body"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [\"NaN\"]}]}", 400, "outcomes[0].rewards[0]"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [Infinity]}]}", 400, "body"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1e999]}]}", 400, "outcomes[0].rewards[0]"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": []}]}", 400, "outcomes[0].rewards"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1], \"extra\": 1}]}", 400, "outcomes[0].extra"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1, 0], \"tokenLengths\": [3]}]}", 400, "outcomes[0].tokenLengths"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1], \"step\": -5}]}", 400, "outcomes[0].step"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1]}, {\"taskId\": \"nope\", \"rewards\": [1]}]}", 400, "outcomes[1].taskId"},
                {"POST", "/v1/curricula/a/report", "{\"batchId\": 7, \"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1]}]}", 400, "batchId"},
                {"POST", "/v1/curricula/a/report", "{\"batchId\": \"ok\", \"outcomes\": [{\"taskId\": \"t2\", \"rewards\": [0]}]}", 409, "batchId"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1]}]} {}", 400, "body"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"rewards\": [1]}]}", 400, "outcomes[0].taskId"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\"}]}", 400, "outcomes[0].rewards"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1], \"step\": 2.5}]}", 400, "outcomes[0].step"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1], \"tokenLengths\": [1.5]}]}", 400, "outcomes[0].tokenLengths[0]"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": 1}]}", 400, "outcomes[0].rewards"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": null}", 400, "outcomes"},
                {"POST", "/v1/curricula/a/report", "{\"outcomes\": [5]}", 400, "outcomes[0]"},
                {"POST", "/v1/curricula/a/report", "{\"batchId\": \"\", \"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1]}]}", 400, "batchId"},
                {"POST", "/v1/curricula/a/report", huge, 413, "body"},
                {"POST", "/v1/curricula/a/report", deep, 400, "body"},
                {"POST", "/v1/curricula/nobody/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1]}]}", 404, "id"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 0}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 11}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 100000000}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 99999999999999999999999}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 2.5}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": \"3\"}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{}", 400, "n"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 2, \"size\": 3}", 400, "size"},
                {"POST", "/v1/curricula/a/next", "{\"n\": 2, \"requestId\": \"\"}", 400, "requestId"},
                {"POST", "/v1/curricula/nobody/next", "{\"n\": 2}", 404, "id"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"t1\"}]", 400, "tasks[0]"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"new\"}, {\"id\": \"new\"}]", 400, "tasks[1]"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"n1\"}, {\"name\": \"n2\"}]", 400, "tasks[1].name"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"n1\", \"priorDifficulty\": 3}]", 400, "tasks[0]"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"n1\"}, 5]", 400, "tasks[1]"},
                {"POST", "/v1/curricula/a/tasks", "{\"id\": \"n1\"}\n{\"id\": ", 400, "tasks[1]"},
                {"POST", "/v1/curricula/a/tasks", "[]", 400, "tasks"},
                {"POST", "/v1/curricula/a/tasks", "", 400, "body"},
                {"POST", "/v1/curricula/a/tasks", "[{\"id\": \"n1\", \"features\": [1]}]", 400, "tasks[0]"},
                {"POST", "/v1/curricula", "{\"id\": \"b\", \"config\": {\"recipe\": \"nope\"}}", 400, "config.recipe"},
                {"POST", "/v1/curricula", "{\"id\": \"b\", \"config\": {\"rollouts\": -1}}", 400, "config.rollouts"},
                {"POST", "/v1/curricula", "{\"id\": \"b\", \"config\": {\"colour\": 1}}", 400, "config.colour"},
                {"POST", "/v1/curricula", "{\"id\": \"b\", \"config\": 5}", 400, "config"},
                {"POST", "/v1/curricula", "{\"id\": \"b c\"}", 400, "id"},
                {"POST", "/v1/curricula", "{\"config\": {}}", 400, "id"},
                {"POST", "/v1/curricula", "{\"id\": \"a\"}", 409, "config.recipe"},
                {"POST", "/v1/curricula/a/checkpoints", "{\"step\": -1}", 400, "step"},
                {"POST", "/v1/curricula/a/checkpoints/77/restore", "", 404, "step"},
                {"POST", "/v1/curricula/a/checkpoints/x/restore", "", 400, "step"},
                {"GET", "/v1/curricula/nobody", null, 404, "id"},
                {"GET", "/v1/curricula/nobody/stats", null, 404, "id"},
                {"GET", "/v1/nothing", null, 404, "path"},
                {"DELETE", "/v1/curricula/nobody", null, 404, "id"},
        };
        for (Object[] c : cases) {
            Http.Response r = switch ((String) c[0]) {
                case "POST" -> http.post((String) c[1], (String) c[2]);
                case "DELETE" -> http.delete((String) c[1]);
                default -> http.get((String) c[1]);
            };
            String what = c[0] + " " + c[1] + " " + (c[2] == null ? "" : ((String) c[2]).substring(0, Math.min(80, ((String) c[2]).length())));
            refused(r, what, (int) c[3], (String) c[4]);
        }
        Http.Response nan = http.post("/v1/curricula/a/report", "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [NaN]}]}");
        assertThat(nan.json().get("error").asText()).contains("JSON numbers must be finite").doesNotContain("enable", "JsonReadFeature");
        // a body bigger than the limit, streamed, on the upload route
        byte[] big = ("[" + "{\"id\":\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\"},".repeat(40_000) + "{\"id\":\"end\"}]").getBytes(StandardCharsets.UTF_8);
        assertThat(http.post("/v1/curricula/a/tasks", big).status()).isEqualTo(413);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/a/log").body()).isEqualTo(logBefore);
        assertThat(http.get("/v1/curricula/a/stats").body()).isEqualTo(statsBefore);
        assertThat(http.get("/v1/curricula").json().get("curricula")).hasSize(1);
    }

    @Test
    void concurrentRetriesOfOneBatchAreAppliedOnceAndAnsweredTheSame() throws Exception {
        start(Durability.GROUP);
        createWithTasks("a", "{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}", 20);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            for (int round = 0; round < 10; round++) {
                JsonNode sel = http.post("/v1/curricula/a/next", Http.next(5, "n" + round)).json();
                // a retried next answers the same selection and moves nothing
                assertThat(http.post("/v1/curricula/a/next", Http.next(5, "n" + round)).json()).isEqualTo(sel);
                postConcurrently(pool, "/v1/curricula/a/report", reportJson("b" + round, sel, new SplittableRandom(round)), 12);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode stats = http.get("/v1/curricula/a/stats").json();
        assertThat(stats.get("reports").asInt()).isEqualTo(50);
        assertThat(stats.get("batches").asInt()).isEqualTo(10);
    }

    @Test
    void manyClientsOnManyCurriculaGiveTheSerialResults() throws Exception {
        start(ServerOptions.of(dir, 0).withDurability(Durability.GROUP));
        int curricula = 6;
        int clientsPerCurriculum = 3;
        int rounds = 12;
        for (int c = 0; c < curricula; c++) createWithTasks("c" + c, "{\"recipe\":\"" + (c % 2 == 0 ? "sec" : "dapo") + "\",\"seed\":" + c + ",\"rollouts\":4}", 30);
        ExecutorService pool = Executors.newFixedThreadPool(curricula * clientsPerCurriculum);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < curricula; c++) {
            for (int k = 0; k < clientsPerCurriculum; k++) {
                String id = "c" + c;
                int client = k;
                fs.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(id.hashCode() * 31L + client);
                    for (int i = 0; i < rounds; i++) {
                        Http.Response r = http.post("/v1/curricula/" + id + "/next", Http.next(3, null));
                        assertThat(r.status()).isEqualTo(200);
                        Http.Response rep = http.post("/v1/curricula/" + id + "/report", reportJson(client + "-" + i, r.json(), rnd));
                        assertThat(rep.status()).as(rep.body()).isEqualTo(200);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        // the log is the serialization; replaying it serially through the core gives the same state
        for (int c = 0; c < curricula; c++) {
            String id = "c" + c;
            List<String> lines = http.get("/v1/curricula/" + id + "/log").body().lines().toList();
            assertThat(lines).hasSize(2 + 2 * clientsPerCurriculum * rounds);
            Curriculum ref = Curriculum.create(CurriculumConfig.fromJson(Http.JSON.readTree(lines.get(0)).get("config").toString()));
            ref.addTasks(tasks(30));
            for (String line : lines.subList(2, lines.size())) {
                JsonNode e = Http.JSON.readTree(line);
                if (e.get("type").asText().equals("next")) {
                    Selection s = ref.next(e.get("n").asInt());
                    assertThat(s.size()).isEqualTo(3);
                } else {
                    ref.report(Codec.outcomes(e));
                }
            }
            assertThat(http.get("/v1/curricula/" + id + "/stats").body()).isEqualTo(new String(Codec.stats(id, ref.stats()), StandardCharsets.UTF_8));
        }
        server.close();
        // and a restart recovers the same
        List<String> before = new ArrayList<>();
        server = ProximaServer.start(ServerOptions.of(dir, 0));
        http = new Http(server.port());
        for (int c = 0; c < curricula; c++) before.add(http.get("/v1/curricula/c" + c + "/stats").body());
        assertThat(before).allSatisfy(s -> assertThat(s).contains("\"reports\":" + (3 * clientsPerCurriculum * rounds)));
    }
}
