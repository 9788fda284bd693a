package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What the HTTP tests share: a server on a free port over a temporary data directory, and the checks every route test makes. */
abstract class ServerHarness {
    @TempDir
    Path dir;
    ProximaServer server;
    Http http;

    void start(ServerOptions o) {
        server = ProximaServer.start(o);
        http = new Http(server.port(), o.token());
    }

    /** Small body limits, so the 413 cases stay small. */
    void start(Durability d) {
        start(ServerOptions.of(dir, 0).withDurability(d).withMaxBody(64 * 1024, 1 << 20));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /**
     * Posts {@code body} to {@code path} from {@code clients} threads at once (a trainer's retries):
     * every answer is a 200 with the very same bytes, and exactly one was applied (not marked replayed).
     */
    void postConcurrently(ExecutorService pool, String path, String body, int clients) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> fs = new ArrayList<>();
        for (int k = 0; k < clients; k++) fs.add(pool.submit(() -> {
            go.await();
            return http.post(path, body);
        }));
        go.countDown();
        String first = null;
        int fresh = 0;
        for (Future<Http.Response> f : fs) {
            Http.Response r = f.get();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            if (first == null) first = r.body();
            assertThat(r.body()).isEqualTo(first);
            if (r.headers().firstValue("Proxima-Replayed").isEmpty()) fresh++;
        }
        assertThat(fresh).isEqualTo(1);
    }

    /** Checks a refused request ({@code what} describes it): its status, its field and a non-blank error; returns the error. */
    static String refused(Http.Response r, String what, int status, String field) {
        assertThat(r.status()).as(what + " → " + r.body()).isEqualTo(status);
        JsonNode e = r.json();
        assertThat(e.get("error").asText()).as(what).isNotBlank();
        assertThat(e.get("field").asText()).as(what + " → " + r.body()).isEqualTo(field);
        return e.get("error").asText();
    }
}
