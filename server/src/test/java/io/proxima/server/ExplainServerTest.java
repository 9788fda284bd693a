package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code next} with {@code "explain": true}: the answer adds {@code explain} aligned with
 * {@code tasks}, with the numbers the curriculum used; the tasks are those a twin drawing without
 * explain gets; a keyed explained answer replays byte for byte (also after a restart); a bad
 * {@code explain} is a 400 naming it. The same for {@code step}'s next part and batch items.
 */
class ExplainServerTest extends ServerHarness {
    private void create(String id) {
        assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":4,\"rollouts\":4,"
                + "\"itemPolicy\":{\"type\":\"odf\"}}}").status()).isEqualTo(201);
        // a, b: prior difficulty 0.5 → Beta(2, 2); c: 0.25 → Beta(2.5, 1.5) (priorStrength 2)
        assertThat(http.post("/v1/curricula/" + id + "/tasks", "[{\"id\":\"a\",\"group\":\"x\",\"priorDifficulty\":0.5},"
                + "{\"id\":\"b\",\"group\":\"x\",\"priorDifficulty\":0.5},{\"id\":\"c\",\"group\":\"y\",\"priorDifficulty\":0.25}]").status()).isEqualTo(200);
    }

    private static String next(int n, String requestId, String explain) {
        return "{\"n\":" + n + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + ",\"explain\":" + explain + "}";
    }

    @Test
    void explainedNextAnswersTheNumbersAndDrawsWhatAPlainOneDraws() {
        start(Durability.SYNC);
        create("e");
        create("plain");
        for (String id : new String[] {"e", "plain"}) {
            assertThat(http.post("/v1/curricula/" + id + "/next", Http.next(3, null)).status()).isEqualTo(200);
            String report = "{\"outcomes\":[{\"taskId\":\"a\",\"rewards\":[1,1,1,0]},{\"taskId\":\"c\",\"rewards\":[1,0,0,0]}]}";
            assertThat(http.post("/v1/curricula/" + id + "/report", report).status()).isEqualTo(200);
        }
        JsonNode statsBefore = http.get("/v1/curricula/e/stats").json();
        Http.Response r = http.post("/v1/curricula/e/next", next(3, null, "true"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        JsonNode p = http.post("/v1/curricula/plain/next", next(3, null, "false")).json();
        assertThat(p.has("explain")).isFalse();
        assertThat(j.get("tasks")).as("the same draw as without explain").isEqualTo(p.get("tasks"));
        assertThat(http.get("/v1/curricula/e/stats").json().get("groups")).isEqualTo(http.get("/v1/curricula/plain/stats").json().get("groups"));
        JsonNode why = j.get("explain");
        assertThat(why.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            JsonNode e = why.get(i);
            String id = j.get("tasks").get(i).get("id").asText();
            assertThat(e.get("id").asText()).isEqualTo(id);
            assertThat(e.get("rollouts").asInt()).isEqualTo(j.get("tasks").get(i).get("rollouts").asInt());
            assertThat(e.get("pipeline").asText()).isEqualTo("sec");
            assertThat(e.get("groupPolicy").asText()).isEqualTo("sec");
            assertThat(e.get("shareBound").asBoolean()).isTrue();
            assertThat(e.get("itemPolicy").asText()).isEqualTo("odf");
            assertThat(e.get("filter").asText()).isEqualTo("none");
            assertThat(e.get("allocator").asText()).isEqualTo("uniform");
            assertThat(e.get("allocation").size()).as("a uniform allocator has no numbers").isZero();
            assertThat(e.has("memberProbability")).isFalse();
            int g = e.get("group").asText().equals("x") ? 0 : 1;
            // SEC's probabilities change on reports, not on next: the draw's are those stats showed before it
            assertThat(e.get("groupProbability").asDouble()).isCloseTo(statsBefore.get("groups").get(g).get("probability").asDouble(),
                    org.assertj.core.api.Assertions.within(1e-12));
            JsonNode pr = e.get("passRate");
            switch (id) {
                case "a" -> { // Beta(2 + 3, 2 + 1): mean 5/8, inside the band [0.2, 0.8]
                    assertThat(pr.get("alpha").asDouble()).isEqualTo(5.0);
                    assertThat(pr.get("beta").asDouble()).isEqualTo(3.0);
                    assertThat(pr.get("mean").asDouble()).isEqualTo(0.625);
                    assertThat(pr.get("tries").asInt()).isEqualTo(1);
                    assertThat(e.get("item").get("bandDistance").asDouble()).isEqualTo(0.0);
                }
                case "b" -> assertThat(pr.get("mean").asDouble()).isEqualTo(0.5);
                default -> { // c: Beta(2.5 + 1, 1.5 + 3): mean 3.5/8
                    assertThat(pr.get("alpha").asDouble()).isEqualTo(3.5);
                    assertThat(pr.get("beta").asDouble()).isEqualTo(4.5);
                    assertThat(pr.get("mean").asDouble()).isEqualTo(0.4375);
                }
            }
        }
    }

    @Test
    void aKeyedExplainedAnswerReplaysByteForByte() {
        start(Durability.SYNC);
        create("k");
        Http.Response first = http.post("/v1/curricula/k/next", next(2, "r1", "true"));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("requestId").asText()).isEqualTo("r1");
        assertThat(first.json().get("explain").size()).isEqualTo(2);
        String stats = http.get("/v1/curricula/k/stats").body();
        Http.Response again = http.post("/v1/curricula/k/next", next(2, "r1", "true"));
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        assertThat(http.get("/v1/curricula/k/stats").body()).as("a repeat draws nothing").isEqualTo(stats);
        // the key names an explained request: repeated without explain it is another request
        refused(http.post("/v1/curricula/k/next", next(2, "r1", "false")), "the key without explain", 409, "requestId");
        server.close();
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula/k/next", next(2, "r1", "true")).body()).as("the stored answer after a restart").isEqualTo(first.body());
        assertThat(http.get("/v1/curricula/k/stats").body()).isEqualTo(stats);
    }

    @Test
    void aBadExplainIsRefusedNamingIt() {
        start(Durability.SYNC);
        create("b");
        String stats = http.get("/v1/curricula/b/stats").body();
        for (String bad : new String[] {"\"yes\"", "1", "[true]", "{}"}) {
            String err = refused(http.post("/v1/curricula/b/next", next(2, null, bad)), "explain " + bad, 400, "explain");
            assertThat(err).contains("true or false");
        }
        assertThat(http.get("/v1/curricula/b/stats").body()).isEqualTo(stats);
        assertThat(http.post("/v1/curricula/b/next", next(2, null, "null")).json().has("explain")).isFalse();
        assertThat(http.post("/v1/curricula", "{\"id\":\"cc\",\"kind\":\"continuous\",\"config\":{\"space\":{\"dims\":"
                + "[{\"name\":\"x\",\"low\":-1,\"high\":1}]}}}").status()).isEqualTo(201);
        refused(http.post("/v1/curricula/cc/next", next(2, null, "true")), "explain on a continuous curriculum", 400, "explain");
    }

    @Test
    void theDashboardsLatestBatchesShowTheExplanation() {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", "{\"id\":\"m\",\"config\":{\"recipe\":\"meta\",\"seed\":6,\"members\":"
                + "[{\"recipe\":\"sec\",\"itemPolicy\":{\"type\":\"odf\"}},{\"recipe\":\"plr\"}]}}").status()).isEqualTo(201);
        StringBuilder tasks = new StringBuilder("[");
        for (int i = 0; i < 12; i++) tasks.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        assertThat(http.post("/v1/curricula/m/tasks", tasks.append("]").toString()).status()).isEqualTo(200);
        JsonNode last = null;
        for (int step = 0; step < 5; step++) {
            last = http.post("/v1/curricula/m/next", next(4, null, "true")).json();
            StringBuilder report = new StringBuilder("{\"outcomes\":[");
            for (int i = 0; i < 4; i++) {
                report.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(last.get("tasks").get(i).get("id").asText())
                        .append("\",\"rewards\":[").append(step % 2).append(",1,0,").append(i % 2).append(",1,0,0,1]}");
            }
            assertThat(http.post("/v1/curricula/m/report", report.append("]}").toString()).status()).isEqualTo(200);
        }
        last = http.post("/v1/curricula/m/next", next(4, null, "true")).json();
        JsonNode shown = http.get("/v1/curricula/m/history").json().get("latestBatches").get(0);
        assertThat(shown.get("batch").asLong()).isEqualTo(last.get("batch").asLong());
        for (int i = 0; i < 4; i++) {
            JsonNode t = shown.get("tasks").get(i);
            JsonNode e = last.get("explain").get(i);
            assertThat(t.get("id").asText()).isEqualTo(e.get("id").asText());
            for (String f : new String[] {"groupProbability", "pipeline", "memberProbability", "itemPolicy", "item", "allocator", "allocation"}) {
                assertThat(t.get(f)).as(f).isEqualTo(e.get(f));
            }
            assertThat(t.get("passRate")).isEqualTo(e.get("passRate").get("mean"));
        }
    }
    private static String step(String batchId, String outcomes, int n, String explain) {
        return "{" + (batchId == null ? "" : "\"batchId\":\"" + batchId + "\",") + "\"outcomes\":" + outcomes + ",\"n\":" + n
                + (explain == null ? "" : ",\"explain\":" + explain) + "}";
    }

    /** A log's events after its create line (which names the curriculum). */
    private static java.util.List<String> events(String log) {
        java.util.List<String> lines = java.util.List.of(log.split("\n"));
        assertThat(lines.get(0)).contains("\"type\":\"create\"");
        return lines.subList(1, lines.size());
    }

    /** A report of every task of a next answer: rewards [1,0,1,1] for the first, [0,0,0,1] for the others. */
    private static String outcomes(JsonNode next) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < next.get("tasks").size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(next.get("tasks").get(i).get("id").asText())
                    .append("\",\"rewards\":").append(i == 0 ? "[1,0,1,1]" : "[0,0,0,1]").append('}');
        }
        return b.append(']').toString();
    }

    @Test
    void anExplainedStepAnswersWhatAReportThenAnExplainedNextAnswer() {
        start(Durability.SYNC);
        create("s");
        create("twin");
        JsonNode first = http.post("/v1/curricula/s/next", Http.next(2, null)).json();
        assertThat(http.post("/v1/curricula/twin/next", Http.next(2, null)).json()).isEqualTo(first);
        String out = outcomes(first);
        Http.Response step = http.post("/v1/curricula/s/step", step("k1", out, 2, "true"));
        assertThat(step.status()).as(step.body()).isEqualTo(200);
        Http.Response report = http.post("/v1/curricula/twin/report", "{\"batchId\":\"k1\",\"outcomes\":" + out + "}");
        Http.Response next = http.post("/v1/curricula/twin/next", next(2, "k1", "true"));
        assertThat(step.body()).as("the very answers of a report and an explained next")
                .isEqualTo("{\"report\":" + report.body() + ",\"next\":" + next.body() + "}");
        assertThat(step.json().get("next").get("explain").size()).isEqualTo(2);
        assertThat(events(http.get("/v1/curricula/s/log").body())).as("the log holds a plain report and next")
                .isEqualTo(events(http.get("/v1/curricula/twin/log").body()));

        // a retry: the same bytes, replayed, nothing drawn; also after a restart
        String stats = http.get("/v1/curricula/s/stats").body();
        Http.Response again = http.post("/v1/curricula/s/step", step("k1", out, 2, "true"));
        assertThat(again.body()).isEqualTo(step.body());
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        assertThat(http.get("/v1/curricula/s/stats").body()).isEqualTo(stats);
        server.close();
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula/s/step", step("k1", out, 2, "true")).body()).isEqualTo(step.body());

        // the key names an explained step: without explain it is another request (and a plain step's key with it)
        String err = refused(http.post("/v1/curricula/s/step", step("k1", out, 2, "false")), "the key without explain", 409, "explain");
        assertThat(err).contains("with explain");
        JsonNode plain = http.post("/v1/curricula/s/step", step("k2", outcomes(step.json().get("next")), 2, null)).json();
        assertThat(plain.get("next").has("explain")).isFalse();
        err = refused(http.post("/v1/curricula/s/step", step("k2", outcomes(step.json().get("next")), 2, "true")), "a plain step's key with explain", 409, "explain");
        assertThat(err).contains("without explain");
        assertThat(http.get("/v1/curricula/s/stats").json().get("reports").asLong()).isEqualTo(4);
    }

    @Test
    void aBadExplainInAStepIsRefusedNamingItAndChangesNothing() {
        start(Durability.SYNC);
        create("b");
        JsonNode first = http.post("/v1/curricula/b/next", Http.next(2, null)).json();
        String log = http.get("/v1/curricula/b/log").body();
        for (String bad : new String[] {"\"yes\"", "1", "[true]", "{}"}) {
            String err = refused(http.post("/v1/curricula/b/step", step("x", outcomes(first), 2, bad)), "explain " + bad, 400, "explain");
            assertThat(err).contains("true or false");
        }
        refused(http.post("/v1/curricula/b/report", "{\"outcomes\":" + outcomes(first) + ",\"explain\":true}"), "explain on a report", 400, "explain");
        assertThat(http.get("/v1/curricula/b/log").body()).as("nothing applied, no key used up").isEqualTo(log);
        assertThat(http.post("/v1/curricula/b/step", step("x", outcomes(first), 2, "null")).json().get("next").has("explain")).isFalse();

        assertThat(http.post("/v1/curricula", "{\"id\":\"cc\",\"kind\":\"continuous\",\"config\":{\"space\":{\"dims\":"
                + "[{\"name\":\"x\",\"low\":-1,\"high\":1}]}}}").status()).isEqualTo(201);
        JsonNode p = http.post("/v1/curricula/cc/next", Http.next(1, null)).json();
        String cLog = http.get("/v1/curricula/cc/log").body();
        String paramOut = "[{\"taskId\":" + p.get("tasks").get(0).get("id") + ",\"returns\":[0.5]}]";
        refused(http.post("/v1/curricula/cc/step", step("c1", paramOut, 1, "true")), "explain on a continuous step", 400, "explain");
        assertThat(http.get("/v1/curricula/cc/log").body()).isEqualTo(cLog);
        assertThat(http.post("/v1/curricula/cc/step", step("c1", paramOut, 1, "false")).status()).isEqualTo(200);
    }

    @Test
    void batchItemsExplainAsTheirOwnRoutesDo() {
        start(Durability.SYNC);
        create("a");
        create("twin");
        JsonNode first = http.post("/v1/curricula/a/next", Http.next(2, null)).json();
        http.post("/v1/curricula/twin/next", Http.next(2, null));
        String out = outcomes(first);
        String body = "{\"requests\":[{\"curriculum\":\"a\",\"op\":\"step\",\"body\":" + step("s1", out, 2, "true") + "},"
                + "{\"curriculum\":\"a\",\"op\":\"next\",\"body\":" + next(1, "n1", "true") + "}]}";
        Http.Response batch = http.post("/v1/batch", body);
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        JsonNode answers = batch.json().get("responses");
        Http.Response step = http.post("/v1/curricula/twin/step", step("s1", out, 2, "true"));
        Http.Response next = http.post("/v1/curricula/twin/next", next(1, "n1", "true"));
        assertThat(answers.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(answers.get(0).get("body")).isEqualTo(step.json());
        assertThat(answers.get(1).get("body")).isEqualTo(next.json());
        assertThat(answers.get(0).get("body").get("next").get("explain").size()).isEqualTo(2);
        Http.Response again = http.post("/v1/batch", body);
        assertThat(again.body()).as("a retried batch replays its keyed items, explanations included")
                .isEqualTo(batch.body().replace("{\"status\":200,", "{\"status\":200,\"replayed\":true,"));
    }
    @Test
    void theAllocatorsNumbersComeWithTheRolloutsItGave() {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", "{\"id\":\"k\",\"config\":{\"recipe\":\"uniform\",\"seed\":1,\"rollouts\":4,"
                + "\"allocator\":{\"type\":\"knapsack\",\"max\":8}}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/k/tasks", "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]").status()).isEqualTo(200);
        http.post("/v1/curricula/k/next", Http.next(3, null));
        // pass rates 0.5, 0.125, 1 → the knapsack's worked example: rollouts 5, 5, 2
        assertThat(http.post("/v1/curricula/k/report", "{\"outcomes\":[{\"taskId\":\"a\",\"rewards\":[1,1,0,0]},"
                + "{\"taskId\":\"b\",\"rewards\":[1,0,0,0,0,0,0,0]},{\"taskId\":\"c\",\"rewards\":[1,1,1,1]}]}").status()).isEqualTo(200);
        JsonNode j = http.post("/v1/curricula/k/next", next(3, null, "true")).json();
        for (JsonNode e : j.get("explain")) {
            JsonNode a = e.get("allocation");
            assertThat(e.get("allocator").asText()).isEqualTo("knapsack");
            switch (e.get("id").asText()) {
                case "a" -> {
                    assertThat(e.get("rollouts").asInt()).isEqualTo(5);
                    assertThat(a.get("p").asDouble()).isEqualTo(0.5);
                    assertThat(a.get("value").asDouble()).isEqualTo(0.1171875); // (1 − 2/32)·0.5·0.25
                }
                case "b" -> assertThat(e.get("rollouts").asInt()).isEqualTo(5);
                default -> {
                    assertThat(e.get("rollouts").asInt()).isEqualTo(2);
                    assertThat(a.get("cost").isNull()).as("always solved: not eligible").isTrue();
                    assertThat(a.get("value").isNull()).isTrue();
                }
            }
        }
        JsonNode shown = http.get("/v1/curricula/k/history").json().get("latestBatches").get(0).get("tasks");
        for (int i = 0; i < 3; i++) assertThat(shown.get(i).get("allocation")).isEqualTo(j.get("explain").get(i).get("allocation"));
    }
}
