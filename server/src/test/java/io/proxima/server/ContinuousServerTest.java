package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamTask;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Continuous curricula over HTTP: every route, the shapes, bad input, idempotency, replay. */
class ContinuousServerTest extends ServerHarness {
    /** Two named dimensions, a small fit rate so ALP-GMM fits within a few rounds, a small pending window. */
    static final String CONFIG = "{\"space\":{\"dims\":[{\"name\":\"stump_height\",\"low\":0,\"high\":3},"
            + "{\"name\":\"stump_spacing\",\"low\":0,\"high\":6}]},\"teacher\":{\"type\":\"alp-gmm\",\"fitRate\":20},"
            + "\"seed\":7,\"pendingWindow\":32}";

    static String create(String id, String config) {
        return "{\"id\":\"" + id + "\",\"config\":" + config + "}";
    }

    /**
     * A report for a next answer: the return is a smooth function of the params plus noise; task i
     * is named by its id, every third by its params (by name), every fifth by both with two episodes.
     */
    static String reportJson(String batchId, JsonNode next, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder("{" + (batchId == null ? "" : "\"batchId\":\"" + batchId + "\",") + "\"outcomes\":[");
        int i = 0;
        for (JsonNode t : next.get("tasks")) {
            JsonNode p = t.get("params");
            double base = Math.max(0, 1 - p.get("stump_height").asDouble() / 1.5) * (0.5 + 0.5 * Math.sin(p.get("stump_spacing").asDouble()));
            long id = t.get("id").asLong();
            b.append(i++ == 0 ? "" : ",").append('{');
            if (id % 3 != 0) b.append("\"taskId\":").append(id).append(',');
            if (id % 3 == 0 || id % 5 == 0) b.append("\"params\":").append(p).append(',');
            b.append("\"returns\":[").append(base + 0.05 * rnd.nextDouble());
            if (id % 5 == 0) b.append(',').append(base + 0.05 * rnd.nextDouble());
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /** Replays a curriculum's JSONL log through the core; returns the curriculum. */
    static ContinuousCurriculum replay(List<String> lines) throws Exception {
        JsonNode head = Http.JSON.readTree(lines.get(0));
        assertThat(head.get("kind").asText()).isEqualTo("continuous");
        ContinuousCurriculum ref = ContinuousCurriculum.create(ContinuousConfig.fromJson(head.get("config").toString()));
        for (String line : lines.subList(1, lines.size())) {
            JsonNode e = Http.JSON.readTree(line);
            switch (e.get("type").asText()) {
                case "paramNext" -> ref.next(e.get("n").asInt());
                case "paramReport" -> ref.report(Codec.paramOutcomes(e, ref.space()));
                default -> throw new AssertionError("unexpected event " + line);
            }
        }
        return ref;
    }

    static String stats(String id, ContinuousCurriculum c) {
        return new String(Codec.continuousStats(id, c.stats()), StandardCharsets.UTF_8);
    }

    @Test
    void everyRouteWorksEndToEnd() throws Exception {
        start(Durability.SYNC);
        Http.Response created = http.post("/v1/curricula", create("w", CONFIG));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode info = created.json();
        assertThat(info.get("kind").asText()).isEqualTo("continuous");
        assertThat(info.get("teacherType").asText()).isEqualTo("alp-gmm");
        assertThat(info.get("proposed").asInt()).isZero();
        assertThat(info.get("config").get("teacher").get("fitRate").asInt()).isEqualTo(20);
        assertThat(info.has("recipe")).isFalse();
        // an explicit kind, with the teacher's defaults
        assertThat(http.post("/v1/curricula", "{\"id\":\"r\",\"kind\":\"continuous\",\"config\":{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":-1,\"high\":1}]},"
                + "\"teacher\":{\"type\":\"random\"}}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula", "{\"id\":\"d\",\"config\":{\"recipe\":\"sec\"}}").json().get("kind").asText()).isEqualTo("discrete");
        JsonNode list = http.get("/v1/curricula").json().get("curricula");
        assertThat(list).extracting(n -> n.get("id").asText() + ":" + n.get("kind").asText()).containsExactly("d:discrete", "r:continuous", "w:continuous");

        ContinuousCurriculum reference = ContinuousCurriculum.create(ContinuousConfig.fromJson(CONFIG));
        JsonNode next = http.post("/v1/curricula/w/next", Http.next(6, "n0")).json();
        assertThat(next.get("requestId").asText()).isEqualTo("n0");
        assertThat(next.get("tasks")).hasSize(6);
        List<ParamTask> expected = reference.next(6);
        for (int i = 0; i < 6; i++) {
            JsonNode t = next.get("tasks").get(i);
            assertThat(t.get("id").asLong()).isEqualTo(i);
            assertThat(fieldNames(t.get("params"))).containsExactly("stump_height", "stump_spacing");
            // doubles are written so that they read back to the very same value
            assertThat(t.get("params").get("stump_height").asDouble()).isEqualTo(expected.get(i).params()[0]);
            assertThat(t.get("params").get("stump_spacing").asDouble()).isEqualTo(expected.get(i).params()[1]);
        }
        // by id, by params (object and array), by both
        String report = "{\"batchId\":\"b0\",\"outcomes\":[{\"taskId\":1,\"returns\":[0.5]},"
                + "{\"params\":" + next.get("tasks").get(2).get("params") + ",\"returns\":[0.25,0.75]},"
                + "{\"params\":[2.5,1],\"returns\":[-3]},{\"taskId\":4,\"params\":{\"stump_spacing\":6,\"stump_height\":0},\"returns\":[1]}]}";
        Http.Response rep = http.post("/v1/curricula/w/report", report);
        assertThat(rep.status()).as(rep.body()).isEqualTo(200);
        assertThat(rep.body()).isEqualTo("{\"batchId\":\"b0\",\"accepted\":4,\"episodes\":5}");
        reference.report(Codec.paramOutcomes(Http.JSON.readTree(report), reference.space()));

        JsonNode stats = http.get("/v1/curricula/w/stats").json();
        assertThat(stats.get("kind").asText()).isEqualTo("continuous");
        assertThat(stats.get("episodes").asInt()).isEqualTo(5);
        assertThat(stats.get("proposed").asInt()).isEqualTo(6);
        assertThat(stats.get("meanReturn").asDouble()).isEqualTo((0.5 + 0.25 + 0.75 - 3 + 1) / 5);
        assertThat(http.get("/v1/curricula/w/stats").body()).isEqualTo(stats("w", reference));
        assertThat(http.get("/v1/curricula/w").json().get("proposed").asInt()).isEqualTo(6);

        assertThat(http.post("/v1/curricula/w/checkpoints", "{\"step\": 100}").status()).isEqualTo(201);
        JsonNode after = http.post("/v1/curricula/w/next", Http.next(4, null)).json();
        assertThat(after.get("tasks").get(0).get("id").asInt()).isEqualTo(6);
        http.post("/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":6,\"returns\":[1]}]}");
        assertThat(http.get("/v1/curricula/w/checkpoints").json().get("checkpoints").get(0).get("step").asLong()).isEqualTo(100);
        assertThat(http.post("/v1/curricula/w/checkpoints/100/restore", "").json().get("events").asInt()).isEqualTo(2);
        assertThat(http.post("/v1/curricula/w/next", Http.next(4, null)).json()).isEqualTo(after);

        List<String> log = http.get("/v1/curricula/w/log").body().lines().toList();
        assertThat(log).hasSize(1 + 3);
        assertThat(log.get(0)).contains("\"type\":\"create\"").contains("\"kind\":\"continuous\"");
        assertThat(log.get(1)).isEqualTo("{\"seq\":1,\"type\":\"paramNext\",\"n\":6,\"requestId\":\"n0\"}");
        assertThat(log.get(2)).startsWith("{\"seq\":2,\"type\":\"paramReport\",\"batchId\":\"b0\",\"outcomes\":[{\"taskId\":1,\"returns\":[0.5]},{\"params\":[");
        reference.next(4);
        assertThat(replay(log).snapshot()).isEqualTo(reference.snapshot());

        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("proxima_last_mean_return{curriculum=\"w\"}").contains("proxima_outcomes_ingested_total{curriculum=\"w\"} 5.0")
                .contains("proxima_effective_ratio{curriculum=\"d\"}")
                .doesNotContain("proxima_effective_ratio{curriculum=\"w\"}").doesNotContain("proxima_last_mean_return{curriculum=\"d\"}");
        assertThat(http.delete("/v1/curricula/w").status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/w").status()).isEqualTo(404);
        assertThat(http.get("/metrics").body()).doesNotContain("curriculum=\"w\"");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void badInputIsA4xxNamingTheFieldAndChangesNothing() {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", create("w", CONFIG)).status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula", "{\"id\":\"d\",\"config\":{\"recipe\":\"sec\"}}").status()).isEqualTo(201);
        JsonNode next = http.post("/v1/curricula/w/next", Http.next(4, "n0")).json();
        assertThat(http.post("/v1/curricula/w/report", reportJson("ok", next, new SplittableRandom(2))).status()).isEqualTo(200);
        String logBefore = http.get("/v1/curricula/w/log").body();
        String statsBefore = http.get("/v1/curricula/w/stats").body();
        String p0 = "{\"stump_height\":1,\"stump_spacing\":2}";
        Object[][] cases = {
                // path, body, status, field, a word the message must hold
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1]},{\"taskId\":99,\"returns\":[1]}]}", 400, "outcomes[1].taskId", "never proposed"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":-1,\"returns\":[1]}]}", 400, "outcomes[0].taskId", ">= 0"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":1.5,\"returns\":[1]}]}", 400, "outcomes[0].taskId", "integer"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":\"1\",\"returns\":[1]}]}", 400, "outcomes[0].taskId", "a string"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":99999999999999999999999,\"returns\":[1]}]}", 400, "outcomes[0].taskId", "99999999999999999999999"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"returns\":[1]}]}", 400, "outcomes[0].taskId", "unless"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0}]}", 400, "outcomes[0].returns", "required"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[]}]}", 400, "outcomes[0].returns", "at least one"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[NaN]}]}", 400, "body", "NaN"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[Infinity]}]}", 400, "body", "Infinity"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1e999]}]}", 400, "outcomes[0].returns[0]", "finite"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[\"NaN\"]}]}", 400, "outcomes[0].returns[0]", "a string"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":1}]}", 400, "outcomes[0].returns", "array"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":9,\"stump_spacing\":2},\"returns\":[1]}]}", 400,
                        "outcomes[0].params.stump_height", "outside [0.0, 3.0]"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1]},{\"taskId\":0,\"returns\":[1]},{\"taskId\":0,\"returns\":[1]},"
                        + "{\"params\":{\"stump_height\":1,\"stump_spacing\":-0.5},\"returns\":[1]}]}", 400, "outcomes[3].params.stump_spacing", "-0.5"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":[1,6.5],\"returns\":[1]}]}", 400, "outcomes[0].params[1]", "stump_spacing"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":[1],\"returns\":[1]}]}", 400, "outcomes[0].params", "has 1 values; the space has 2"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":[1,2,3],\"returns\":[1]}]}", 400, "outcomes[0].params", "more than 2"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":[],\"returns\":[1]}]}", 400, "outcomes[0].params", "has 0 values"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":1},\"returns\":[1]}]}", 400, "outcomes[0].params.stump_spacing", "every dimension"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":1,\"stump_spacing\":2,\"gap\":3},\"returns\":[1]}]}", 400,
                        "outcomes[0].params.gap", "unknown dimension 'gap'"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":1,\"stump_height\":2,\"stump_spacing\":2},\"returns\":[1]}]}", 400,
                        "outcomes[0].params.stump_height", "twice"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":\"1\",\"stump_spacing\":2},\"returns\":[1]}]}", 400,
                        "outcomes[0].params.stump_height", "a string"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":{\"stump_height\":null,\"stump_spacing\":2},\"returns\":[1]}]}", 400,
                        "outcomes[0].params.stump_height", "null"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":[1,1e999],\"returns\":[1]}]}", 400, "outcomes[0].params[1]", "finite"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"params\":\"1,2\",\"returns\":[1]}]}", 400, "outcomes[0].params", "dimension"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"rewards\":[1]}]}", 400, "outcomes[0].rewards", "known fields: [params, returns, taskId]"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"id\":0,\"returns\":[1]}]}", 400, "outcomes[0].id", "unknown field 'id'"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1]}]}", 400, "outcomes[0].taskId", "integer"},
                {"/v1/curricula/w/report", "{\"outcomes\":[]}", 400, "outcomes", "at least one"},
                {"/v1/curricula/w/report", "{\"outcomes\":[5]}", 400, "outcomes[0]", "object"},
                {"/v1/curricula/w/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1]}],\"step\":3}", 400, "step", "unknown field"},
                {"/v1/curricula/w/report", "{\"batchId\":\"ok\",\"outcomes\":[{\"params\":" + p0 + ",\"returns\":[1]}]}", 409, "batchId", "already used"},
                {"/v1/curricula/w/report", "{\"batchId\":\"\",\"outcomes\":[{\"taskId\":0,\"returns\":[1]}]}", 400, "batchId", "1-256"},
                {"/v1/curricula/w/report", "not json", 400, "body", "malformed"},
                {"/v1/curricula/w/next", "{\"n\":33}", 400, "n", "pendingWindow=32"},
                {"/v1/curricula/w/next", "{\"n\":0}", 400, "n", "[1, 65536]"},
                {"/v1/curricula/w/next", "{\"n\":4,\"requestId\":\"n0\",\"dims\":2}", 400, "dims", "unknown field"},
                {"/v1/curricula/w/next", "{\"n\":5,\"requestId\":\"n0\"}", 409, "requestId", "already used"},
                {"/v1/curricula/w/tasks", "[{\"id\":\"t1\"}]", 409, "kind", "continuous"},
                {"/v1/curricula/d/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1]}]}", 400, "outcomes[0].taskId", "a string"},
                {"/v1/curricula/nobody/report", "{\"outcomes\":[{\"taskId\":0,\"returns\":[1]}]}", 404, "id", "nobody"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[]}}"), 400, "config.space.dims", "at least one"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":1,\"high\":0}]}}"), 400, "config.space.dims", "low must be < high"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0}]}}"), 400, "config.space.dims[0].high", "required"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0,\"high\":1}]},\"teacher\":{\"type\":\"gmm\"}}"), 400,
                        "config.teacher.type", "alp-gmm"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0,\"high\":1}]},\"teacher\":{\"fitRat\":5}}"), 400,
                        "config.teacher.fitRat", "fitRate"},
                {"/v1/curricula", create("w2", "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0,\"high\":1}]},\"recipe\":\"sec\"}"), 400, "config.recipe", "unknown"},
                {"/v1/curricula", "{\"id\":\"w2\",\"kind\":\"continuous\",\"config\":{\"recipe\":\"sec\"}}", 400, "config.space", "required"},
                {"/v1/curricula", "{\"id\":\"w2\",\"kind\":\"box\",\"config\":{}}", 400, "kind", "\"discrete\" or \"continuous\""},
                {"/v1/curricula", "{\"id\":\"w2\",\"kind\":\"discrete\",\"config\":" + CONFIG + "}", 400, "config.space", "unknown"},
                {"/v1/curricula", create("w", CONFIG.replace("\"seed\":7", "\"seed\":8")), 409, "config.seed", "already exists"},
        };
        for (Object[] c : cases) {
            String what = c[0] + " " + ((String) c[1]).substring(0, Math.min(120, ((String) c[1]).length()));
            assertThat(refused(http.post((String) c[0], (String) c[1]), what, (int) c[2], (String) c[3])).as(what).contains((String) c[4]);
        }
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/w/log").body()).isEqualTo(logBefore);
        assertThat(http.get("/v1/curricula/w/stats").body()).isEqualTo(statsBefore);
        assertThat(http.get("/v1/curricula").json().get("curricula")).hasSize(2);
        // a coordinate a float32 round trip off the edge is clamped in, not refused
        String edge = "{\"outcomes\":[{\"params\":{\"stump_height\":3.0000001,\"stump_spacing\":-0.000001},\"returns\":[1]}]}";
        assertThat(http.post("/v1/curricula/w/report", edge).status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/w/log").body().lines().toList().get(3)).contains("\"params\":[3.0,0.0]");
    }

    @Test
    void retriedNextAndConcurrentRetriesOfOneReportAreAppliedOnce() throws Exception {
        start(Durability.GROUP);
        assertThat(http.post("/v1/curricula", create("w", CONFIG)).status()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 8; round++) {
                JsonNode next = http.post("/v1/curricula/w/next", Http.next(4, "n" + round)).json();
                Http.Response again = http.post("/v1/curricula/w/next", Http.next(4, "n" + round));
                assertThat(again.json()).isEqualTo(next);
                assertThat(again.headers().firstValue("Proxima-Replayed")).hasValue("true");
                postConcurrently(pool, "/v1/curricula/w/report", reportJson("b" + round, next, new SplittableRandom(round)), 8);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode stats = http.get("/v1/curricula/w/stats").json();
        assertThat(stats.get("reports").asInt()).isEqualTo(32);
        assertThat(stats.get("batches").asInt()).isEqualTo(8);
        assertThat(stats.get("proposed").asInt()).isEqualTo(32);
    }

    /** ADR and SPDL are named like any continuous teacher; their state is what the log replays to, and bad values are 400s. */
    @Test
    void adrAndSpdlRunOverHttpLikeTheOthers() throws Exception {
        start(Durability.SYNC);
        String[][] teachers = {{"adr", "\"type\":\"adr\",\"queueLength\":2,\"initial\":[0.5,1]"},
                {"spdl", "\"type\":\"spdl\",\"updateFrequency\":12,\"updateOffset\":12"}};
        for (String[] t : teachers) {
            String id = "w-" + t[0];
            String cfg = CONFIG.replace("\"type\":\"alp-gmm\",\"fitRate\":20", t[1]);
            Http.Response created = http.post("/v1/curricula", create(id, cfg));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().get("teacherType").asText()).isEqualTo(t[0]);
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 8; i++) {
                Http.Response r = http.post("/v1/curricula/" + id + "/next", Http.next(6, null));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                Http.Response rep = http.post("/v1/curricula/" + id + "/report", reportJson("b" + i, r.json(), rnd));
                assertThat(rep.status()).as(rep.body()).isEqualTo(200);
            }
            String stats = http.get("/v1/curricula/" + id + "/stats").body();
            assertThat(stats).isEqualTo(stats(id, replay(http.get("/v1/curricula/" + id + "/log").body().lines().toList())));
            JsonNode view = http.get("/v1/curricula/" + id + "/stats").json().get("teacher");
            assertThat(view.has(t[0].equals("adr") ? "volumeShare" : "klToTarget")).as(stats).isTrue();
        }
        String[][] bad = {{"\"type\":\"adr\",\"boundaryProbability\":2", "config.teacher.boundaryProbability"},
                {"\"type\":\"adr\",\"initial\":[0.5]", "config.teacher.initial"},
                {"\"type\":\"spdl\",\"maxKl\":-1", "config.teacher.maxKl"},
                {"\"type\":\"spdl\",\"targetStd\":[1,0]", "config.teacher.targetStd[1]"}};
        for (String[] b : bad) {
            String cfg = CONFIG.replace("\"type\":\"alp-gmm\",\"fitRate\":20", b[0]);
            assertThat(refused(http.post("/v1/curricula", create("bad", cfg)), b[0], 400, b[1])).isNotEmpty();
        }
        assertThat(http.get("/v1/curricula/bad").status()).isEqualTo(404);
    }

    @Test
    void mutationIsATeacherOptionOverHttp() throws Exception {
        start(Durability.SYNC);
        String cfg = CONFIG.replace("\"type\":\"alp-gmm\",\"fitRate\":20",
                "\"type\":\"alp-gmm\",\"fitRate\":20,\"mutation\":{\"share\":0.5,\"scale\":0.1,\"score\":\"regret\"}");
        Http.Response created = http.post("/v1/curricula", create("w-mut", cfg));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("teacherType").asText()).isEqualTo("alp-gmm");
        assertThat(created.json().get("config").get("teacher").get("mutation").get("bufferSize").asInt()).isEqualTo(256);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 8; i++) {
            Http.Response r = http.post("/v1/curricula/w-mut/next", Http.next(6, null));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(http.post("/v1/curricula/w-mut/report", reportJson("b" + i, r.json(), rnd)).status()).isEqualTo(200);
        }
        String stats = http.get("/v1/curricula/w-mut/stats").body();
        assertThat(stats).isEqualTo(stats("w-mut", replay(http.get("/v1/curricula/w-mut/log").body().lines().toList())));
        assertThat(http.get("/v1/curricula/w-mut/stats").json().get("teacher").get("mutationEdits").asDouble()).as(stats).isPositive();
        String[][] bad = {{"\"mutation\":{\"share\":2}", "config.teacher.mutation.share"},
                {"\"mutation\":{\"score\":\"loss\"}", "config.teacher.mutation.score"},
                {"\"mutation\":{\"bufferSize\":4,\"top\":5}", "config.teacher.mutation.top"},
                {"\"mutation\":{\"shar\":0.1}", "config.teacher.mutation.shar"}};
        for (String[] b : bad) {
            String c = CONFIG.replace("\"type\":\"alp-gmm\",\"fitRate\":20", "\"type\":\"covar-gmm\"," + b[0]);
            assertThat(refused(http.post("/v1/curricula", create("bad", c)), b[0], 400, b[1])).isNotEmpty();
        }
        assertThat(http.get("/v1/curricula/bad").status()).isEqualTo(404);
    }

    @Test
    void manyTrainersOnDiscreteAndContinuousCurriculaGiveTheSerialResultsAndSurviveARestart() throws Exception {
        start(ServerOptions.of(dir, 0).withStore(io.proxima.store.StoreOptions.DEFAULTS.withDurability(Durability.GROUP).withSnapshotEvery(5)));
        int curricula = 3;
        int trainers = 3;
        int rounds = 10;
        for (int c = 0; c < curricula; c++) {
            String teacher = ContinuousConfig.TEACHERS.get(c + 1);
            String cfg = CONFIG.replace("\"type\":\"alp-gmm\",\"fitRate\":20", teacher.equals("riac") ? "\"type\":\"riac\",\"maxRegionSize\":20"
                    : "\"type\":\"" + teacher + "\",\"fitRate\":20").replace("\"seed\":7", "\"seed\":" + c);
            assertThat(http.post("/v1/curricula", create("w" + c, cfg)).status()).isEqualTo(201);
            assertThat(http.post("/v1/curricula", "{\"id\":\"d" + c + "\",\"config\":{\"recipe\":\"sec\",\"seed\":" + c + ",\"rollouts\":2}}").status()).isEqualTo(201);
            assertThat(http.post("/v1/curricula/d" + c + "/tasks", ServerTest.tasksJson(20)).status()).isEqualTo(200);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * curricula * trainers);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < curricula; c++) {
            for (int k = 0; k < trainers; k++) {
                int client = k;
                for (String id : List.of("w" + c, "d" + c)) {
                    fs.add(pool.submit(() -> {
                        SplittableRandom rnd = new SplittableRandom(id.hashCode() * 31L + client);
                        for (int i = 0; i < rounds; i++) {
                            Http.Response r = http.post("/v1/curricula/" + id + "/next", Http.next(3, null));
                            assertThat(r.status()).as(r.body()).isEqualTo(200);
                            String body = id.startsWith("w") ? reportJson(client + "-" + i, r.json(), rnd) : ServerTest.reportJson(client + "-" + i, r.json(), rnd);
                            Http.Response rep = http.post("/v1/curricula/" + id + "/report", body);
                            assertThat(rep.status()).as(rep.body()).isEqualTo(200);
                        }
                        return null;
                    }));
                }
            }
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        // the log is the serialization; replaying it serially through the core gives the same state
        List<String> before = new ArrayList<>();
        for (int c = 0; c < curricula; c++) {
            String id = "w" + c;
            List<String> lines = http.get("/v1/curricula/" + id + "/log").body().lines().toList();
            assertThat(lines).hasSize(1 + 2 * trainers * rounds);
            String stats = http.get("/v1/curricula/" + id + "/stats").body();
            assertThat(stats).isEqualTo(stats(id, replay(lines)));
            before.add(stats);
            before.add(http.get("/v1/curricula/d" + c + "/stats").body());
        }
        server.close();
        server = ProximaServer.start(ServerOptions.of(dir, 0));
        http = new Http(server.port());
        List<String> afterRestart = new ArrayList<>();
        for (int c = 0; c < curricula; c++) {
            afterRestart.add(http.get("/v1/curricula/w" + c + "/stats").body());
            afterRestart.add(http.get("/v1/curricula/d" + c + "/stats").body());
        }
        assertThat(afterRestart).isEqualTo(before);
        // and the next proposals are those of the replayed log
        ContinuousCurriculum ref = replay(http.get("/v1/curricula/w0/log").body().lines().toList());
        JsonNode next = http.post("/v1/curricula/w0/next", Http.next(3, null)).json();
        List<ParamTask> expected = ref.next(3);
        for (int i = 0; i < 3; i++) {
            assertThat(next.get("tasks").get(i).get("id").asLong()).isEqualTo(expected.get(i).id());
            assertThat(next.get("tasks").get(i).get("params").get("stump_height").asDouble()).isEqualTo(expected.get(i).params()[0]);
        }
        assertThat(http.get("/v1/curricula/w0").json().get("kind").asText()).isEqualTo("continuous");
    }
}
