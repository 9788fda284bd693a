package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants over HTTP: each tenant works in its own namespace (the same id in two tenants is two
 * curricula), and one tenant can neither read, write, list, delete nor detect another's curricula —
 * on every route, batch item, metric and dashboard route, another tenant's id is answered exactly as
 * an id nobody has. An admin sees every curriculum under its stored id ({@code tenant~id}).
 */
class TenantIsolationTest {
    private static final String TOKENS = "tok-a alpha\ntok-b beta\ntok-root ops admin\n";
    private static final String DISCRETE = "{\"recipe\":\"%s\",\"seed\":%d,\"rollouts\":4}";

    @TempDir
    Path dir;
    ProximaServer server;
    Http a;
    Http b;
    Http admin;

    @BeforeEach
    void start() {
        start(ServerOptions.of(dir, 0).withTenants(Tenants.parse(TOKENS, "test tokens")));
    }

    private void start(ServerOptions o) {
        server = ProximaServer.start(o);
        a = new Http(server.port(), "tok-a");
        b = new Http(server.port(), "tok-b");
        admin = new Http(server.port(), "tok-root");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static void create(Http h, String id, String recipe, int seed, int tasks) {
        Http.Response r = h.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":" + DISCRETE.formatted(recipe, seed) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("id").asText()).isEqualTo(id);
        assertThat(h.post("/v1/curricula/" + id + "/tasks", ServerTest.tasksJson(tasks)).status()).isEqualTo(200);
    }

    /** A's curriculum "secret" with some history: selections, a report, a checkpoint. */
    private void aHasASecret() {
        create(a, "secret", "odf", 3, 9);
        JsonNode sel = a.post("/v1/curricula/secret/next", Http.next(3, null)).json();
        assertThat(a.post("/v1/curricula/secret/report", ServerTest.reportJson("r1", sel, new SplittableRandom(1))).status()).isEqualTo(200);
        assertThat(a.post("/v1/curricula/secret/checkpoints", "{\"step\":1}").status()).isEqualTo(201);
    }

