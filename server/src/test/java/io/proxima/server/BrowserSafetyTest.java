package io.proxima.server;

import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12 item 5: without a token, a web page in a browser on the machine must not be able to
 * change anything (no POST without a JSON Content-Type, which forces a CORS preflight that is never
 * granted) nor read anything through DNS rebinding (only the bind address's Host values).
 */
class BrowserSafetyTest extends ServerHarness {

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private RawHttp.Response raw(String method, String path, String host, String headers, String body) {
        return RawHttp.exchange(server.port(), RawHttp.request(method, path, host, headers, body));
    }

    private void createWithTasks() {
        assertThat(http.post("/v1/curricula", "{\"id\":\"a\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/a/tasks", ServerTest.tasksJson(6)).status()).isEqualTo(200);
        assertThat(http.post("/v1/curricula/a/checkpoints", "{\"step\": 5}").status()).isEqualTo(201);
    }

    /** What a page can send without a preflight: a form or text/plain body, or no Content-Type. */
    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void everyPostNeedsAJsonContentTypeAndChangesNothingWithout(String type) {
        start(Durability.SYNC);
        createWithTasks();
        String log = http.get("/v1/curricula/a/log").body();
        String header = type.isEmpty() ? "" : "Content-Type: " + type + "\r\n";
        String[][] posts = {
                {"/v1/curricula", "{\"id\":\"b\"}"},
                {"/v1/curricula/a/tasks", "[{\"id\":\"z\"}]"},
                {"/v1/curricula/a/next", "{\"n\":1}"},
                {"/v1/curricula/a/report", "{\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1,0]}]}"},
                {"/v1/curricula/a/checkpoints", "{\"step\": 9}"},
                {"/v1/curricula/a/checkpoints/5/restore", ""},
                {"/v1/curricula/a/step", "{\"n\":1}"},
                {"/v1/batch", "{\"requests\":[]}"},
        };
        for (String[] p : posts) {
            RawHttp.Response r = raw("POST", p[0], host(), header, p[1]);
            assertThat(r.status()).as(p[0] + " with '" + type + "' → " + r.body()).isEqualTo(415);
            assertThat(r.json().get("field").asText()).isEqualTo("Content-Type");
            assertThat(r.json().get("error").asText()).contains("application/json");
        }
        assertThat(http.get("/v1/curricula/a/log").body()).isEqualTo(log);
        assertThat(http.get("/v1/curricula").json().get("curricula")).hasSize(1);
    }

    @Test
    void jsonTypesAreAcceptedInAnyCaseWithUtf8AndJsonlOnlyOnUploads() {
        start(Durability.SYNC);
        createWithTasks();
        assertThat(raw("POST", "/v1/curricula/a/next", host(), "Content-Type: Application/JSON; charset=utf-8\r\n", "{\"n\":1}").status()).isEqualTo(200);
        assertThat(raw("POST", "/v1/curricula/a/next", host(), "Content-Type: application/json;charset=\"UTF-8\"\r\n", "{\"n\":1}").status()).isEqualTo(200);
        RawHttp.Response latin = raw("POST", "/v1/curricula/a/next", host(), "Content-Type: application/json; charset=iso-8859-1\r\n", "{\"n\":1}");
        assertThat(latin.status()).isEqualTo(415);
        assertThat(latin.json().get("error").asText()).as(latin.body()).containsIgnoringCase("iso-8859-1");
        for (String jsonl : List.of("application/x-ndjson", "application/jsonl")) {
            RawHttp.Response up = raw("POST", "/v1/curricula/a/tasks", host(), "Content-Type: " + jsonl + "\r\n", "{\"id\":\"" + jsonl + "\"}\n");
            assertThat(up.status()).as(up.body()).isEqualTo(200);
            assertThat(raw("POST", "/v1/curricula/a/next", host(), "Content-Type: " + jsonl + "\r\n", "{\"n\":1}").status()).isEqualTo(415);
        }
        // the restore of a checkpoint has no body, but needs the type all the same (an empty text/plain form could send it)
        assertThat(raw("POST", "/v1/curricula/a/checkpoints/5/restore", host(), "Content-Type: application/json\r\n", "").status()).isEqualTo(200);
    }

    @Test
    void onlyHostValuesOfTheBindAddressAreAnswered() {
        start(Durability.SYNC);
        createWithTasks();
        int port = server.port();
        for (String ok : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port)) {
            assertThat(raw("GET", "/v1/curricula/a", ok, "", null).status()).as(ok).isEqualTo(200);
        }
        // a DNS-rebinding page sends its own name; other ports and interfaces are other origins
        for (String bad : List.of("evil.example:" + port, "evil.example", "localhost:" + (port + 1), "127.0.0.1", "10.0.0.7:" + port,
                "127.0.0.1.nip.io:" + port, "localhost.:" + port)) {
            for (String path : List.of("/healthz", "/v1/curricula", "/v1/curricula/a/log", "/metrics", "/v1/openapi.json")) {
                RawHttp.Response r = raw("GET", path, bad, "", null);
                assertThat(r.status()).as(bad + " " + path).isEqualTo(403);
                assertThat(r.json().get("field").asText()).isEqualTo("Host");
                assertThat(r.body()).doesNotContain("\"a\"");
            }
            RawHttp.Response w = raw("POST", "/v1/curricula/a/next", bad, "Content-Type: application/json\r\n", "{\"n\":1}");
            assertThat(w.status()).isEqualTo(403);
        }
        // Host values that are not host[:port] at all: Jetty's parser refuses them, in the same JSON shape
        for (String broken : List.of(":" + port, "127.0.0.1:x")) {
            RawHttp.Response r = raw("GET", "/v1/curricula", broken, "", null);
            assertThat(r.status()).as(broken).isIn(400, 403);
            assertThat(r.json().get("field").asText()).isNotBlank();
        }
        assertThat(http.get("/v1/curricula/a").json().get("batches").asInt()).isZero();
        // HTTP/1.0 without a Host header is no browser
        RawHttp.Response old = RawHttp.exchange(port, "GET /healthz HTTP/1.0\r\n\r\n");
        assertThat(old.status()).isEqualTo(200);
    }

    @Test
    void allowedHostsAddNamesWithOrWithoutAPort() {
        start(ServerOptions.of(dir, 0).withAllowedHosts(List.of("proxima.lab", "gateway:8443")));
        int port = server.port();
        assertThat(raw("GET", "/healthz", "proxima.lab:" + port, "", null).status()).isEqualTo(200);
        assertThat(raw("GET", "/healthz", "proxima.lab:9999", "", null).status()).isEqualTo(200);
        assertThat(raw("GET", "/healthz", "proxima.lab", "", null).status()).isEqualTo(200);
        assertThat(raw("GET", "/healthz", "gateway:8443", "", null).status()).isEqualTo(200);
        assertThat(raw("GET", "/healthz", "gateway:" + port, "", null).status()).isEqualTo(403);
        assertThat(raw("GET", "/healthz", "evil.example:" + port, "", null).status()).isEqualTo(403);
        server.close();
        start(ServerOptions.of(dir, 0).withAllowedHosts(List.of("*")));
        assertThat(raw("GET", "/healthz", "anything.example", "", null).status()).isEqualTo(200);
    }

    @Test
    void noCorsIsEverGranted() {
        start(Durability.SYNC);
        createWithTasks();
        String preflight = "Origin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n";
        RawHttp.Response r = raw("OPTIONS", "/v1/curricula/a/next", host(), preflight, null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("POST");
        RawHttp.Response get = raw("GET", "/v1/curricula", host(), "Origin: http://evil.example\r\n", null);
        assertThat(get.status()).isEqualTo(200);
        for (RawHttp.Response x : List.of(r, get)) {
            assertThat(x.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
        }
    }

    @Test
    void anEmptyOrUnsendableTokenIsRefusedAtStart() {
        ServerOptions o = ServerOptions.of(dir, 0);
        assertThatThrownBy(() -> o.withToken("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> o.withToken("two words")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character 4");
        assertThatThrownBy(() -> o.withToken("tab\there")).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.withToken("s3cret-_.~+/=").token()).isEqualTo("s3cret-_.~+/=");
    }

    @Test
    void theBearerSchemeIsMatchedInAnyCase() {
        start(ServerOptions.of(dir, 0).withToken("s3cret"));
        for (String ok : List.of("Bearer s3cret", "bearer s3cret", "BEARER s3cret", "bEaReR   s3cret", " Bearer s3cret ")) {
            assertThat(raw("GET", "/v1/curricula", host(), "Authorization: " + ok + "\r\n", null).status()).as(ok).isEqualTo(200);
        }
        for (String bad : List.of("Basic s3cret", "Bearers3cret", "Bearer", "Bearer S3CRET", "Bearer s3cret2", "s3cret")) {
            RawHttp.Response r = raw("GET", "/v1/curricula", host(), "Authorization: " + bad + "\r\n", null);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        // the token is checked before the body's type: no hint to a caller without it
        assertThat(raw("POST", "/v1/curricula", host(), "Content-Type: text/plain\r\n", "{}").status()).isEqualTo(401);
    }
}
