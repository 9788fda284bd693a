package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 4 over HTTP: a report for a task no selection awaits, or with 3 rewards where 4
 * rollouts were allotted, answers 200 with the outcome flagged, counted in stats and metrics; a
 * curriculum with {@code "strictReports": true} refuses it (400 naming the outcome), applying nothing.
 * The report part of a {@code step} (alone or as a {@code /v1/batch} item) is flagged and refused alike.
 */
class ReportFlagsServerTest extends ServerHarness {
    private List<String> selected(String id, int n) {
        JsonNode sel = http.post("/v1/curricula/" + id + "/next", Http.next(n, null)).json();
        List<String> ids = new ArrayList<>();
        for (JsonNode t : sel.get("tasks")) ids.add(t.get("id").asText());
        return ids;
    }

    private static String report(String batchId, String... taskAndRewards) {
        StringBuilder b = new StringBuilder("{" + (batchId == null ? "" : "\"batchId\":\"" + batchId + "\",") + "\"outcomes\":[");
        for (int i = 0; i < taskAndRewards.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(taskAndRewards[i]).append("\",\"rewards\":").append(taskAndRewards[i + 1]).append("}");
        }
        return b.append("]}").toString();
    }

    private void create(String id, boolean strict) {
        assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"uniform\",\"seed\":2,\"rollouts\":4"
                + (strict ? ",\"strictReports\":true" : "") + "}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/" + id + "/tasks", "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]").status()).isEqualTo(200);
    }

    @Test
    void flaggedOutcomesAreAnsweredCountedAndKeptAcrossARestart() {
        start(Durability.SYNC);
        create("r1", false);
        List<String> sel = selected("r1", 2);
        String never = List.of("a", "b", "c").stream().filter(t -> !sel.contains(t)).findFirst().orElseThrow();
        String body = report("b1", sel.get(0), "[1,0,1,0]", never, "[1,1,0,0]", sel.get(1), "[1,0,0]");
        Http.Response r = http.post("/v1/curricula/r1/report", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("flagged").asInt()).isEqualTo(2);
        assertThat(j.get("verdicts").get(0).has("flag")).isFalse();
        assertThat(j.get("verdicts").get(1).get("flag").asText()).isEqualTo("notSelected");
        assertThat(j.get("verdicts").get(2).get("flag").asText()).isEqualTo("rolloutsMismatch");
        assertThat(j.get("verdicts").get(2).get("allotted").asInt()).isEqualTo(4);
        // a retry of the batch gets the very same answer, flags included
        Http.Response again = http.post("/v1/curricula/r1/report", body);
        assertThat(again.body()).isEqualTo(r.body());
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        JsonNode flagged = http.get("/v1/curricula/r1/stats").json().get("flagged");
        assertThat(flagged.get("notSelected").asLong()).isEqualTo(1);
        assertThat(flagged.get("rolloutsMismatch").asLong()).isEqualTo(1);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("proxima_reports_flagged_total{curriculum=\"r1\",flag=\"notSelected\"} 1.0")
                .contains("proxima_reports_flagged_total{curriculum=\"r1\",flag=\"rolloutsMismatch\"} 1.0");
        // a report without flags answers as it always did
        List<String> next = selected("r1", 1);
        assertThat(http.post("/v1/curricula/r1/report", report(null, next.get(0), "[1,0,1,0]")).body()).doesNotContain("flag");
        server.close();
        start(Durability.SYNC);
        assertThat(http.get("/v1/curricula/r1/stats").json().get("flagged")).isEqualTo(flagged);
        assertThat(http.post("/v1/curricula/r1/report", body).body()).as("the stored answer after a restart").isEqualTo(r.body());
    }

    @Test
    void strictReportsRefusesNamingTheOutcomeAndAppliesNothing() {
        start(Durability.SYNC);
        create("s1", true);
        List<String> sel = selected("s1", 2);
        String never = List.of("a", "b", "c").stream().filter(t -> !sel.contains(t)).findFirst().orElseThrow();
        String stats = http.get("/v1/curricula/s1/stats").body();
        String log = http.get("/v1/curricula/s1/log").body();
        String e = refused(http.post("/v1/curricula/s1/report", report("b1", sel.get(0), "[1,0,1,0]", never, "[1,1,0,0]")),
                "a task never selected", 400, "outcomes[1].taskId");
        assertThat(e).contains("no selection awaiting").contains("strictReports");
        e = refused(http.post("/v1/curricula/s1/report", report("b1", sel.get(0), "[1,0,1]")), "3 rewards for 4 rollouts", 400, "outcomes[0].rewards");
        assertThat(e).contains("3 rewards").contains("allotted 4 rollouts");
        assertThat(http.get("/v1/curricula/s1/stats").body()).isEqualTo(stats);
        assertThat(http.get("/v1/curricula/s1/log").body()).isEqualTo(log);
        // the batch id was not used up: the right report under it is applied
        Http.Response ok = http.post("/v1/curricula/s1/report", report("b1", sel.get(0), "[1,0,1,0]", sel.get(1), "[0,0,0,1]"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Proxima-Replayed")).isEmpty();
        assertThat(ok.json().has("flagged")).isFalse();
    }

    private static String step(String report, int n) {
        return report.substring(0, report.length() - 1) + ",\"n\":" + n + "}";
    }

    @Test
    void aStepFlagsItsReportPartAsAPlainReportDoes() {
        start(Durability.SYNC);
        create("r1", false);
        create("twin", false);
        List<String> sel = selected("r1", 2);
        assertThat(selected("twin", 2)).isEqualTo(sel);
        String never = List.of("a", "b", "c").stream().filter(t -> !sel.contains(t)).findFirst().orElseThrow();
        String report = report("b1", sel.get(0), "[1,0,1,0]", never, "[1,1,0,0]", sel.get(1), "[1,0,0]");
        Http.Response r = http.post("/v1/curricula/r1/step", step(report, 2));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Http.Response plain = http.post("/v1/curricula/twin/report", report);
        JsonNode part = r.json().get("report");
        assertThat(part).isEqualTo(plain.json());
        assertThat(part.get("flagged").asInt()).isEqualTo(2);
        assertThat(part.get("verdicts").get(1).get("flag").asText()).isEqualTo("notSelected");
        assertThat(part.get("verdicts").get(2).get("flag").asText()).isEqualTo("rolloutsMismatch");
        assertThat(part.get("verdicts").get(2).get("allotted").asInt()).isEqualTo(4);
        assertThat(r.json().get("next").get("tasks")).hasSize(2);
        JsonNode flagged = http.get("/v1/curricula/r1/stats").json().get("flagged");
        assertThat(flagged).isEqualTo(http.get("/v1/curricula/twin/stats").json().get("flagged"));
        assertThat(flagged.get("notSelected").asLong()).isEqualTo(1);
        assertThat(http.get("/metrics").body()).contains("proxima_reports_flagged_total{curriculum=\"r1\",flag=\"rolloutsMismatch\"} 1.0");
        // a retry (also after a restart) is the stored answer with its flags, counted once
        Http.Response again = http.post("/v1/curricula/r1/step", step(report, 2));
        assertThat(again.body()).isEqualTo(r.body());
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        server.close();
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula/r1/step", step(report, 2)).body()).isEqualTo(r.body());
        assertThat(http.get("/v1/curricula/r1/stats").json().get("flagged")).isEqualTo(flagged);
        // as an item of a batch: the same flags
        List<String> next = new ArrayList<>();
        for (JsonNode t : r.json().get("next").get("tasks")) next.add(t.get("id").asText());
        String batchReport = report("b2", next.get(0), "[1,0,1]", next.get(1), "[0,0,1,1]");
        Http.Response b = http.post("/v1/batch", "{\"requests\":[{\"curriculum\":\"r1\",\"op\":\"step\",\"body\":" + step(batchReport, 1) + "}]}");
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        JsonNode item = b.json().get("responses").get(0);
        assertThat(item.get("status").asInt()).as(item.toString()).isEqualTo(200);
        assertThat(item.get("body").get("report").get("flagged").asInt()).isEqualTo(1);
        assertThat(item.get("body").get("report").get("verdicts").get(0).get("flag").asText()).isEqualTo("rolloutsMismatch");
        assertThat(http.get("/v1/curricula/r1/stats").json().get("flagged").get("rolloutsMismatch").asLong()).isEqualTo(2);
    }

    @Test
    void strictReportsRefusesTheWholeStepNamingTheOutcome() {
        start(Durability.SYNC);
        create("s1", true);
        List<String> sel = selected("s1", 2);
        String never = List.of("a", "b", "c").stream().filter(t -> !sel.contains(t)).findFirst().orElseThrow();
        String stats = http.get("/v1/curricula/s1/stats").body();
        String log = http.get("/v1/curricula/s1/log").body();
        String e = refused(http.post("/v1/curricula/s1/step", step(report("b1", sel.get(0), "[1,0,1,0]", never, "[1,1,0,0]"), 2)),
                "a step reporting a task never selected", 400, "outcomes[1].taskId");
        assertThat(e).contains("no selection awaiting").contains("strictReports");
        e = refused(http.post("/v1/curricula/s1/step", step(report("b1", sel.get(0), "[1,0,1]"), 2)), "a step with 3 rewards for 4 rollouts", 400,
                "outcomes[0].rewards");
        assertThat(e).contains("allotted 4 rollouts");
        // the same refusal as a batch item; the next item, a report of 1 reward for 4 rollouts, is refused on its own
        Http.Response b = http.post("/v1/batch", "{\"requests\":[{\"curriculum\":\"s1\",\"op\":\"step\",\"body\":"
                + step(report("b1", never, "[1,1,0,0]"), 2) + "},{\"curriculum\":\"s1\",\"op\":\"report\",\"body\":" + report("b9", sel.get(0), "[0]") + "}]}");
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        JsonNode first = b.json().get("responses").get(0);
        assertThat(first.get("status").asInt()).as(first.toString()).isEqualTo(400);
        assertThat(first.get("body").get("field").asText()).isEqualTo("outcomes[0].taskId");
        assertThat(b.json().get("responses").get(1).get("body").get("field").asText()).isEqualTo("outcomes[0].rewards");
        assertThat(http.get("/v1/curricula/s1/stats").body()).as("no part of a refused step applied").isEqualTo(stats);
        assertThat(http.get("/v1/curricula/s1/log").body()).isEqualTo(log);
        // the batch id was not used up: the right step under it is applied, its next part drawn
        Http.Response ok = http.post("/v1/curricula/s1/step", step(report("b1", sel.get(0), "[1,0,1,0]", sel.get(1), "[0,0,0,1]"), 2));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Proxima-Replayed")).isEmpty();
        assertThat(ok.json().get("report").has("flagged")).isFalse();
        assertThat(ok.json().get("next").get("tasks")).hasSize(2);
    }
}