    @Test
    void twoTenantsCreateTheSameIdIndependently() {
        create(a, "run", "odf", 1, 6);
        create(b, "run", "sec", 2, 4);
        assertThat(a.get("/v1/curricula/run").json().get("recipe").asText()).isEqualTo("odf");
        assertThat(b.get("/v1/curricula/run").json().get("recipe").asText()).isEqualTo("sec");
        assertThat(a.get("/v1/curricula/run").json().get("tasks").asInt()).isEqualTo(6);
        assertThat(b.get("/v1/curricula/run").json().get("tasks").asInt()).isEqualTo(4);
        // each tenant's draws are its own curriculum's, and the answers name its own id
        assertThat(b.post("/v1/curricula/run/next", Http.next(2, null)).status()).isEqualTo(200);
        assertThat(a.get("/v1/curricula/run/stats").json().get("selections").asLong()).isZero();
        assertThat(b.get("/v1/curricula/run/stats").json().get("id").asText()).isEqualTo("run");
        // a create again is answered with the caller's own curriculum, and its conflicts name its own id only
        Http.Response again = a.post("/v1/curricula", "{\"id\":\"run\",\"config\":" + DISCRETE.formatted("odf", 1) + "}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo("run");
        Http.Response conflict = a.post("/v1/curricula", "{\"id\":\"run\",\"config\":" + DISCRETE.formatted("odf", 9) + "}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).contains("'run'").doesNotContain("alpha").doesNotContain("~");
        // deleting one leaves the other
        assertThat(b.delete("/v1/curricula/run").json().get("deleted").asText()).isEqualTo("run");
        assertThat(b.get("/v1/curricula/run").status()).isEqualTo(404);
        assertThat(a.get("/v1/curricula/run").status()).isEqualTo(200);
    }

    /** Every route naming a curriculum: method, path after /v1/curricula/{id}, body (null: none). */
    private static List<String[]> curriculumRoutes() {
        String outcomes = "\"outcomes\":[{\"taskId\":\"t0\",\"rewards\":[1,0,1,0]}]";
        return List.of(
                new String[] {"GET", "", null},
                new String[] {"POST", "/next", Http.next(1, null)},
                new String[] {"POST", "/report", "{\"batchId\":\"x\"," + outcomes + "}"},
                new String[] {"POST", "/step", "{\"batchId\":\"y\"," + outcomes + ",\"n\":1}"},
                new String[] {"POST", "/tasks", ServerTest.tasksJson(2)},
                new String[] {"POST", "/checkpoints", "{\"step\":1}"},
                new String[] {"GET", "/checkpoints", null},
                new String[] {"POST", "/checkpoints/1/restore", "{}"},
                new String[] {"GET", "/log", null},
                new String[] {"GET", "/stats", null},
                new String[] {"GET", "/history", null},
                new String[] {"GET", "/history.csv", null},
                new String[] {"GET", "/selections", null},
                new String[] {"GET", "/task-history?taskId=t0", null},
                new String[] {"DELETE", "", null});
    }

    private static Http.Response call(Http h, String method, String path, String body) {
        if (method.equals("GET")) return h.get(path);
        if (method.equals("DELETE")) return h.delete(path);
        return h.post(path, body);
    }

    @Test
    void anotherTenantsIdIsAnsweredExactlyAsAMissingOneOnEveryRoute() {
        aHasASecret();
        create(b, "mine", "odf", 3, 9); // B has curricula of its own too
        String before = admin.get("/v1/curricula/alpha~secret").body();
        for (String[] r : curriculumRoutes()) {
            Http.Response theirs = call(b, r[0], "/v1/curricula/secret" + r[1], r[2]);
            Http.Response nobodys = call(b, r[0], "/v1/curricula/nobody" + r[1], r[2]);
            String what = r[0] + " " + r[1];
            assertThat(theirs.status()).as(what + " → " + theirs.body()).isEqualTo(404);
            assertThat(theirs.body().replace("secret", "nobody")).as(what).isEqualTo(nobodys.body());
            assertThat(theirs.headers().map().keySet()).as(what).isEqualTo(nobodys.headers().map().keySet());
            assertThat(theirs.json().get("field").asText()).as(what).isEqualTo("id");
        }
        // a batch: its items on A's id are refused as on a missing id, and the one on B's own id is served
        String items = "{\"requests\":[{\"curriculum\":\"secret\",\"op\":\"next\",\"body\":{\"n\":1}},"
                + "{\"curriculum\":\"nobody\",\"op\":\"next\",\"body\":{\"n\":1}},"
                + "{\"curriculum\":\"secret\",\"op\":\"report\",\"body\":{\"batchId\":\"z\",\"outcomes\":[{\"taskId\":\"t0\",\"rewards\":[1,1,1,1]}]}},"
                + "{\"curriculum\":\"secret\",\"op\":\"step\",\"body\":{\"batchId\":\"w\",\"outcomes\":[{\"taskId\":\"t0\",\"rewards\":[1,1,1,1]}],\"n\":1}},"
                + "{\"curriculum\":\"mine\",\"op\":\"next\",\"body\":{\"n\":1}}]}";
        JsonNode responses = b.post("/v1/batch", items).json().get("responses");
        for (int i : new int[] {0, 2, 3}) {
            assertThat(responses.get(i).get("status").asInt()).isEqualTo(404);
            assertThat(responses.get(i).get("body").toString().replace("secret", "nobody")).isEqualTo(responses.get(1).get("body").toString());
        }
        assertThat(responses.get(4).get("status").asInt()).isEqualTo(200);
        // nothing B did changed A's curriculum: A still has it, with the same events
        assertThat(admin.get("/v1/curricula/alpha~secret").body()).isEqualTo(before);
        assertThat(a.get("/v1/curricula/secret").status()).isEqualTo(200);
        assertThat(a.get("/v1/curricula/secret/checkpoints").json().get("checkpoints")).hasSize(1);
        // and B's ids cannot reach outside its namespace, not even by spelling a stored id
        assertThat(b.get("/v1/curricula/alpha~secret").status()).isEqualTo(404);
        assertThat(b.get("/v1/curricula/alpha~secret").body()).isEqualTo(b.get("/v1/curricula/nobody").body().replace("nobody", "alpha~secret"));
        Http.Response bad = b.post("/v1/curricula", "{\"id\":\"alpha~secret\",\"config\":" + DISCRETE.formatted("odf", 1) + "}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("id");
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : list.get("curricula")) out.add(c.get("id").asText());
        return out;
    }

    @Test
    void listsMetricsAndTheDashboardShowOnlyTheCallersCurricula() {
        aHasASecret();
        create(a, "shared", "odf", 1, 3);
        create(b, "shared", "odf", 2, 3);
        JsonNode sel = b.post("/v1/curricula/shared/next", Http.next(2, null)).json();
        assertThat(b.post("/v1/curricula/shared/report", ServerTest.reportJson("r", sel, new SplittableRandom(2))).status()).isEqualTo(200);

        assertThat(ids(a.get("/v1/curricula").json())).containsExactlyInAnyOrder("secret", "shared");
        assertThat(ids(b.get("/v1/curricula").json())).containsExactly("shared");
        assertThat(ids(a.get("/v1/dashboard/curricula").json())).containsExactlyInAnyOrder("secret", "shared");
        assertThat(ids(b.get("/v1/dashboard/curricula").json())).containsExactly("shared");
        assertThat(ids(admin.get("/v1/curricula").json())).containsExactlyInAnyOrder("alpha~secret", "alpha~shared", "beta~shared");
        assertThat(ids(admin.get("/v1/dashboard/curricula").json())).containsExactlyInAnyOrder("alpha~secret", "alpha~shared", "beta~shared");

        String mb = b.get("/metrics").body();
        assertThat(mb).doesNotContain("secret").doesNotContain("alpha");
        assertThat(mb).contains("proxima_curricula{tenant=\"beta\"} 1.0");
        assertThat(mb).contains("proxima_outcomes_ingested_total{curriculum=\"shared\",tenant=\"beta\"} 2.0");
        assertThat(mb).contains("proxima_requests_seconds_count"); // server-wide samples stay
        String ma = a.get("/metrics").body();
        assertThat(ma).contains("proxima_curricula{tenant=\"alpha\"} 2.0").contains("curriculum=\"secret\",tenant=\"alpha\"")
                .doesNotContain("tenant=\"beta\"");
        String mAdmin = admin.get("/metrics").body();
        assertThat(mAdmin).contains("proxima_curricula{tenant=\"alpha\"} 2.0").contains("proxima_curricula{tenant=\"beta\"} 1.0")
                .contains("curriculum=\"shared\",tenant=\"alpha\"").contains("curriculum=\"shared\",tenant=\"beta\"");

        // the dashboard's routes show the caller's id
        assertThat(b.get("/v1/curricula/shared/history").json().get("id").asText()).isEqualTo("shared");
        assertThat(b.get("/v1/curricula/shared/selections").json().get("id").asText()).isEqualTo("shared");
        assertThat(b.get("/v1/curricula/shared/task-history?taskId=t0").json().get("id").asText()).isEqualTo("shared");
        assertThat(b.get("/v1/curricula/shared/history.csv").headers().firstValue("Content-Disposition").orElseThrow()).contains("\"shared-history.csv\"");
        assertThat(admin.get("/v1/curricula/beta~shared/history").json().get("id").asText()).isEqualTo("beta~shared");
        assertThat(b.get("/v1/curricula/shared/log").body().lines().findFirst().orElseThrow()).contains("\"id\":\"shared\"");

        // deleting B's "shared" removes B's meters only
        b.delete("/v1/curricula/shared");
        String after = admin.get("/metrics").body();
        assertThat(after).doesNotContain("curriculum=\"shared\",tenant=\"beta\"").contains("curriculum=\"shared\",tenant=\"alpha\"");
        assertThat(after).contains("proxima_curricula{tenant=\"beta\"} 0.0");
    }

    @Test
    void anAdminSeesAndWorksOnEveryTenantsCurriculaByStoredId() {
        create(a, "run", "odf", 1, 4);
        assertThat(admin.get("/v1/curricula/alpha~run").json().get("id").asText()).isEqualTo("alpha~run");
        assertThat(admin.post("/v1/curricula/alpha~run/next", Http.next(2, "adm")).status()).isEqualTo(200);
        assertThat(a.get("/v1/curricula/run/stats").json().get("selections").asLong()).isEqualTo(2);
        // an admin creates in a tenant's namespace, and outside any
        Http.Response made = admin.post("/v1/curricula", "{\"id\":\"beta~given\",\"config\":" + DISCRETE.formatted("odf", 1) + "}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(ids(b.get("/v1/curricula").json())).containsExactly("given");
        assertThat(admin.post("/v1/curricula", "{\"id\":\"plain\",\"config\":" + DISCRETE.formatted("odf", 1) + "}").status()).isEqualTo(201);
        assertThat(ids(a.get("/v1/curricula").json())).containsExactly("run");
        assertThat(admin.get("/metrics").body()).contains("proxima_curricula{tenant=\"\"} 1.0");
        assertThat(a.get("/metrics").body()).doesNotContain("plain").doesNotContain("tenant=\"\"");
        assertThat(admin.post("/v1/curricula", "{\"id\":\"a~b~c\",\"config\":{}}").status()).isEqualTo(400);
        assertThat(admin.delete("/v1/curricula/alpha~run").status()).isEqualTo(200);
        assertThat(a.get("/v1/curricula/run").status()).isEqualTo(404);
    }

    @Test
    void anUnknownTokenIsRefusedAndOpenRoutesStayOpen() {
        Http stranger = new Http(server.port(), "tok-x");
        Http none = new Http(server.port());
        for (Http h : List.of(stranger, none)) {
            assertThat(h.get("/v1/curricula").status()).isEqualTo(401);
            assertThat(h.get("/metrics").status()).isEqualTo(401);
            assertThat(h.post("/v1/batch", "{\"requests\":[]}").status()).isEqualTo(401);
        }
        assertThat(none.get("/healthz").status()).isEqualTo(200);
        assertThat(none.get("/dashboard/config.json").json().get("tokenRequired").asBoolean()).isTrue();
        // a token is matched whole, not by prefix
        assertThat(new Http(server.port(), "tok-a2").get("/v1/curricula").status()).isEqualTo(401);
        assertThat(new Http(server.port(), "tok-").get("/v1/curricula").status()).isEqualTo(401);
    }

    @Test
    void aRestartKeepsEveryNamespace() {
        aHasASecret();
        create(a, "run", "odf", 1, 4);
        create(b, "run", "sec", 2, 5);
        String aRun = a.get("/v1/curricula/run").body();
        String bRun = b.get("/v1/curricula/run").body();
        server.close();
        server = null;
        start(ServerOptions.of(dir, 0).withTenants(Tenants.parse(TOKENS, "test tokens")));
        assertThat(a.get("/v1/curricula/run").body()).isEqualTo(aRun);
        assertThat(b.get("/v1/curricula/run").body()).isEqualTo(bRun);
        assertThat(b.get("/v1/curricula/secret").status()).isEqualTo(404);
        assertThat(ids(b.get("/v1/curricula").json())).containsExactly("run");
        assertThat(b.get("/metrics").body()).doesNotContain("secret");
        assertThat(a.get("/metrics").body()).contains("curriculum=\"secret\",tenant=\"alpha\"");
    }

    @Test
    void curriculaOfADataDirWithoutTenantsAreAnAdminsOnlyAndSingleTokenModeKeepsItsIds() {
        server.close();
        start(ServerOptions.of(dir, 0).withToken("one"));
        Http one = new Http(server.port(), "one");
        create(one, "old", "odf", 1, 3);
        server.close();
        start(ServerOptions.of(dir, 0).withTenants(Tenants.parse(TOKENS, "test tokens")));
        assertThat(ids(admin.get("/v1/curricula").json())).containsExactly("old");
        assertThat(ids(a.get("/v1/curricula").json())).isEmpty();
        assertThat(a.get("/v1/curricula/old").status()).isEqualTo(404);
        create(a, "new", "odf", 1, 3);
        server.close();
        start(ServerOptions.of(dir, 0).withToken("one"));
        one = new Http(server.port(), "one");
        assertThat(ids(one.get("/v1/curricula").json())).containsExactlyInAnyOrder("old", "alpha~new");
        assertThat(one.get("/v1/curricula/old").json().get("id").asText()).isEqualTo("old");
        assertThat(one.get("/metrics").body()).contains("curriculum=\"old\"").doesNotContain("tenant=");
        // single-token mode keeps today's ids: no tenant~ id can be created through it
        assertThat(one.post("/v1/curricula", "{\"id\":\"x~y\",\"config\":{}}").status()).isEqualTo(400);
    }

    @SuppressWarnings("unused")
    private static HttpRequest.Builder raw(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }
}
