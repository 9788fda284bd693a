package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's routes over HTTP: open static files, token on data, bad parameters, CSV, kinds. */
class DashboardRoutesTest extends ServerHarness {
    @Test
    void theStaticFilesAreOpenTheDataIsNot() {
        start(ServerOptions.of(dir, 0).withToken("t0ken"));
        Http anonymous = new Http(server.port());
        for (String f : List.of("/", "/dashboard/dashboard.js", "/dashboard/uPlot.iife.min.js", "/dashboard/uPlot.min.css",
                "/dashboard/dashboard.css", "/dashboard/config.json", "/dashboard/uPlot.LICENSE")) {
            assertThat(anonymous.get(f).status()).as(f).isEqualTo(200);
        }
        assertThat(anonymous.get("/dashboard/config.json").json().get("tokenRequired").asBoolean()).isTrue();
        Http.Response page = anonymous.get("/");
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").contains("connect-src 'self'");
        assertThat(page.body()).contains("/dashboard/uPlot.iife.min.js").doesNotContain("http://").doesNotContain("https://");
        refused(anonymous.get("/dashboard/secret.txt"), "an unknown file", 404, "path");
        refused(anonymous.get("/dashboard/..%2Fopenapi.json"), "a path out of the folder", 404, "path");
        for (String data : List.of("/v1/dashboard/curricula", "/v1/curricula/x/history", "/v1/curricula/x/history.csv",
                "/v1/curricula/x/selections", "/v1/curricula/x/task-history?taskId=a")) {
            refused(anonymous.get(data), data + " without the token", 401, "Authorization");
        }
        assertThat(http.get("/v1/dashboard/curricula").json().get("curricula").size()).isZero();
        assertThat(new Http(server.port()).get("/dashboard/config.json").status()).isEqualTo(200);
    }

    @Test
    void withoutATokenThePageSaysSo() {
        start(ServerOptions.of(dir, 0));
        assertThat(http.get("/dashboard/config.json").json().get("tokenRequired").asBoolean()).isFalse();
    }

    @Test
    void badParametersAndUnknownThingsAreRefusedNamingTheField() {
        start(ServerOptions.of(dir, 0));
        refused(http.get("/v1/curricula/nope/history"), "unknown curriculum", 404, "id");
        refused(http.get("/v1/curricula/nope/history.csv"), "unknown curriculum (CSV)", 404, "id");
        new DashboardTrainer(http, "d", "sec", 3, 3, 1).run(3);
        refused(http.get("/v1/curricula/d/history?last=0"), "last=0", 400, "last");
        refused(http.get("/v1/curricula/d/history?last=many"), "last=many", 400, "last");
        refused(http.get("/v1/curricula/d/selections?order=best"), "order=best", 400, "order");
        refused(http.get("/v1/curricula/d/selections?limit=0"), "limit=0", 400, "limit");
        refused(http.get("/v1/curricula/d/selections?limit=1001"), "limit=1001", 400, "limit");
        refused(http.get("/v1/curricula/d/task-history"), "no taskId", 400, "taskId");
        refused(http.get("/v1/curricula/d/task-history?taskId=none"), "unknown task", 404, "taskId");
        assertThat(http.post("/v1/curricula", ContinuousServerTest.create("w", ContinuousServerTest.CONFIG)).status()).isEqualTo(201);
        refused(http.get("/v1/curricula/w/selections"), "selections of a continuous curriculum", 409, "kind");
        refused(http.get("/v1/curricula/w/task-history?taskId=1"), "task history of a continuous curriculum", 409, "kind");
        assertThat(http.get("/v1/curricula/w/history").json().get("kind").asText()).isEqualTo("continuous");
    }

