package io.proxima.server;

import io.proxima.store.Durability;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 item 9: refusals made below the routes, wrong methods, latency metrics, the port in use, recovery in the log. */
class HttpFramingTest extends ServerHarness {

    private RawHttp.Response raw(String request) {
        return RawHttp.exchange(server.port(), request);
    }

    private String host() {
        return "Host: 127.0.0.1:" + server.port() + "\r\n";
    }

    private static void isJsonError(RawHttp.Response r, String what, int status, String field) {
        assertThat(r.status()).as(what + " → " + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
        assertThat(r.body()).as(what).doesNotContain("<html", "<h2");
        assertThat(r.json().get("error").asText()).as(what).isNotBlank();
        assertThat(r.json().get("field").asText()).as(what + " → " + r.body()).isEqualTo(field);
    }

    @Test
    void refusalsOfJettyItselfAreJsonNamingThePart() {
        start(Durability.SYNC);
        isJsonError(raw("GET /v1/curricula/%zz HTTP/1.1\r\n" + host() + "\r\n"), "bad escape", 400, "request"); // Jetty's parser says no more
        isJsonError(raw("GET /v1/curricula/" + "x".repeat(20_000) + " HTTP/1.1\r\n" + host() + "\r\n"), "long URI", 414, "path");
        isJsonError(raw("GET /healthz HTTP/1.1\r\n" + host() + "X-Big: " + "y".repeat(20_000) + "\r\n\r\n"), "big header", 431, "headers");
        isJsonError(raw("POST /v1/curricula HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}"),
                "bad Content-Length", 400, "Content-Length");
        isJsonError(raw("POST /v1/curricula HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                "two Content-Lengths", 400, "Content-Length");
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        start(Durability.SYNC);
        Object[][] cases = {
                {"PUT", "/v1/curricula", "GET, POST"},
                {"GET", "/v1/curricula/a/next", "POST"},
                {"DELETE", "/healthz", "GET"},
                {"POST", "/v1/curricula/a", "DELETE, GET"},
                {"PATCH", "/v1/curricula/a/checkpoints/", "GET, POST"},
                {"GET", "/v1/curricula/a/checkpoints/3/restore", "POST"},
        };
        for (Object[] c : cases) {
            RawHttp.Response r = raw(RawHttp.request((String) c[0], (String) c[1], "127.0.0.1:" + server.port(), "", null));
            isJsonError(r, c[0] + " " + c[1], 405, "method");
            assertThat(r.header("Allow")).as(c[0] + " " + c[1]).isEqualTo(c[2]);
        }
        isJsonError(raw(RawHttp.request("GET", "/v1/nothing", "127.0.0.1:" + server.port(), "", null)), "no route", 404, "path");
        isJsonError(raw(RawHttp.request("GET", "/v1/curricula/a/b/c/d/e", "127.0.0.1:" + server.port(), "", null)), "no route", 404, "path");
    }

    @Test
    void latencyIsAHistogramThatKeepsItsCounts() {
        start(Durability.SYNC);
        for (int i = 0; i < 5; i++) http.get("/v1/curricula");
        http.get("/v1/curricula/none");
        String m = http.get("/metrics").body();
        String series = "proxima_requests_seconds_bucket{method=\"GET\",route=\"/v1/curricula\",status=\"200\",le=\"";
        assertThat(m).contains(series + "5.0E-4\"}", series + "0.005\"}", series + "10.0\"}", series + "+Inf\"} 5");
        assertThat(m).contains("proxima_requests_seconds_count{method=\"GET\",route=\"/v1/curricula/{id}\",status=\"404\"} 1");
        assertThat(m).doesNotContain("quantile=");
        // buckets are cumulative: non-decreasing in le, the last equal to the count
        double last = -1;
        for (String line : m.lines().filter(l -> l.startsWith(series)).toList()) {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            assertThat(v).isGreaterThanOrEqualTo(last);
            last = v;
        }
        assertThat(last).isEqualTo(5.0);
    }

    @Test
    void aPortInUseFailsAtOnceWithOneLineAndLeavesTheDataDirFree() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> ProximaServer.start(ServerOptions.of(dir, port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": the port is in use")
                    .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        }
        start(ServerOptions.of(dir, 0)); // the data directory was not left locked
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void recoveryIsSummedUpInOneLine() {
        start(ServerOptions.of(dir, 0).withStore(io.proxima.store.StoreOptions.DEFAULTS.withSnapshotEvery(3)));
        for (String id : List.of("a", "b")) {
            assertThat(http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status()).isEqualTo(201);
            assertThat(http.post("/v1/curricula/" + id + "/tasks", ServerTest.tasksJson(6)).status()).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) assertThat(http.post("/v1/curricula/a/next", Http.next(1, null)).status()).isEqualTo(200);
        server.close();
        server = null;
        try (io.proxima.store.Curricula store = io.proxima.store.Curricula.open(dir, io.proxima.store.StoreOptions.DEFAULTS)) {
            // a: 5 events, the snapshot at 3, so 2 replayed; b: 1 event, none snapshotted
            assertThat(ProximaServer.recoverySummary(store.recovered(), 42_000_000))
                    .isEqualTo("recovered 2 curricula in 42 ms: 6 events, 3 of them replayed from the log after the newest snapshots; 0 quarantined tails");
        }
    }
}
