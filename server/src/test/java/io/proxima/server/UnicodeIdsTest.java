package io.proxima.server;

import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 2: ids that are not valid Unicode (a lone surrogate, {@code "x\ud800y"}) were
 * accepted, served back as "x?y", and the pool after a restart differed from the acknowledged one.
 * Every place an id or name enters refuses them with a 400 naming the field, and changes nothing.
 */
class UnicodeIdsTest extends ServerHarness {
    /** JSON escapes of invalid UTF-16: lone high, lone low, reversed pair, high at the end. */
    static final List<String> BAD = List.of("x\\ud800y", "\\udc00", "a\\udc00\\ud800b", "end\\ud83d");

    @Test
    void idsThatAreNotValidUnicodeAreRefusedEverywhereTheyEnter() {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", "{\"id\":\"r1\",\"config\":{\"recipe\":\"sec\",\"rollouts\":2}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/r1/tasks", "[{\"id\":\"ok\",\"group\":\"g\"}]").status()).isEqualTo(200);
        String before = http.get("/v1/curricula/r1/stats").body();
        String log = http.get("/v1/curricula/r1/log").body();
        for (String bad : BAD) {
            String what = "'" + bad + "'";
            refused(http.post("/v1/curricula/r1/tasks", "[{\"id\":\"" + bad + "\"}]"), "task id " + what, 400, "tasks[0].id");
            refused(http.post("/v1/curricula/r1/tasks", "[{\"id\":\"fine\"},{\"id\":\"b\",\"group\":\"" + bad + "\"}]"), "group " + what, 400, "tasks[1].group");
            refused(http.post("/v1/curricula/r1/tasks", "{\"id\":\"fine\"}\n{\"id\":\"" + bad + "\"}\n"), "JSONL task id " + what, 400, "tasks[1].id");
            refused(http.post("/v1/curricula/r1/report", "{\"outcomes\":[{\"taskId\":\"" + bad + "\",\"rewards\":[1,0]}]}"),
                    "report taskId " + what, 400, "outcomes[0].taskId");
            refused(http.post("/v1/curricula/r1/report", "{\"batchId\":\"" + bad + "\",\"outcomes\":[{\"taskId\":\"ok\",\"rewards\":[1,0]}]}"),
                    "batchId " + what, 400, "batchId");
            refused(http.post("/v1/curricula/r1/report", "{\"outcomes\":[{\"taskId\":\"ok\",\"rewards\":[1,0],\"directives\":{\"" + bad + "\":1}}]}"),
                    "directive name " + what, 400, "body"); // Jackson refuses it in a name

            refused(http.post("/v1/curricula/r1/next", "{\"n\":1,\"requestId\":\"" + bad + "\"}"), "requestId " + what, 400, "requestId");
            refused(http.post("/v1/curricula/r1/step", "{\"batchId\":\"" + bad + "\",\"outcomes\":[{\"taskId\":\"ok\",\"rewards\":[1,0]}],\"n\":1}"),
                    "step batchId " + what, 400, "batchId");
            refused(http.post("/v1/curricula/r1/step", "{\"outcomes\":[{\"taskId\":\"" + bad + "\",\"rewards\":[1,0]}],\"n\":1}"),
                    "step taskId " + what, 400, "outcomes[0].taskId");
            refused(http.post("/v1/batch", "{\"requests\":[{\"curriculum\":\"" + bad + "\",\"op\":\"next\",\"body\":{\"n\":1}}]}"),
                    "batch item curriculum " + what, 400, "requests[0].curriculum");
            Http.Response item = http.post("/v1/batch", "{\"requests\":[{\"curriculum\":\"r1\",\"op\":\"step\",\"body\":{\"batchId\":\"" + bad
                    + "\",\"outcomes\":[{\"taskId\":\"ok\",\"rewards\":[1,0]}],\"n\":1}}]}");
            assertThat(item.status()).as(item.body()).isEqualTo(200);
            assertThat(item.json().get("responses").get(0).get("status").asInt()).as("batch item batchId " + what).isEqualTo(400);
            assertThat(item.json().get("responses").get(0).get("body").get("field").asText()).isEqualTo("batchId");
            refused(http.post("/v1/curricula", "{\"id\":\"" + bad + "\",\"config\":{}}"), "curriculum id " + what, 400, "id");
            refused(http.post("/v1/curricula", "{\"id\":\"r2\",\"config\":{\"recipe\":\"sec\",\"groupPolicy\":{\"type\":\"mixture\",\"weights\":{\""
                    + bad + "\":1}}}}"), "config key " + what, 400, "body");
            refused(http.post("/v1/curricula", "{\"id\":\"r2\",\"config\":{\"recipe\":\"" + bad + "\"}}"), "config value " + what, 400, "config.recipe");
            refused(http.post("/v1/curricula", "{\"id\":\"r2\",\"config\":{\"space\":{\"dims\":[{\"name\":\"" + bad + "\",\"low\":0,\"high\":1}]}}}"),
                    "continuous dimension name " + what, 400, "config.space.dims[0].name");
        }
        assertThat(http.get("/v1/curricula/r1/stats").body()).isEqualTo(before);
        assertThat(http.get("/v1/curricula/r1/log").body()).isEqualTo(log);
        assertThat(http.get("/v1/curricula/r2").status()).isEqualTo(404);
        // valid text beyond ASCII is kept exactly as sent, also after a restart
        String emoji = "\\ud83d\\ude00 \\u00e9\\u4e2d";
        assertThat(http.post("/v1/curricula/r1/tasks", "[{\"id\":\"" + emoji + "\",\"group\":\"" + emoji + "\"}]").status()).isEqualTo(200);
        String sent = "\ud83d\ude00 \u00e9\u4e2d";
        assertThat(http.get("/v1/curricula/r1/stats").json().toString()).contains(sent);
        server.close();
        start(Durability.SYNC);
        assertThat(http.get("/v1/curricula/r1/stats").json().toString()).contains(sent);
        assertThat(http.post("/v1/curricula/r1/report", "{\"outcomes\":[{\"taskId\":\"" + emoji + "\",\"rewards\":[1,0]}]}").status()).isEqualTo(200);
    }

    @Test
    void anUnknownFieldNamedWithALoneSurrogateIsA400NotA500() {
        start(Durability.SYNC);
        Http.Response r = http.post("/v1/curricula", "{\"id\":\"r1\",\"x\\ud800\":1}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("surrogate");
    }
}