    @Test
    void theRoutesAnswerWhatTheTrainerDid() throws Exception {
        start(ServerOptions.of(dir, 0));
        DashboardTrainer t = new DashboardTrainer(http, "run", "dump", 4, 4, 8);
        t.run(9);
        JsonNode h = http.get("/v1/curricula/run/history?last=4").json();
        assertThat(h.get("steps").asInt()).isEqualTo(9);
        assertThat(h.get("series").get("step").toString()).isEqualTo("[6,7,8,9]");
        assertThat(h.get("series").get("rolloutsTotal").get(3).asLong()).isEqualTo(9 * 4 * 8);
        Http.Response csv = http.get("/v1/curricula/run/history.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().split("\r\n")).hasSize(1 + 9);
        // selections: the trainer's own counts
        JsonNode most = http.get("/v1/curricula/run/selections?order=most&limit=1000").json();
        assertThat(most.get("matched").asInt()).isEqualTo(12);
        for (JsonNode task : most.get("tasks")) {
            assertThat(task.get("selected").asInt()).as(task.get("id").asText()).isEqualTo(t.drawn.getOrDefault(task.get("id").asText(), 0));
            assertThat(task.get("reported").asInt()).isEqualTo(t.reported.getOrDefault(task.get("id").asText(), 0));
        }
        JsonNode search = http.get("/v1/curricula/run/selections?q=EASY&limit=2").json();
        assertThat(search.get("matched").asInt()).isEqualTo(4);
        assertThat(search.get("tasks").size()).isEqualTo(2);
        // one task's history: the trainer's counts, and the pass rate the curriculum estimates now
        String id = most.get("tasks").get(0).get("id").asText();
        JsonNode th = http.get("/v1/curricula/run/task-history?taskId=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(th.get("selections").size()).isEqualTo(t.drawn.get(id));
        assertThat(th.get("reports").size()).isEqualTo(t.reported.get(id));
        assertThat(th.get("passRate").asDouble()).isEqualTo(most.get("tasks").get(0).get("passRate").asDouble());
        JsonNode reports = th.get("reports");
        assertThat(reports.get(reports.size() - 1).get("passRateAfter").asDouble()).isEqualTo(th.get("passRate").asDouble());
        // the summary and the last report time
        JsonNode s = http.get("/v1/dashboard/curricula").json().get("curricula").get(0);
        assertThat(s.get("id").asText()).isEqualTo("run");
        assertThat(s.get("reports").asLong()).isEqualTo(9 * 4);
        assertThat(s.get("lastReportAt").asLong()).isPositive();
        // a report inside a /v1/batch request is timed too
        assertThat(http.post("/v1/curricula", "{\"id\":\"fleet\",\"config\":{\"recipe\":\"uniform\",\"seed\":1}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/fleet/tasks", "[{\"id\":\"q\"}]").status()).isEqualTo(200);
        JsonNode fleet = http.get("/v1/dashboard/curricula").json().get("curricula").get(0);
        assertThat(fleet.get("id").asText()).isEqualTo("fleet");
        assertThat(fleet.get("lastReportAt").isNull()).as("never reported").isTrue();
        JsonNode items = http.post("/v1/batch", "{\"requests\":[{\"curriculum\":\"fleet\",\"op\":\"report\",\"body\":"
                + "{\"outcomes\":[{\"taskId\":\"q\",\"rewards\":[1,0]}]}}]}").json().get("responses");
        assertThat(items.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(http.get("/v1/dashboard/curricula").json().get("curricula").get(0).get("lastReportAt").asLong()).isPositive();
        // a restore to a checkpoint: the history starts over from the log
        assertThat(http.post("/v1/curricula/run/checkpoints", "{\"step\": 4}").status()).isEqualTo(201);
        t.run(2);
        assertThat(http.get("/v1/curricula/run/history").json().get("steps").asInt()).isEqualTo(11);
        assertThat(http.post("/v1/curricula/run/checkpoints/4/restore", "{}").status()).isEqualTo(200);
        assertThat(http.get("/v1/curricula/run/history").json().get("steps").asInt()).isEqualTo(9);
    }
}
