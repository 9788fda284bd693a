package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted trainer for the dashboard tests: a discrete curriculum of three groups (easy, medium,
 * hard: success probabilities 0.9, 0.5, 0.05) driven over HTTP with seeded rewards. It counts, on
 * its own side, how often each task was drawn and reported, so tests can check the dashboard
 * against what the trainer did rather than against the server's own numbers only.
 */
final class DashboardTrainer {
    static final String[] GROUPS = {"easy", "medium", "hard"};
    static final double[] P = {0.9, 0.5, 0.05};

    final Http http;
    final String id;
    final int batch;
    final SplittableRandom rnd;
    final Map<String, Integer> drawn = new HashMap<>();
    final Map<String, Integer> reported = new HashMap<>();
    int steps;

    DashboardTrainer(Http http, String id, String recipe, int tasksPerGroup, int batch, long seed) {
        this.http = http;
        this.id = id;
        this.batch = batch;
        this.rnd = new SplittableRandom(seed);
        Http.Response r = http.post("/v1/curricula", "{\"id\":\"" + id + "\",\"config\":{\"recipe\":\"" + recipe + "\",\"seed\":3,\"rollouts\":8}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        StringBuilder tasks = new StringBuilder("[");
        for (int g = 0; g < GROUPS.length; g++) {
            for (int i = 0; i < tasksPerGroup; i++) {
                tasks.append(tasks.length() > 1 ? "," : "").append("{\"id\":\"").append(GROUPS[g]).append('/').append(i)
                        .append("\",\"group\":\"").append(GROUPS[g]).append("\"}");
            }
        }
        r = http.post("/v1/curricula/" + id + "/tasks", tasks.append("]").toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** {@code n} training steps: next, then a report of every drawn task with one reward per rollout. */
    void run(int n) {
        for (int s = 0; s < n; s++) {
            Http.Response r = http.post("/v1/curricula/" + id + "/next", Http.next(batch, null));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            StringBuilder b = new StringBuilder("{\"batchId\":\"" + id + "-" + steps + "\",\"outcomes\":[");
            int i = 0;
            for (JsonNode t : r.json().get("tasks")) {
                String task = t.get("id").asText();
                drawn.merge(task, 1, Integer::sum);
                reported.merge(task, 1, Integer::sum);
                double p = P[java.util.Arrays.asList(GROUPS).indexOf(task.substring(0, task.indexOf('/')))];
                b.append(i++ == 0 ? "" : ",").append("{\"taskId\":\"").append(task).append("\",\"rewards\":[");
                for (int k = 0; k < t.get("rollouts").asInt(); k++) b.append(k == 0 ? "" : ",").append(rnd.nextDouble() < p ? 1 : 0);
                b.append("]}");
            }
            r = http.post("/v1/curricula/" + id + "/report", b.append("]}").toString());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            steps++;
        }
    }
}
