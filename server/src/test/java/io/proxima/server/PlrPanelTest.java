package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Durability;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's PLR panel ({@code "plr"} in {@code GET /history}): a PLR curriculum driven over
 * HTTP one task per batch, so that the test knows the order of PLR's picks; it computes on its
 * own side each seen task's score (the last report's mean |r − r̄|, α = 1) and staleness (picks
 * since its last pick), and from them the quantiles and histograms the route must answer, after
 * every step. The panel is rebuilt identically after a restart and appears in the CSV.
 */
class PlrPanelTest extends ServerHarness {
    static final int BINS = 20;
    static final String[] SUMMARY = {"seen", "scoreP10", "scoreMedian", "scoreP90", "scoreMax", "stalenessMedian", "stalenessMax"};

    /** Nearest rank: the value at 1-based position ⌈q·n⌉ of the sorted values; null for none. */
    static Double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return null;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    static long[] histogram(double[] values, double high) {
        long[] counts = new long[BINS];
        for (double v : values) counts[Math.min(BINS - 1, (int) (v / high * BINS))]++;
        return counts;
    }

    static double high(double[] sorted) {
        return sorted.length == 0 || sorted[sorted.length - 1] <= 0 ? 1.0 : sorted[sorted.length - 1];
    }

    static Double[] summary(double[] scores, double[] staleness) {
        return new Double[] {(double) scores.length, quantile(scores, 0.1), quantile(scores, 0.5), quantile(scores, 0.9),
                quantile(scores, 1.0), quantile(staleness, 0.5), quantile(staleness, 1.0)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"plr", "robust-plr"})
    void thePanelShowsTheScoresAndStalenessTheTrainerCanComputeItself(String recipe) throws Exception {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", "{\"id\":\"p\",\"config\":{\"recipe\":\"" + recipe + "\",\"seed\":7,\"rollouts\":8}}").status()).isEqualTo(201);
        StringBuilder tasks = new StringBuilder("[");
        for (int i = 0; i < 9; i++) tasks.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        assertThat(http.post("/v1/curricula/p/tasks", tasks.append("]").toString()).status()).isEqualTo(200);
        JsonNode before = http.get("/v1/curricula/p/history").json().get("plr");
        assertThat(before.get("itemPolicy").asText()).isEqualTo(recipe);
        assertThat(before.get("now").get("seen").asInt()).isZero();
        assertThat(before.get("now").get("scoreMedian").isNull()).as("no score yet").isTrue();

        SplittableRandom rnd = new SplittableRandom(3);
        Map<String, Double> score = new HashMap<>();
        Map<String, Integer> lastPick = new HashMap<>();
        List<Double[]> expectedSeries = new ArrayList<>();
        int steps = 40;
        double[] scores = new double[0];
        double[] staleness = new double[0];
        for (int picks = 0; picks < steps; picks++) {
            JsonNode next = http.post("/v1/curricula/p/next", Http.next(1, null)).json();
            String task = next.get("tasks").get(0).get("id").asText();
            lastPick.put(task, picks);
            int k = rnd.nextInt(9); // successes of 8: mean |r − k/8| = 2k(8 − k)/64, exact in a float
            StringBuilder rewards = new StringBuilder();
            for (int r = 0; r < 8; r++) rewards.append(r == 0 ? "" : ",").append(r < k ? 1 : 0);
            assertThat(http.post("/v1/curricula/p/report", "{\"outcomes\":[{\"taskId\":\"" + task + "\",\"rewards\":[" + rewards + "]}]}").status())
                    .isEqualTo(200);
            score.put(task, 2.0 * k * (8 - k) / 64);
            int c = picks + 1;
            scores = score.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            staleness = score.keySet().stream().mapToDouble(t -> c - lastPick.get(t)).sorted().toArray();
            expectedSeries.add(summary(scores, staleness));
        }

