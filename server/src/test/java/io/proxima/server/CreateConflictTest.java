package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A curriculum id reused with another configuration is a 409 naming the differences, unless the caller resumes. */
class CreateConflictTest extends ServerHarness {

    static String create(String id, String config, String extra) {
        return "{\"id\":\"" + id + "\",\"config\":" + config + extra + "}";
    }

    @Test
    void sameConfigIsIdempotentOtherConfigIsA409NamingEveryDifference() {
        start(Durability.SYNC);
        String sec = "{\"recipe\":\"sec\",\"seed\":7,\"rollouts\":8}";
        Http.Response first = http.post("/v1/curricula", create("run", sec, ""));
        assertThat(first.status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/run/tasks", ServerTest.tasksJson(6)).status()).isEqualTo(200);
        http.post("/v1/curricula/run/next", Http.next(2, "r1"));
        String logBefore = http.get("/v1/curricula/run/log").body();

        // the same configuration, written differently (key order, a default spelled out): the existing curriculum, 200
        Http.Response again = http.post("/v1/curricula", create("run", "{\"rollouts\":8,\"seed\":7,\"recipe\":\"sec\"}", ""));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("tasks").asInt()).isEqualTo(6);
        assertThat(again.json().get("config")).isEqualTo(first.json().get("config"));

        // another recipe and another rollout count: 409, the first difference as field, all of them in the message
        Http.Response other = http.post("/v1/curricula", create("run", "{\"recipe\":\"dump\",\"seed\":7,\"rollouts\":4}", ""));
        String msg = ServerHarness.refused(other, "dump/4 over sec/8", 409, "config.recipe");
        assertThat(msg).contains("config.recipe is \"sec\", requested \"dump\"", "config.rollouts is 8, requested 4", "\"resume\": true");

        // resume: the existing curriculum as it is, whatever was asked
        Http.Response resumed = http.post("/v1/curricula", create("run", "{\"recipe\":\"dump\",\"rollouts\":4}", ",\"resume\":true"));
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("recipe").asText()).isEqualTo("sec");
        assertThat(resumed.json().get("config").get("rollouts").asInt()).isEqualTo(8);

        // resume of an id that does not exist creates it
        Http.Response fresh = http.post("/v1/curricula", create("fresh", "{\"recipe\":\"odf\"}", ",\"resume\":true"));
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("recipe").asText()).isEqualTo("odf");

        // the other kind is a 409 on field kind; a bad resume flag a 400; none of it changed the curriculum
        String box = "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0,\"high\":1}]}}";
        assertThat(ServerHarness.refused(http.post("/v1/curricula", create("run", box, "")), "continuous over discrete", 409, "kind"))
                .contains("discrete", "continuous");
        ServerHarness.refused(http.post("/v1/curricula", create("run", sec, ",\"resume\":\"yes\"")), "resume string", 400, "resume");
        assertThat(http.get("/v1/curricula/run/log").body()).isEqualTo(logBefore);
        JsonNode info = http.get("/v1/curricula/run").json();
        assertThat(info.get("recipe").asText()).isEqualTo("sec");
    }

    /**
     * A curriculum stored before "defaults" existed (here: one that names version 1, stored the
     * same way, without the key) keeps its defaults: the same request without the key is that
     * curriculum (200); a request for the current defaults is another configuration (409, field
     * config.defaults). A new curriculum shows the version it runs.
     */
    @Test
    void aLegacyCurriculumIsTheSameCurriculumForARequestThatDoesNotNameTheDefaults() {
        start(Durability.SYNC);
        Http.Response legacy = http.post("/v1/curricula", create("old", "{\"recipe\":\"odf\",\"seed\":3,\"defaults\":1}", ""));
        assertThat(legacy.status()).as(legacy.body()).isEqualTo(201);
        assertThat(legacy.json().get("config").has("defaults")).as("stored as before the key existed").isFalse();
        Http.Response again = http.post("/v1/curricula", create("old", "{\"recipe\":\"odf\",\"seed\":3}", ""));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("config")).isEqualTo(legacy.json().get("config"));
        ServerHarness.refused(http.post("/v1/curricula", create("old", "{\"recipe\":\"odf\",\"seed\":3,\"defaults\":2}", "")),
                "current defaults over legacy", 409, "config.defaults");

        Http.Response fresh = http.post("/v1/curricula", create("new", "{\"recipe\":\"odf\",\"seed\":3}", ""));
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("config").get("defaults").asInt()).isEqualTo(io.proxima.core.recipe.Defaults.CURRENT);
        ServerHarness.refused(http.post("/v1/curricula", create("new", "{\"recipe\":\"odf\",\"seed\":3,\"defaults\":1}", "")),
                "legacy defaults over current", 409, "config.defaults");
        ServerHarness.refused(http.post("/v1/curricula", create("bad", "{\"recipe\":\"odf\",\"defaults\":9}", "")),
                "unknown defaults version", 400, "config.defaults");
    }
}
