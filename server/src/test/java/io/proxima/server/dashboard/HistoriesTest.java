package io.proxima.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.Curricula;
import io.proxima.store.Durability;
import io.proxima.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The dashboard's history: what a step records, bounds, CSV, rebuilds after a restart, a restore, a trimmed log. */
class HistoriesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MEAN_ADVANTAGE = "{\"recipe\": \"sec\", \"seed\": 5, \"rollouts\": 4, \"advantage\": \"mean\"}";

    @TempDir
    Path dir;

    static List<TaskSpec> pool() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (String g : List.of("a", "b", "c")) for (int i = 0; i < 6; i++) tasks.add(TaskSpec.of(g + "/" + i, g));
        return tasks;
    }

    static Curricula open(Path dir, StoreOptions o) {
        return Curricula.open(dir, o);
    }

    /** {@code steps} next(4) + report rounds with seeded 0/1 rewards; a task of group c always fails. */
    static void drive(Curricula store, String id, int steps, SplittableRandom rnd) {
        for (int s = 0; s < steps; s++) {
            AtomicReference<Selection> sel = new AtomicReference<>();
            store.next(id, 4, null, x -> {
                sel.set(x);
                return new byte[0];
            });
            List<Outcome> outs = new ArrayList<>();
            for (SelectedTask t : sel.get().tasks()) {
                double[] r = new double[t.rollouts()];
                for (int k = 0; k < r.length; k++) r[k] = t.taskId().startsWith("c") ? 0 : rnd.nextInt(2);
                outs.add(Outcome.of(t.taskId(), r));
            }
            store.report(id, null, outs, x -> new byte[0]);
        }
    }

    static JsonNode json(Histories h, String id) throws Exception {
        byte[] b = h.read(id, x -> Json.bytes(g -> x.writeJson(g, Integer.MAX_VALUE)));
        return JSON.readTree(b);
    }

    @Test
    void aStepRecordsWhatItsReportDidWorkedByHand() {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            store.create("w", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            store.addTasks("w", pool());
            AtomicReference<Selection> sel = new AtomicReference<>();
            store.next("w", 3, null, x -> {
                sel.set(x);
                return new byte[0];
            });
            // Report three outcomes by hand, whatever was drawn: a/0 [1,0,1,0] (|A| = 0.5 each), a/1 [1,1,1,0]
            // (mean 0.75: |A| = (3 x 0.25 + 0.75) / 4 = 0.375), b/0 [0,0,0,0] (no signal).
            store.report("w", null, List.of(Outcome.of("a/0", 1, 0, 1, 0), Outcome.of("a/1", 1, 1, 1, 0), Outcome.of("b/0", 0, 0, 0, 0)),
                    x -> new byte[0]);
            Histories histories = new Histories(store, 16, 4);
            StepRow row = histories.read("w", h -> ((DiscreteHistory) h).rows().get(0));
            assertThat(row.step()).isEqualTo(1);
            assertThat(row.seq()).isEqualTo(3); // addTasks, next, report
            assertThat(row.outcomes()).isEqualTo(3);
            assertThat(row.rollouts()).isEqualTo(12);
            assertThat(row.rolloutsTotal()).isEqualTo(12);
            assertThat(row.effectiveRatio()).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(row.meanPassRate()).isCloseTo((0.5 + 0.75 + 0) / 3, within(1e-12));
            assertThat(row.meanAbsAdvantage()[0]).as("group a: (0.5 + 0.375) / 2").isCloseTo(0.4375, within(1e-12));
            assertThat(row.meanAbsAdvantage()[1]).as("group b").isEqualTo(0.0);
            assertThat(row.meanAbsAdvantage()[2]).as("group c: not reported").isNaN();
            // the draws of the next call, counted by group
            int[] drawn = new int[3];
            for (SelectedTask t : sel.get().tasks()) drawn[t.taskId().charAt(0) - 'a']++;
            assertThat(row.selected()).containsExactly(drawn);
            for (int g = 0; g < 3; g++) assertThat(row.share(g)).isCloseTo(drawn[g] / 3.0, within(1e-12));
            // the teacher's probabilities are the live curriculum's after that report
            var stats = store.stats("w");
            for (int g = 0; g < 3; g++) assertThat(row.probability()[g]).isEqualTo(stats.groups().get(g).probability());
            assertThat(row.passRateHistogram()).as("18 tasks, sampled every step").isNotNull();
            assertThat(java.util.Arrays.stream(row.passRateHistogram()).sum()).isEqualTo(18);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void readingAlongOrOnceAtTheEndOrAfterARestartGivesTheSameHistory(long seed) throws Exception {
        byte[] along;
        try (Curricula store = open(dir, StoreOptions.DEFAULTS.withDurability(Durability.GROUP))) {
            store.create("r", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            store.addTasks("r", pool());
            Histories follower = new Histories(store, 64, 4);
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < 30; i++) {
                drive(store, "r", 1, rnd);
                if (i % 7 == 0) follower.read("r", h -> null); // catches up now and then
            }
            along = follower.read("r", h -> Json.bytes(g -> h.writeJson(g, Integer.MAX_VALUE)));
            byte[] once = new Histories(store, 64, 4).read("r", h -> Json.bytes(g -> h.writeJson(g, Integer.MAX_VALUE)));
            assertThat(new String(once, StandardCharsets.UTF_8)).isEqualTo(new String(along, StandardCharsets.UTF_8));
        }
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            byte[] restarted = new Histories(store, 64, 4).read("r", h -> Json.bytes(g -> h.writeJson(g, Integer.MAX_VALUE)));
            assertThat(new String(restarted, StandardCharsets.UTF_8)).as("rebuilt from the log after a restart")
                    .isEqualTo(new String(along, StandardCharsets.UTF_8));
        }
        JsonNode h = JSON.readTree(along);
        assertThat(h.get("steps").asInt()).isEqualTo(30);
        assertThat(h.get("series").get("step").size()).isEqualTo(30);
        // shares of a step sum to 1 (every step drew 4 tasks)
        for (int i = 0; i < 30; i++) {
            double sum = 0;
            for (JsonNode g : h.get("groupSeries").get("share")) sum += g.get(i).asDouble();
            assertThat(sum).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void theRingKeepsOnlyTheNewestStepsAndTheCsvHasTheSameNumbers() throws Exception {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            store.create("k", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            store.addTasks("k", pool());
            drive(store, "k", 12, new SplittableRandom(9));
            Histories histories = new Histories(store, 5, 4);
            JsonNode h = json(histories, "k");
            assertThat(h.get("steps").asInt()).isEqualTo(12);
            assertThat(h.get("dropped").asInt()).isEqualTo(7);
            List<Integer> steps = new ArrayList<>();
            h.get("series").get("step").forEach(s -> steps.add(s.asInt()));
            assertThat(steps).containsExactly(8, 9, 10, 11, 12);
            byte[] two = histories.read("k", x -> Json.bytes(g -> x.writeJson(g, 2)));
            JsonNode last2 = JSON.readTree(two);
            assertThat(last2.get("series").get("step").toString()).isEqualTo("[11,12]");

            StringWriter w = new StringWriter();
            histories.read("k", x -> {
                try {
                    x.writeCsv(w);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
            String[] lines = w.toString().split("\r\n");
            assertThat(lines).hasSize(6);
            List<String> header = List.of(lines[0].split(",", -1));
            assertThat(header).startsWith("step", "seq", "learnerStep", "outcomes", "rollouts", "rolloutsTotal", "effectiveRatio", "meanPassRate");
            for (int i = 0; i < 5; i++) {
                String[] cells = lines[i + 1].split(",", -1);
                assertThat(cells).hasSize(header.size());
                assertThat(Long.parseLong(cells[0])).isEqualTo(h.get("series").get("step").get(i).asLong());
                assertThat(Long.parseLong(cells[5])).isEqualTo(h.get("series").get("rolloutsTotal").get(i).asLong());
                assertCell(cells[header.indexOf("effectiveRatio")], h.get("series").get("effectiveRatio").get(i));
                for (int g = 0; g < 3; g++) {
                    String name = h.get("groups").get(g).asText();
                    assertCell(cells[header.indexOf("share:" + name)], h.get("groupSeries").get("share").get(g).get(i));
                    assertCell(cells[header.indexOf("probability:" + name)], h.get("groupSeries").get("probability").get(g).get(i));
                    assertCell(cells[header.indexOf("meanAbsAdvantage:" + name)], h.get("groupSeries").get("meanAbsAdvantage").get(g).get(i));
                }
            }
        }
    }

    private static void assertCell(String cell, JsonNode value) {
        if (value.isNull()) assertThat(cell).isEmpty();
        else assertThat(Double.parseDouble(cell)).isEqualTo(value.asDouble());
    }

    @Test
    void aRestoreToACheckpointRebuildsTheHistoryWithOrWithoutBeingTold() throws Exception {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            store.create("c", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            store.addTasks("c", pool());
            SplittableRandom rnd = new SplittableRandom(4);
            drive(store, "c", 10, rnd);
            Histories histories = new Histories(store, 64, 4);
            String at10 = json(histories, "c").toString();
            store.checkpoint("c", 10);
            drive(store, "c", 10, rnd);
            assertThat(json(histories, "c").get("steps").asInt()).isEqualTo(20);
            store.restore("c", 10);
            // not told: the curriculum has fewer events than the history, which starts over
            assertThat(json(histories, "c").toString()).isEqualTo(at10);
            drive(store, "c", 3, new SplittableRandom(77));
            histories.forget("c");
            JsonNode after = json(histories, "c");
            assertThat(after.get("steps").asInt()).isEqualTo(13);
            assertThat(json(new Histories(store, 64, 4), "c").toString()).isEqualTo(after.toString());
        }
    }

    @Test
    void whenTheLogsStartWasDeletedTheHistoryStartsAtTheLiveState() throws Exception {
        StoreOptions trimmed = new StoreOptions(Durability.SYNC, 0, 4, 16, 2);
        try (Curricula store = open(dir, trimmed)) {
            store.create("t", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            store.addTasks("t", pool());
            drive(store, "t", 20, new SplittableRandom(2));
            long[] first = {-1};
            store.exportLog("t", 0, 1, e -> first[0] = e.seq());
            assertThat(first[0]).as("the log's start is gone").isGreaterThan(1);
            Histories histories = new Histories(store, 64, 4);
            JsonNode h = json(histories, "t");
            assertThat(h.get("from").asLong()).isEqualTo(store.info("t").events());
            assertThat(h.get("steps").asInt()).isZero();
            drive(store, "t", 3, new SplittableRandom(3));
            h = json(histories, "t");
            assertThat(h.get("steps").asInt()).isEqualTo(3);
            assertThat(h.get("now").get("reports").asLong()).isEqualTo(store.stats("t").reports());
        }
    }

    @Test
    void anOdfCurriculumRecordsItsBandOccupancy() throws Exception {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            store.create("o", CurriculumConfig.fromJson("{\"recipe\": \"odf\", \"seed\": 2, \"rollouts\": 4, \"itemPolicy\": {\"low\": 0.3, \"high\": 0.7}}"));
            store.addTasks("o", pool());
            drive(store, "o", 15, new SplittableRandom(6));
            JsonNode h = json(new Histories(store, 64, 2), "o");
            JsonNode band = h.get("band");
            assertThat(band.get("low").asDouble()).isEqualTo(0.3);
            assertThat(band.get("high").asDouble()).isEqualTo(0.7);
            for (int i = 0; i < 15; i++) {
                long sum = 0;
                for (String k : List.of("untried", "below", "inBand", "above")) sum += band.get(k).get(i).asLong();
                assertThat(sum).as("every task counted once at step " + (i + 1)).isEqualTo(18);
            }
            assertThat(band.get("untried").get(0).asLong()).as("4 of 18 tasks reported after step 1").isEqualTo(14);
            long[] live = store.read("o", c -> c.bandCounts(0.3, 0.7));
            List<Long> now = new ArrayList<>();
            band.get("now").forEach(x -> now.add(x.asLong()));
            assertThat(now).containsExactly(live[0], live[1], live[2], live[3]);
            assertThat(band.get("inBand").get(14).asLong()).isEqualTo(live[2]);
        }
        try (Curricula store = open(dir.resolve("sec"), StoreOptions.DEFAULTS)) {
            store.create("s", CurriculumConfig.fromJson(MEAN_ADVANTAGE));
            assertThat(json(new Histories(store, 8, 2), "s").has("band")).as("no band without a band item policy").isFalse();
        }
    }

    @Test
    void aDeletedCurriculumIsForgottenAndFollowedCurriculaAreBounded() throws Exception {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            Histories histories = new Histories(store, 8, 2);
            for (String id : List.of("x", "y", "z")) {
                store.create(id, CurriculumConfig.fromJson(MEAN_ADVANTAGE));
                store.addTasks(id, pool());
                drive(store, id, 2, new SplittableRandom(1));
                json(histories, id);
            }
            assertThat(histories.followed()).isEqualTo(2);
            store.delete("z");
            histories.forget("z");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> json(histories, "z")).isInstanceOf(io.proxima.store.NotFoundException.class);
            // created again with another configuration: a new history, not the old one's
            store.create("z", CurriculumConfig.fromJson("{\"recipe\": \"uniform\", \"seed\": 1, \"rollouts\": 2}"));
            store.addTasks("z", pool());
            assertThat(json(histories, "z").get("recipe").asText()).isEqualTo("uniform");
            assertThat(json(histories, "z").get("steps").asInt()).isZero();
        }
    }

    @Test
    void aContinuousCurriculumRecordsItsMeanReturnPerReport() throws Exception {
        try (Curricula store = open(dir, StoreOptions.DEFAULTS)) {
            store.create("p", ContinuousConfig.fromJson("{\"space\":{\"dims\":[{\"name\":\"h\",\"low\":0,\"high\":1}]},"
                    + "\"teacher\":{\"type\":\"alp-gmm\",\"fitRate\":10},\"seed\":3}"));
            double[] expected = new double[5];
            for (int s = 0; s < 5; s++) {
                AtomicReference<List<io.proxima.core.continuous.ParamTask>> ts = new AtomicReference<>();
                store.nextParams("p", 4, null, x -> {
                    ts.set(x);
                    return new byte[0];
                });
                List<ParamOutcome> outs = new ArrayList<>();
                double sum = 0;
                for (var t : ts.get()) {
                    outs.add(ParamOutcome.of(t.id(), t.params()[0], 2 * t.params()[0]));
                    sum += 3 * t.params()[0];
                }
                expected[s] = sum / 8;
                store.reportParams("p", null, outs, n -> new byte[0]);
            }
            JsonNode h = json(new Histories(store, 16, 2), "p");
            assertThat(h.get("kind").asText()).isEqualTo("continuous");
            for (int s = 0; s < 5; s++) {
                assertThat(h.get("series").get("meanReturn").get(s).asDouble()).isCloseTo(expected[s], within(1e-12));
                assertThat(h.get("series").get("episodes").get(s).asInt()).isEqualTo(8);
                assertThat(h.get("series").get("episodesTotal").get(s).asInt()).isEqualTo(8 * (s + 1));
            }
            assertThat(h.get("now").get("points").size()).isEqualTo(20);
        }
    }
}
