package io.proxima.server;

import io.proxima.store.Durability;
import io.proxima.store.Faults;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 3: clients that send a report's headers and then trickle its body must not starve
 * the others. Many more trickling connections than the server has threads are kept open (each
 * one reconnected as soon as the server drops it) while a normal client works; the normal client
 * is answered — the test asserts that it is answered at all, within the HTTP client's generous
 * timeout, not how fast.
 */
class SlowClientTest extends ServerHarness {
    /** Threads 40, of which 8 may wait for bodies; a body gets 1.5 s plus 1 s per 16 KiB. */
    private static final HttpLimits SMALL = new HttpLimits(1500, 16 * 1024, 8, 40);

    private static final String REPORT = "{\"outcomes\": [{\"taskId\": \"t1\", \"rewards\": [1, 0]}]}";

    private void startSmall() {
        start(ServerOptions.of(dir, 0).withDurability(Durability.SYNC).withHttp(SMALL));
        assertThat(http.post("/v1/curricula", "{\"id\":\"a\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/a/tasks", ServerTest.tasksJson(10)).status()).isEqualTo(200);
    }

    /** A connection that sent the head of a report and one byte of its body (of 1000 declared). */
    private Socket trickler() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(50);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/curricula/a/report HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    @Test
    void tricklingBodiesDoNotStarveNormalRequests() throws Exception {
        startSmall();
        int connections = 120; // three times the handler threads
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < connections; i++) slow.add(trickler());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger dropped = new AtomicInteger();
        Thread trickle = new Thread(() -> {
            // one byte per connection every 250 ms, forever; a connection the server answered or closed is opened again
            while (!stop.get()) {
                for (int i = 0; i < slow.size() && !stop.get(); i++) {
                    Socket s = slow.get(i);
                    try {
                        if (s.getInputStream().available() > 0) throw new IOException("answered: refused"); // 503 or 408
                        s.getOutputStream().write(' ');
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        dropped.incrementAndGet();
                        try {
                            s.close();
                            slow.set(i, trickler());
                        } catch (IOException again) {
                            // the next round retries
                        }
                    }
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickler");
        trickle.start();
        try {
            Thread.sleep(1000); // let the trickle take every slot it can
            SplittableRandom rnd = new SplittableRandom(3);
            for (int round = 0; round < 6; round++) {
                assertThat(http.get("/healthz").status()).isEqualTo(200);
                Http.Response sel = http.post("/v1/curricula/a/next", Http.next(2, null));
                assertThat(sel.status()).as(sel.body()).isEqualTo(200);
                Http.Response rep = http.post("/v1/curricula/a/report", ServerTest.reportJson("probe-" + round, sel.json(), rnd));
                assertThat(rep.status()).as(rep.body()).isEqualTo(200);
                assertThat(http.get("/v1/curricula/a/stats").status()).isEqualTo(200);
            }
        } finally {
            stop.set(true);
            trickle.join();
            for (Socket s : slow) s.close();
        }
        // the server refused the tricklers (503 at once beyond the slots, 408 once a body's time was spent) and dropped them
        assertThat(dropped.get()).isGreaterThan(0);
        assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isEqualTo(12);
    }

    /**
     * Trainer calls are answered by the store's committer once durable (ProximaServer.later): a
     * client that sends calls but never reads their answers must not stall it. One connection
     * pipelines 100 {@code next} calls of ~100 KB answers each (far more than the socket buffers
     * hold) and reads nothing; another client's calls are answered meanwhile. The write timeout is
     * longer than the HTTP client's, so an answer write that blocked the committer would fail
     * the test rather than only slow it down.
     */
    @Test
    void aClientThatDoesNotReadItsAnswersDelaysOnlyItself() throws Exception {
        start(ServerOptions.of(dir, 0).withDurability(Durability.SYNC).withHttp(new HttpLimits(120_000, 16 * 1024, 8, 40)));
        assertThat(http.post("/v1/curricula", "{\"id\":\"a\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/a/tasks", ServerTest.tasksJson(4000)).status()).isEqualTo(200);
        Socket deaf = new Socket();
        deaf.setReceiveBufferSize(4096);
        deaf.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        try {
            byte[] body = Http.next(4000, null).getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /v1/curricula/a/next HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            OutputStream out = deaf.getOutputStream();
            for (int i = 0; i < 100; i++) {
                out.write(head);
                out.write(body);
            }
            out.flush();
            // the server works through the pipeline until the socket buffers are full, then waits for the reader
            int seen = -1;
            for (int polls = 0; polls < 300; polls++) {
                Thread.sleep(200);
                int batches = http.get("/v1/curricula/a").json().get("batches").asInt();
                if (batches == seen && batches > 0) break;
                seen = batches;
            }
            SplittableRandom rnd = new SplittableRandom(5);
            for (int round = 0; round < 6; round++) {
                Http.Response sel = http.post("/v1/curricula/a/next", Http.next(2, null));
                assertThat(sel.status()).as(sel.body()).isEqualTo(200);
                Http.Response rep = http.post("/v1/curricula/a/report", ServerTest.reportJson("heard-" + round, sel.json(), rnd));
                assertThat(rep.status()).as(rep.body()).isEqualTo(200);
            }
            // the deaf client's answers are still waiting for it: it was not cut off to free the others
            assertThat(deaf.isClosed()).isFalse();
            assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isEqualTo(12); // two outcomes per report
        } finally {
            deaf.close();
        }
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    /**
     * A trainer call waits for its commit without a thread (ProximaServer.later): a commit slower
     * than the body timeout (Jetty's idle timeout while a request is handled) is still answered
     * 200 once it is durable — no timeout answers a call that then commits — and applied once.
     */
    @Test
    void aCommitSlowerThanTheIdleTimeoutIsAnsweredOnceDurable() throws Exception {
        AtomicBoolean slowDisk = new AtomicBoolean();
        Faults faults = (stage, curriculum, op) -> {
            if (stage == Faults.Stage.COMMIT && slowDisk.get() && "a".equals(curriculum)) {
                try {
                    Thread.sleep(3 * SMALL.bodyTimeoutMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServerOptions o = ServerOptions.of(dir, 0).withDurability(Durability.GROUP).withHttp(SMALL);
        server = ProximaServer.start(o, faults);
        http = new Http(server.port(), null);
        assertThat(http.post("/v1/curricula", "{\"id\":\"a\",\"config\":{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/a/tasks", ServerTest.tasksJson(10)).status()).isEqualTo(200);
        slowDisk.set(true);
        Http.Response sel = http.post("/v1/curricula/a/next", Http.next(2, "slow-next"));
        assertThat(sel.status()).as(sel.body()).isEqualTo(200);
        String step = ServerTest.reportJson("slow-step", sel.json(), new SplittableRandom(9));
        step = step.substring(0, step.length() - 1) + ",\"n\":2}";
        Http.Response first = http.post("/v1/curricula/a/step", step);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        slowDisk.set(false);
        Http.Response again = http.post("/v1/curricula/a/step", step);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Proxima-Replayed")).contains("true");
        assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isEqualTo(2);
    }

    @Test
    void aTrickledBodyIsRefusedWith408AndABodyBeyondTheSlotsWith503() throws Exception {
        startSmall();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < SMALL.maxWaitingBodies(); i++) held.add(trickler());
            Thread.sleep(300); // every slot taken
            Socket extra = trickler();
            extra.setSoTimeout(60_000);
            RawHttp.Response busy = RawHttp.read(extra.getInputStream());
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(busy.json().get("field").asText()).isEqualTo("body");
            extra.close();
            // the held ones keep trickling until their time is spent: 408 naming the body
            Socket first = held.get(0);
            first.setSoTimeout(60_000);
            RawHttp.Response slow;
            while (true) {
                first.getOutputStream().write(' ');
                first.getOutputStream().flush();
                if (first.getInputStream().available() > 0) break;
                Thread.sleep(200);
            }
            slow = RawHttp.read(first.getInputStream());
            assertThat(slow.status()).isEqualTo(408);
            assertThat(slow.json().get("field").asText()).isEqualTo("body");
            assertThat(slow.json().get("error").asText()).contains("too slowly");
        } finally {
            for (Socket s : held) s.close();
        }
        // a body that stops arriving altogether: 408 after the body timeout, without a byte more
        try (Socket silent = trickler()) {
            silent.setSoTimeout(60_000);
            RawHttp.Response r = RawHttp.read(silent.getInputStream());
            assertThat(r.status()).isEqualTo(408);
        }
        assertThat(http.get("/v1/curricula/a/stats").json().get("reports").asInt()).isZero();
        assertThat(http.post("/v1/curricula/a/report", REPORT).status()).isEqualTo(200); // slots are free again
    }
}
