package io.proxima.server;

import io.proxima.store.Durability;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutations of valid request bodies, on every mutating route of both kinds of curriculum:
 * no request may crash the server (5xx) or change anything unless it was answered 2xx.
 */
class ServerFuzzTest extends ServerHarness {
    private static final List<String> REPLACEMENTS = List.of("null", "true", "-1", "0", "1e999", "-1e999", "1.5", "9223372036854775808",
            "\"\"", "\"x\"", "\"t1\"", "[]", "{}", "[1,2]", "{\"a\":1}", "NaN", "\"\\u0000\"", "[[[[]]]]", "\"" + "z".repeat(2000) + "\"");

    private static final String NOISE = "{}[]\",:0-e";

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void mutatedBodiesAreRefusedOrAppliedAndNeverHalfApplied(long seed) {
        start(Durability.GROUP);
        assertThat(http.post("/v1/curricula", "{\"id\":\"d\",\"config\":{\"recipe\":\"sec\",\"rollouts\":2,\"seed\":1}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/d/tasks", "[{\"id\":\"t1\",\"group\":\"g\"},{\"id\":\"t2\",\"group\":\"h\"},{\"id\":\"t3\"}]").status()).isEqualTo(200);
        assertThat(http.post("/v1/curricula", "{\"id\":\"c\",\"config\":{\"seed\":2,\"teacher\":{\"type\":\"random\"},"
                + "\"space\":{\"dims\":[{\"name\":\"h\",\"low\":0,\"high\":3},{\"name\":\"w\",\"low\":-1,\"high\":1}]}}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/c/next", "{\"n\":4}").status()).isEqualTo(200);
        String[][] valid = {
                {"/v1/curricula/d/report", "{\"batchId\":\"b\",\"outcomes\":[{\"taskId\":\"t1\",\"rewards\":[1,0],\"tokenLengths\":[10,20],\"step\":3},"
                        + "{\"taskId\":\"t2\",\"rewards\":[0,0],\"loss\":0.5,\"directives\":{\"hint\":0.25}}]}"},
                {"/v1/curricula/d/next", "{\"n\":2,\"requestId\":\"r\"}"},
                {"/v1/curricula/d/tasks", "[{\"id\":\"u1\",\"group\":\"g\",\"priorDifficulty\":0.5,\"features\":[1,2]}]"},
                {"/v1/curricula/c/report", "{\"batchId\":\"b\",\"outcomes\":[{\"taskId\":0,\"returns\":[0.5]},{\"params\":{\"h\":1,\"w\":0},\"returns\":[1,2]},"
                        + "{\"params\":[2,-0.5],\"returns\":[0]}]}"},
                {"/v1/curricula/c/next", "{\"n\":2,\"requestId\":\"r\"}"},
                {"/v1/curricula/d/checkpoints", "{\"step\":5}"},
                {"/v1/curricula", "{\"id\":\"n\",\"config\":{\"recipe\":\"odf\",\"seed\":3}}"},
        };
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] state = {log("d"), log("c")};
        int applied = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            String[] route = valid[rnd.nextInt(valid.length)];
            String body = mutate(route[1], rnd, i);
            Http.Response r = http.post(route[0], body);
            String what = route[0] + " " + body.substring(0, Math.min(300, body.length()));
            assertThat(r.status()).as(what + " → " + r.body()).isBetween(200, 499);
            assertThat(r.json().isObject()).as(what).isTrue();
            if (r.status() >= 400) {
                refused++;
                assertThat(r.json().get("error").asText()).as(what).isNotBlank();
                assertThat(log("d")).as("refused, yet changed: " + what).isEqualTo(state[0]);
                assertThat(log("c")).as("refused, yet changed: " + what).isEqualTo(state[1]);
            } else {
                applied++;
                state[0] = log("d");
                state[1] = log("c");
            }
            if (route[0].equals("/v1/curricula") && r.status() == 201) http.delete("/v1/curricula/n");
        }
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        assertThat(refused).isGreaterThan(100);
        assertThat(applied).isGreaterThan(10);
    }

    /** One mutation of a JSON text: a token replaced, a character dropped or inserted, a cut, a duplicated key, or nothing. */
    private static String mutate(String json, SplittableRandom rnd, int i) {
        String unique = json.replace("\"b\"", "\"b" + i + "\"").replace("\"r\"", "\"r" + i + "\"");
        int at = rnd.nextInt(unique.length());
        return switch (rnd.nextInt(7)) {
            case 0 -> unique; // valid: applied (fresh ids), state moves on
            case 1 -> unique.substring(0, at) + unique.substring(at + 1);
            case 2 -> unique.substring(0, at) + NOISE.charAt(rnd.nextInt(NOISE.length())) + unique.substring(at);
            case 3 -> unique.substring(0, at);
            case 4 -> {
                // replace the value after a random colon or comma
                int c = unique.indexOf(rnd.nextBoolean() ? ':' : ',', at);
                if (c < 0) yield unique + "x";
                int end = c + 1;
                while (end < unique.length() && ",}]".indexOf(unique.charAt(end)) < 0) end++;
                yield unique.substring(0, c + 1) + REPLACEMENTS.get(rnd.nextInt(REPLACEMENTS.size())) + unique.substring(end);
            }
            case 5 -> unique.replaceFirst("\\{\"", "{\"batchId\":\"dup\",\"");
            default -> unique.replace("1", REPLACEMENTS.get(rnd.nextInt(REPLACEMENTS.size())));
        };
    }

    private String log(String id) {
        Http.Response r = http.get("/v1/curricula/" + id + "/log");
        assertThat(r.status()).isEqualTo(200);
        return r.body() + http.get("/v1/curricula/" + id + "/stats").body();
    }
}