        JsonNode h = http.get("/v1/curricula/p/history").json();
        JsonNode plr = h.get("plr");
        assertThat(plr.get("pipeline").asText()).isEqualTo(recipe);
        assertThat(plr.get("params").get("score").asText()).isEqualTo("absAdvantage");
        assertThat(plr.get("params").get("robust").asBoolean()).isEqualTo(recipe.equals("robust-plr"));
        // per step (a 9-task pool is sampled every step): the quantiles the trainer computes
        for (int k = 0; k < SUMMARY.length; k++) {
            JsonNode series = plr.get("series").get(SUMMARY[k]);
            assertThat(series.size()).isEqualTo(steps);
            for (int s = 0; s < steps; s++) {
                Double want = expectedSeries.get(s)[k];
                assertThat(series.get(s).isNull() ? null : series.get(s).asDouble()).as(SUMMARY[k] + " at step " + (s + 1)).isEqualTo(want);
            }
        }
        // now: the same quantiles and the two histograms
        JsonNode now = plr.get("now");
        assertThat(now.get("tasks").asInt()).isEqualTo(9);
        assertThat(now.get("seen").asInt()).isEqualTo(score.size());
        Double[] last = expectedSeries.get(steps - 1);
        for (int k = 1; k < SUMMARY.length; k++) assertThat(now.get(SUMMARY[k]).asDouble()).as(SUMMARY[k]).isEqualTo(last[k]);
        assertThat(now.get("scoreHigh").asDouble()).isEqualTo(high(scores));
        assertThat(now.get("stalenessHigh").asDouble()).isEqualTo(high(staleness));
        assertThat(longs(now.get("scoreCounts"))).containsExactly(histogram(scores, high(scores)));
        assertThat(longs(now.get("stalenessCounts"))).containsExactly(histogram(staleness, high(staleness)));
        assertThat(Arrays.stream(longs(now.get("scoreCounts"))).sum()).isEqualTo(score.size());

        // the CSV has the same per-step numbers
        String[] lines = http.get("/v1/curricula/p/history.csv").body().split("\r\n");
        List<String> header = List.of(lines[0].split(",", -1));
        for (int s = 0; s < steps; s++) {
            String[] cells = lines[1 + s].split(",", -1);
            for (int k = 0; k < SUMMARY.length; k++) {
                String cell = cells[header.indexOf("plr:" + SUMMARY[k])];
                Double want = expectedSeries.get(s)[k];
                if (want == null) assertThat(cell).isEmpty();
                else assertThat(Double.parseDouble(cell)).isEqualTo(want);
            }
        }

        // rebuilt from the log after a restart: the same panel
        server.close();
        start(Durability.SYNC);
        assertThat(http.get("/v1/curricula/p/history").json().get("plr")).isEqualTo(plr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sec", "odf", "uniform"})
    void aCurriculumWithoutPlrHasNoPanel(String recipe) {
        start(Durability.SYNC);
        new DashboardTrainer(http, "n", recipe, 3, 2, 1).run(3);
        JsonNode h = http.get("/v1/curricula/n/history").json();
        assertThat(h.has("plr")).isFalse();
        assertThat(http.get("/v1/curricula/n/history.csv").body().split("\r\n")[0]).doesNotContain("plr:");
    }

    @org.junit.jupiter.api.Test
    void aMetaTeachersPlrMemberHasThePanel() {
        start(Durability.SYNC);
        assertThat(http.post("/v1/curricula", "{\"id\":\"m\",\"config\":{\"recipe\":\"meta\",\"seed\":2,\"members\":"
                + "[{\"recipe\":\"sec\"},{\"recipe\":\"plr\",\"itemPolicy\":{\"prioritization\":\"power\",\"temperature\":0.5}}]}}").status()).isEqualTo(201);
        StringBuilder tasks = new StringBuilder("[");
        for (int i = 0; i < 12; i++) tasks.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"group\":\"g").append(i % 3).append("\"}");
        assertThat(http.post("/v1/curricula/m/tasks", tasks.append("]").toString()).status()).isEqualTo(200);
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (int s = 0; s < 6; s++) {
            JsonNode next = http.post("/v1/curricula/m/next", Http.next(3, null)).json();
            StringBuilder out = new StringBuilder("{\"outcomes\":[");
            for (int i = 0; i < 3; i++) {
                String id = next.get("tasks").get(i).get("id").asText();
                reported.add(id);
                out.append(i == 0 ? "" : ",").append("{\"taskId\":\"").append(id).append("\",\"rewards\":[1,0,0,0,0,0,0,0]}");
            }
            assertThat(http.post("/v1/curricula/m/report", out.append("]}").toString()).status()).isEqualTo(200);
        }
        JsonNode plr = http.get("/v1/curricula/m/history").json().get("plr");
        assertThat(plr.get("pipeline").asText()).isEqualTo("plr");
        assertThat(plr.get("params").get("prioritization").asText()).isEqualTo("power");
        assertThat(plr.get("params").get("temperature").asDouble()).isEqualTo(0.5);
        // every member observes every report: all reported tasks are seen, each scored 1 of 8: 2·1·7/64
        assertThat(plr.get("now").get("seen").asInt()).isEqualTo(reported.size());
        assertThat(plr.get("now").get("scoreMax").asDouble()).isEqualTo(14.0 / 64);
        assertThat(plr.get("now").get("scoreP10").asDouble()).isEqualTo(14.0 / 64);
        assertThat(longs(plr.get("now").get("scoreCounts"))[BINS - 1]).as("all at the top edge").isEqualTo(reported.size());
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }
}
