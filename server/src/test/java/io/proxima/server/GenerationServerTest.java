package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 (discrete generation hook) over HTTP: {@code generate} requests in next/step answers,
 * uploads of derived tasks with {@code parent}, {@code kind} and a {@code requestId}, the links in
 * stats, listings and the log, across a restart; bad input is a 400 naming the field.
 */
class GenerationServerTest extends ServerHarness {
    private static final String GEN = "{\"minReports\":1,\"perBatch\":2}";

    private void create(String id, String generation) {
        String body = "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"uniform\",\"seed\":4,\"rollouts\":4"
                + (generation == null ? "" : ",\"generation\":" + generation) + "}}";
        Http.Response c = http.post("/v1/curricula", body);
        assertThat(c.status()).as(c.body()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/" + id + "/tasks", "[{\"id\":\"hard\",\"group\":\"math\"},{\"id\":\"mid\",\"group\":\"math\"},{\"id\":\"easy\"}]").status())
                .isEqualTo(200);
    }

    private Http.Response report(String id, String batchId, String taskId, String rewards) {
        return http.post("/v1/curricula/" + id + "/report", "{\"batchId\":\"" + batchId + "\",\"outcomes\":[{\"taskId\":\"" + taskId
                + "\",\"rewards\":" + rewards + "}]}");
    }

    @Test
    void requestsUploadsAndLinksRoundTripAndSurviveARestart() {
        start(Durability.SYNC);
        create("g1", GEN);
        assertThat(http.post("/v1/curricula/g1/next", Http.next(3, "n0")).json().has("generate")).as("no evidence yet").isFalse();
        report("g1", "b1", "hard", "[0,0,0,0]");
        report("g1", "b2", "mid", "[1,0,1,0]");
        report("g1", "b3", "easy", "[1,1,1,1]");
        Http.Response next = http.post("/v1/curricula/g1/next", Http.next(1, "n1"));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).endsWith(",\"generate\":[{\"from\":\"hard\",\"kind\":\"simplify\"},{\"from\":\"mid\",\"kind\":\"vary\"}]}");
        Http.Response again = http.post("/v1/curricula/g1/next", Http.next(1, "n1"));
        assertThat(again.body()).as("a retried next gets the same requests").isEqualTo(next.body());

        String upload = "{\"requestId\":\"gen-1\",\"tasks\":[{\"id\":\"hard/easier\",\"parent\":\"hard\",\"kind\":\"simplify\"},"
                + "{\"id\":\"mid/v1\",\"parent\":\"mid\",\"kind\":\"vary\",\"group\":\"variants\"}]}";
        Http.Response up = http.post("/v1/curricula/g1/tasks", upload);
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"added\":2,\"tasks\":5,\"requestId\":\"gen-1\"}");
        Http.Response retry = http.post("/v1/curricula/g1/tasks", upload);
        assertThat(retry.body()).isEqualTo(up.body());
        assertThat(retry.headers().firstValue("Proxima-Replayed")).contains("true");
        Http.Response reused = http.post("/v1/curricula/g1/tasks", upload.replace("mid/v1", "mid/v2"));
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json().get("field").asText()).isEqualTo("requestId");

        JsonNode gen = http.get("/v1/curricula/g1/stats").json().get("generation");
        assertThat(gen.toString()).isEqualTo("{\"configured\":true,\"requested\":{\"simplify\":1,\"vary\":1},\"waiting\":0,\"linked\":2,\"parents\":2}");
        JsonNode history = http.get("/v1/curricula/g1/task-history?taskId=hard%2Feasier").json();
        assertThat(history.get("group").asText()).as("the parent's group").isEqualTo("math");
        assertThat(history.get("link").toString()).isEqualTo("{\"parent\":\"hard\",\"kind\":\"simplify\",\"depth\":1,\"children\":0,\"credit\":0.0,\"asked\":0}");
        String log = http.get("/v1/curricula/g1/log").body();
        assertThat(log).contains("{\"id\":\"hard/easier\",\"parent\":\"hard\",\"kind\":\"simplify\"}")
                .contains("\"group\":\"variants\",\"parent\":\"mid\",\"kind\":\"vary\"}],\"requestId\":\"gen-1\"}");
        // step answers carry the requests of their next part
        report("g1", "b4", "hard/easier", "[0,0,0,0]");
        Http.Response step = http.post("/v1/curricula/g1/step", "{\"batchId\":\"s1\",\"n\":1,\"outcomes\":[{\"taskId\":\"hard/easier\",\"rewards\":[0,0,0,0]}]}");
        assertThat(step.json().get("next").get("generate").toString()).isEqualTo("[{\"from\":\"hard/easier\",\"kind\":\"simplify\"}]");

        String stats = http.get("/v1/curricula/g1/stats").body();
        server.close();
        start(Durability.SYNC);
        assertThat(http.get("/v1/curricula/g1/stats").body()).as("after a restart").isEqualTo(stats);
        assertThat(http.get("/v1/curricula/g1/stats").json().get("generation").get("linked").asInt()).isEqualTo(2);
        assertThat(http.post("/v1/curricula/g1/tasks", upload).body()).as("the stored answer after a restart").isEqualTo(up.body());
        assertThat(http.post("/v1/curricula/g1/next", Http.next(1, "n1")).body()).isEqualTo(next.body());
        assertThat(http.get("/v1/curricula/g1/task-history?taskId=mid%2Fv1").json().get("link").get("parent").asText()).isEqualTo("mid");
    }

    @Test
    void withoutGenerationAnswersAreAsBefore() {
        start(Durability.SYNC);
        create("p1", null);
        report("p1", "b1", "hard", "[0,0,0,0]");
        report("p1", "b2", "hard", "[0,0,0,0]");
        String next = http.post("/v1/curricula/p1/next", Http.next(2, null)).body();
        assertThat(next).doesNotContain("generate");
        String stats = http.get("/v1/curricula/p1/stats").body();
        assertThat(stats).doesNotContain("generation");
        assertThat(http.get("/v1/curricula/p1/task-history?taskId=hard").body()).doesNotContain("link");
        assertThat(http.post("/v1/curricula/p1/tasks", "[{\"id\":\"x\"}]").body()).isEqualTo("{\"added\":1,\"tasks\":4}");
    }

    private void refused(String body, String field, String message) {
        Http.Response r = http.post("/v1/curricula/b1/tasks", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("error").asText()).contains(message);
    }

    @Test
    void badLinksAreRefusedNamingTheFieldAndChangeNothing() {
        start(Durability.SYNC);
        create("b1", GEN);
        String before = http.get("/v1/curricula/b1/stats").body();
        long events = http.get("/v1/curricula/b1").json().get("events").asLong();
        refused("[{\"id\":\"x\",\"parent\":\"nope\",\"kind\":\"simplify\"}]", "tasks[0].parent", "'nope' is not in the pool");
        refused("[{\"id\":\"y\"},{\"id\":\"x\",\"parent\":\"x\",\"kind\":\"vary\"}]", "tasks[1].parent", "cannot derive from itself");
        refused("[{\"id\":\"x\",\"parent\":\"z\",\"kind\":\"vary\"},{\"id\":\"z\",\"parent\":\"x\",\"kind\":\"vary\"}]", "tasks[0].parent",
                "comes later in this upload");
        refused("[{\"id\":\"x\",\"parent\":\"hard\",\"kind\":\"harder\"}]", "tasks[0].kind", "must be one of simplify, vary");
        refused("[{\"id\":\"x\",\"parent\":\"hard\"}]", "tasks[0].kind", "is missing");
        refused("[{\"id\":\"x\",\"kind\":\"vary\"}]", "tasks[0].parent", "is missing");
        refused("[{\"id\":\"x\",\"parent\":\"\",\"kind\":\"vary\"}]", "tasks[0].parent", "non-empty");
        refused("[{\"id\":\"x\",\"parent\":7,\"kind\":\"vary\"}]", "tasks[0].parent", "string");
        refused("{\"tasks\":[{\"id\":\"x\"}],\"requestId\":\"\"}", "requestId", "1-256");
        refused("{\"tasks\":[{\"id\":\"x\"}],\"requestid\":\"k\"}", "requestid", "");
        refused("{\"tasks\":{\"id\":\"x\"}}", "tasks", "must be an array");
        assertThat(http.get("/v1/curricula/b1/stats").body()).isEqualTo(before);
        assertThat(http.get("/v1/curricula/b1").json().get("events").asLong()).isEqualTo(events);
        Http.Response cfg = http.post("/v1/curricula", "{\"id\":\"b2\",\"config\":{\"generation\":{\"kinds\":[\"harder\"]}}}");
        assertThat(cfg.status()).isEqualTo(400);
        assertThat(cfg.json().get("field").asText()).isEqualTo("config.generation.kinds[0]");
        Http.Response cfg2 = http.post("/v1/curricula", "{\"id\":\"b2\",\"config\":{\"generation\":{\"perParent\":0}}}");
        assertThat(cfg2.json().get("field").asText()).isEqualTo("config.generation.perParent");
    }
}
