package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 8: one call per trainer step ({@code step}: report the last batch, draw the next)
 * and one request for many curricula ({@code /v1/batch}). Each is checked against the calls it
 * stands for, made separately on a twin curriculum (same configuration and seed).
 */
class StepAndBatchTest extends ServerHarness {

    private void create(String id, String recipe, int tasks) {
        assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"" + recipe + "\",\"seed\":5,\"rollouts\":4}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/" + id + "/tasks", ServerTest.tasksJson(tasks)).status()).isEqualTo(200);
    }

    private static String stepJson(String batchId, JsonNode selection, SplittableRandom rnd, int n) {
        String report = ServerTest.reportJson(batchId, selection, rnd);
        return report.substring(0, report.length() - 1) + ",\"n\":" + n + "}";
    }

    private String log(String id) {
        // the twin's log names the other curriculum only in its first line
        List<String> lines = http.get("/v1/curricula/" + id + "/log").body().lines().toList();
        return String.join("\n", lines.subList(1, lines.size()));
    }

    private long commits() {
        String m = http.get("/metrics").body();
        String line = m.lines().filter(l -> l.startsWith("proxima_store_commits_total")).findFirst().orElseThrow();
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sec", "dapo", "pcl", "odf"})
    void aStepIsReportThenNextInOneCommit(String recipe) {
        start(Durability.SYNC);
        create("steps", recipe, 40);
        create("twin", recipe, 40);
        JsonNode sel = http.post("/v1/curricula/steps/next", Http.next(6, "first")).json();
        assertThat(http.post("/v1/curricula/twin/next", Http.next(6, "first")).json()).isEqualTo(sel);
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int round = 0; round < 15; round++) {
            int n = 1 + round % 7;
            String batch = "b" + round;
            long before = commits();
            Http.Response step = http.post("/v1/curricula/steps/step", stepJson(batch, sel, a, n));
            assertThat(step.status()).as(step.body()).isEqualTo(200);
            assertThat(commits() - before).as("one transaction per step").isEqualTo(1);
            Http.Response rep = http.post("/v1/curricula/twin/report", ServerTest.reportJson(batch, sel, b));
            Http.Response next = http.post("/v1/curricula/twin/next", Http.next(n, batch));
            assertThat(step.json().get("report")).isEqualTo(rep.json());
            assertThat(step.json().get("next")).isEqualTo(next.json());
            sel = step.json().get("next");
            assertThat(sel.get("tasks")).hasSize(n);
        }
        assertThat(log("steps")).isEqualTo(log("twin"));
        assertThat(http.get("/v1/curricula/steps/stats").json().get("reports")).isEqualTo(http.get("/v1/curricula/twin/stats").json().get("reports"));
    }

    /**
     * A fresh answer is rendered from the call's result, a retried one from the stored (compact)
     * answer: both must be the very same bytes — retried at once (the answer kept in memory) and
     * after a restart (read from the log) — for step, report and next, with directives in the
     * selections and flagged verdicts (a task never selected, rewards not as allotted).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sec", "dapo"})
    void aRetryGetsTheBytesOfTheFirstAnswerForEveryTrainerCall(String recipe) throws Exception {
        start(Durability.GROUP);
        String config = "{\"recipe\":\"" + recipe + "\",\"seed\":9,\"rollouts\":4,"
                + "\"directives\":[{\"type\":\"tokenBudget\",\"start\":8192,\"steps\":600},{\"type\":\"hint\"}]}";
        assertThat(http.post("/v1/curricula", "{\"id\":\"r\",\"config\":" + config + "}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/r/tasks", ServerTest.tasksJson(40)).status()).isEqualTo(200);
        SplittableRandom rnd = new SplittableRandom(3);
        List<String[]> calls = new ArrayList<>(); // path, body, first answer
        Http.Response first = http.post("/v1/curricula/r/next", Http.next(6, "n0"));
        calls.add(new String[] {"/v1/curricula/r/next", Http.next(6, "n0"), first.body()});
        JsonNode sel = first.json();
        assertThat(sel.get("tasks").get(0).has("directives")).as(first.body()).isTrue();
        for (int i = 0; i < 6; i++) {
            String body = stepJson("s" + i, sel, rnd, 5);
            if (i == 2) { // a task this batch did not select
                java.util.Set<String> chosen = new java.util.HashSet<>();
                for (JsonNode t : sel.get("tasks")) chosen.add(t.get("id").asText());
                String other = java.util.stream.IntStream.range(0, 40).mapToObj(k -> "t" + k).filter(t -> !chosen.contains(t)).findFirst().orElseThrow();
                body = body.replaceFirst("\\{\"taskId\":", "{\"taskId\":\"" + other + "\",\"rewards\":[1,0,1,0]},{\"taskId\":");
            }
            if (i == 3) body = body.replaceFirst("\"rewards\":\\[([01]),", "\"rewards\":[$1,1,0,1,1,"); // more rewards than allotted
            Http.Response a = http.post("/v1/curricula/r/step", body);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            calls.add(new String[] {"/v1/curricula/r/step", body, a.body()});
            sel = a.json().get("next");
            String report = ServerTest.reportJson("p" + i, sel, rnd);
            Http.Response rep = http.post("/v1/curricula/r/report", report);
            assertThat(rep.status()).as(rep.body()).isEqualTo(200);
            calls.add(new String[] {"/v1/curricula/r/report", report, rep.body()});
            Http.Response next = http.post("/v1/curricula/r/next", Http.next(5, "n" + (i + 1)));
            calls.add(new String[] {"/v1/curricula/r/next", Http.next(5, "n" + (i + 1)), next.body()});
            sel = next.json();
        }
        assertThat(String.join("\n", calls.stream().map(c -> c[2]).toList())).contains("\"flag\"");
        for (int restart = 0; restart < 2; restart++) {
            if (restart == 1) {
                server.close();
                server = ProximaServer.start(ServerOptions.of(dir, 0));
                http = new Http(server.port());
            }
            for (String[] c : calls) {
                Http.Response again = http.post(c[0], c[1]);
                assertThat(again.headers().firstValue("Proxima-Replayed")).as(c[0] + " " + c[1]).contains("true");
                assertThat(again.body()).as(c[0] + " " + c[1]).isEqualTo(c[2]);
                assertThat(again.headers().firstValue("Content-Length")).contains(Integer.toString(again.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"GROUP", "PROCESS"})
    void aRetriedStepIsAnsweredTheSameAndAppliedOnceAlsoAfterARestart(Durability durability) throws Exception {
        start(durability);
        create("a", "sec", 30);
        JsonNode sel = http.post("/v1/curricula/a/next", Http.next(5, null)).json();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String body = stepJson("s" + round, sel, new SplittableRandom(round), 5);
                postConcurrently(pool, "/v1/curricula/a/step", body, 8);
                sel = http.post("/v1/curricula/a/step", body).json().get("next");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode stats = http.get("/v1/curricula/a/stats").json();
        assertThat(stats.get("reports").asInt()).isEqualTo(25);
        assertThat(stats.get("batches").asInt()).isEqualTo(6);
        server.close();
        server = ProximaServer.start(ServerOptions.of(dir, 0));
        http = new Http(server.port());
        assertThat(http.get("/v1/curricula/a/stats").json()).isEqualTo(stats);
        // the last step again, after the restart: the stored answer, nothing applied
        List<String> log = http.get("/v1/curricula/a/log").body().lines().toList();
        JsonNode lastReport = Http.JSON.readTree(log.get(log.size() - 2));
        assertThat(lastReport.get("batchId").asText()).isEqualTo("s4");
        String retry = "{\"batchId\":\"s4\",\"outcomes\":" + lastReport.get("outcomes") + ",\"n\":5}";
        Http.Response again = http.post("/v1/curricula/a/step", retry);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        assertThat(http.get("/v1/curricula/a/stats").json()).isEqualTo(stats);
    }

    @Test
    void aRefusedStepChangesNothingEvenWhenOnlyItsNextPartIsWrong() {
        start(Durability.SYNC);
        create("a", "sec", 8);
        JsonNode sel = http.post("/v1/curricula/a/next", Http.next(3, null)).json();
        String log = http.get("/v1/curricula/a/log").body();
        String stats = http.get("/v1/curricula/a/stats").body();
        String good = ServerTest.reportJson("b1", sel, new SplittableRandom(1));
        String goodOutcomes = good.substring(0, good.length() - 1);
        Object[][] cases = {
                {goodOutcomes + ",\"n\":9}", "n"},                              // more than the pool: the report part is undone
                {goodOutcomes + ",\"n\":0}", "n"},
                {goodOutcomes + ",\"n\":\"3\"}", "n"},
                {goodOutcomes + "}", "n"},
                {goodOutcomes + ",\"n\":3,\"requestId\":\"x\"}", "requestId"},
                {"{\"batchId\":\"b1\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1,0,0,1]},{\"taskId\":\"nope\",\"rewards\":[1]}],\"n\":2}", "outcomes[1].taskId"},
                {"{\"n\":2}", "outcomes"},
                {"{\"batchId\":\"\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1]}],\"n\":2}", "batchId"},
        };
        for (Object[] c : cases) refused(http.post("/v1/curricula/a/step", (String) c[0]), (String) c[0], 400, (String) c[1]);
        refused(http.post("/v1/curricula/none/step", goodOutcomes + ",\"n\":2}"), "no curriculum", 404, "id");
        assertThat(http.get("/v1/curricula/a/log").body()).isEqualTo(log);
        assertThat(http.get("/v1/curricula/a/stats").body()).isEqualTo(stats);
        // the refused attempts did not consume the batch id: it steps normally now
        assertThat(http.post("/v1/curricula/a/step", goodOutcomes + ",\"n\":2}").status()).isEqualTo(200);
        // the same batch id with other content is a conflict on the part that differs
        refused(http.post("/v1/curricula/a/step", goodOutcomes + ",\"n\":3}"), "other n", 409, "n");
        refused(http.post("/v1/curricula/a/step", "{\"batchId\":\"b1\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[0,0,0,0]}],\"n\":2}"), "other outcomes", 409, "batchId");
    }

    @Test
    void aBatchIdReportedAlreadyOnlyDrawsAndOneUsedByANextIsAConflict() {
        start(Durability.SYNC);
        create("a", "sec", 20);
        create("twin", "sec", 20);
        JsonNode sel = http.post("/v1/curricula/a/next", Http.next(3, null)).json();
        http.post("/v1/curricula/twin/next", Http.next(3, null));
        String report = ServerTest.reportJson("r1", sel, new SplittableRandom(3));
        JsonNode reported = http.post("/v1/curricula/a/report", report).json();
        http.post("/v1/curricula/twin/report", report);
        // a trainer that reported, lost the answer of its next, and now steps with that batch id
        Http.Response step = http.post("/v1/curricula/a/step", report.substring(0, report.length() - 1) + ",\"n\":4}");
        assertThat(step.status()).isEqualTo(200);
        assertThat(step.headers().firstValue("Proxima-Replayed")).isEmpty();
        assertThat(step.json().get("report")).isEqualTo(reported);
        assertThat(step.json().get("next")).isEqualTo(http.post("/v1/curricula/twin/next", Http.next(4, "r1")).json());
        assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isEqualTo(3);
        http.post("/v1/curricula/a/next", Http.next(2, "used"));
        refused(http.post("/v1/curricula/a/step", "{\"batchId\":\"used\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1,0,0,1]}],\"n\":2}"),
                "a next's request id", 409, "batchId");
    }

    @Test
    void aContinuousCurriculumStepsToo() {
        start(Durability.SYNC);
        String cfg = "{\"space\":{\"dims\":[{\"name\":\"x\",\"low\":0,\"high\":1}]},\"teacher\":{\"type\":\"random\"},\"seed\":3}";
        for (String id : List.of("c", "twin")) assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":" + cfg + "}").status()).isEqualTo(201);
        JsonNode first = http.post("/v1/curricula/c/next", Http.next(2, null)).json();
        http.post("/v1/curricula/twin/next", Http.next(2, null));
        String outcomes = "[{\"taskId\":0,\"returns\":[0.5]},{\"taskId\":1,\"returns\":[0.25]}]";
        Http.Response step = http.post("/v1/curricula/c/step", "{\"batchId\":\"k\",\"outcomes\":" + outcomes + ",\"n\":3}");
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        assertThat(step.json().get("report")).isEqualTo(http.post("/v1/curricula/twin/report", "{\"batchId\":\"k\",\"outcomes\":" + outcomes + "}").json());
        assertThat(step.json().get("next")).isEqualTo(http.post("/v1/curricula/twin/next", Http.next(3, "k")).json());
        assertThat(first.get("tasks")).hasSize(2);
    }

    @Test
    void aBatchAnswersEachItemOnItsOwn() {
        start(Durability.GROUP);
        for (String id : List.of("a", "b", "c", "ta", "tb")) create(id, "sec", 20);
        JsonNode selA = http.post("/v1/curricula/a/next", Http.next(2, null)).json();
        http.post("/v1/curricula/ta/next", Http.next(2, null));
        String repA = ServerTest.reportJson("x1", selA, new SplittableRandom(9));
        String stepA = repA.substring(0, repA.length() - 1) + ",\"n\":3}";
        String batch = "{\"requests\":["
                + "{\"curriculum\":\"a\",\"op\":\"step\",\"body\":" + stepA + "},"
                + "{\"curriculum\":\"b\",\"op\":\"next\",\"body\":{\"n\":4,\"requestId\":\"q\"}},"
                + "{\"curriculum\":\"missing\",\"op\":\"next\",\"body\":{\"n\":1}},"
                + "{\"curriculum\":\"c\",\"op\":\"report\",\"body\":{\"outcomes\":[{\"taskId\":\"nope\",\"rewards\":[1]}]}},"
                + "{\"curriculum\":\"b\",\"op\":\"next\",\"body\":{\"n\":2}},"
                + "{\"curriculum\":\"c\",\"op\":\"next\",\"body\":{\"n\":99}}"
                + "]}";
        Http.Response r = http.post("/v1/batch", batch);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode out = r.json().get("responses");
        assertThat(out).hasSize(6);
        int[] statuses = new int[6];
        for (int i = 0; i < 6; i++) statuses[i] = out.get(i).get("status").asInt();
        assertThat(statuses).containsExactly(200, 200, 404, 400, 200, 400);
        assertThat(out.get(2).get("body").get("field").asText()).isEqualTo("id");
        assertThat(out.get(3).get("body").get("field").asText()).isEqualTo("outcomes[0].taskId");
        assertThat(out.get(5).get("body").get("field").asText()).isEqualTo("n");
        // the same answers as the calls made one by one on twins; items on one curriculum in order
        Http.Response rep = http.post("/v1/curricula/ta/report", repA);
        assertThat(out.get(0).get("body").get("report")).isEqualTo(rep.json());
        assertThat(out.get(0).get("body").get("next")).isEqualTo(http.post("/v1/curricula/ta/next", Http.next(3, "x1")).json());
        assertThat(out.get(1).get("body")).isEqualTo(http.post("/v1/curricula/tb/next", Http.next(4, "q")).json());
        assertThat(out.get(4).get("body")).isEqualTo(http.post("/v1/curricula/tb/next", Http.next(2, null)).json());
        assertThat(http.get("/v1/curricula/c/stats").json().get("reports").asInt()).isZero();
        // a retried batch replays its keyed items
        JsonNode again = http.post("/v1/batch", batch).json().get("responses");
        assertThat(again.get(0).get("replayed").asBoolean()).isTrue();
        assertThat(again.get(0).get("body")).isEqualTo(out.get(0).get("body"));
        assertThat(again.get(1).get("body")).isEqualTo(out.get(1).get("body"));
        assertThat(again.get(4).get("body")).isNotEqualTo(out.get(4).get("body")); // unkeyed: a new draw
    }

    @Test
    void aMalformedBatchIsRefusedWholeBeforeAnyItemRuns() {
        start(Durability.SYNC);
        create("a", "sec", 10);
        String ok = "{\"curriculum\":\"a\",\"op\":\"next\",\"body\":{\"n\":1}}";
        Object[][] cases = {
                {"{}", "requests"},
                {"{\"requests\":5}", "requests"},
                {"{\"requests\":[" + ok + ",5]}", "requests[1]"},
                {"{\"requests\":[" + ok + ",{\"curriculum\":\"a\",\"op\":\"delete\",\"body\":{}}]}", "requests[1].op"},
                {"{\"requests\":[" + ok + ",{\"curriculum\":\"a\",\"op\":\"next\"}]}", "requests[1].body"},
                {"{\"requests\":[" + ok + ",{\"op\":\"next\",\"body\":{}}]}", "requests[1].curriculum"},
                {"{\"requests\":[" + ok + ",{\"curriculum\":\"a\",\"op\":\"next\",\"body\":{},\"x\":1}]}", "requests[1].x"},
                {"{\"requests\":[" + (ok + ",").repeat(BatchCall.MAX_ITEMS) + ok + "]}", "requests"},
                {"{\"requests\":[],\"more\":1}", "more"},
        };
        for (Object[] c : cases) refused(http.post("/v1/batch", (String) c[0]), ((String) c[0]).substring(0, Math.min(90, ((String) c[0]).length())), 400, (String) c[1]);
        assertThat(http.get("/v1/curricula/a").json().get("batches").asInt()).isZero();
        assertThat(http.post("/v1/batch", "{\"requests\":[]}").json().get("responses")).isEmpty();
    }
}
