package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's guarantees for continuous curricula that the discrete tests do not cover, and for
 * both kinds side by side. Recovery, quarantine and checkpoints run on both kinds in {@link CurriculaTest}.
 */
class ContinuousCurriculaTest {
    @TempDir
    Path dir;

    private static StoreOptions options(Durability d, int snapshotEvery) {
        return StoreOptions.DEFAULTS.withDurability(d).withSnapshotEvery(snapshotEvery);
    }

    @Test
    void aDiscreteEventInAContinuousLogIsQuarantinedNotMisapplied() throws Exception {
        ContinuousConfig config = ParamWorkload.config("random", 4);
        ContinuousCurriculum reference = ContinuousCurriculum.create(config);
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", config);
            ParamWorkload.run(store, "w", reference, 2, 3, new SplittableRandom(2), "b");
        }
        byte[] foreign = EventCodec.encode(new Event.Next(3));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             var p = c.prepareStatement("INSERT INTO events(cid, seq, kind, payload, crc) VALUES (1, 5, 2, ?, ?)")) {
            p.setBytes(1, foreign);
            p.setLong(2, EventCodec.crc(foreign));
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            assertThat(store.info("w").recoveryNote()).contains("event 5").contains("next event cannot be applied to a continuous curriculum");
            assertThat(store.readContinuous("w", ContinuousCurriculum::snapshot)).isEqualTo(reference.snapshot());
        }
    }

    @Test
    void repeatedKeysAreAppliedOnceAndAnsweredTheSameAlsoAfterRestart() {
        ContinuousConfig config = ParamWorkload.config("alp-gmm", 8);
        byte[] first;
        byte[] proposals;
        List<ParamOutcome> batch = List.of(ParamOutcome.of(0, 0.5), ParamOutcome.at(new double[] {1, 2}, 0.25, 0.75));
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", config);
            Curricula.Reply n1 = store.nextParams("w", 3, "n1", ParamWorkload::bytes);
            Curricula.Reply n2 = store.nextParams("w", 3, "n1", ParamWorkload::bytes);
            assertThat(n2.replayed()).isTrue();
            assertThat(n2.body()).isEqualTo(n1.body());
            proposals = n1.body();
            assertThatThrownBy(() -> store.nextParams("w", 4, "n1", ParamWorkload::bytes))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("requestId 'n1'");
            Curricula.Reply r1 = store.reportParams("w", "b1", batch, ParamWorkload::bytes);
            Curricula.Reply r2 = store.reportParams("w", "b1", batch, ParamWorkload::bytes);
            assertThat(r1.replayed()).isFalse();
            assertThat(r2.replayed()).isTrue();
            assertThat(r2.body()).isEqualTo(r1.body()).asString().isEqualTo("episodes=3");
            first = r1.body();
            // another vector, another return, another id: each a different batch
            for (List<ParamOutcome> other : List.of(List.of(ParamOutcome.of(1, 0.5), batch.get(1)),
                    List.of(batch.get(0), ParamOutcome.at(new double[] {1, 2.5}, 0.25, 0.75)),
                    List.of(batch.get(0), ParamOutcome.at(new double[] {1, 2}, 0.25, 0.5)))) {
                assertThatThrownBy(() -> store.reportParams("w", "b1", other, ParamWorkload::bytes))
                        .isInstanceOf(ConflictException.class).hasMessageContaining("batchId 'b1'");
            }
            assertThat(store.info("w").events()).isEqualTo(2);
            assertThat(store.continuousStats("w").episodes()).isEqualTo(3);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            Curricula.Reply r3 = store.reportParams("w", "b1", batch, ParamWorkload::bytes);
            assertThat(r3.replayed()).isTrue();
            assertThat(r3.body()).isEqualTo(first);
            assertThat(store.nextParams("w", 3, "n1", ParamWorkload::bytes).body()).isEqualTo(proposals);
            assertThat(store.info("w").events()).isEqualTo(2);
        }
    }

    @Test
    void rejectedCallsChangeNothingAndLogNothing() {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", ParamWorkload.config("alp-gmm", 1));
            store.nextParams("w", 4, null, ParamWorkload::bytes);
            byte[] before = store.readContinuous("w", ContinuousCurriculum::snapshot);
            assertThatThrownBy(() -> store.reportParams("w", "x", List.of(ParamOutcome.of(0, 1), ParamOutcome.of(9, 1)), ParamWorkload::bytes))
                    .hasMessageContaining("outcomes[1].taskId").hasMessageContaining("never proposed");
            assertThatThrownBy(() -> store.reportParams("w", "x", List.of(ParamOutcome.of(0, Double.NaN)), ParamWorkload::bytes))
                    .hasMessageContaining("outcomes[0].returns[0]").hasMessageContaining("finite");
            assertThatThrownBy(() -> store.reportParams("w", "x", List.of(ParamOutcome.at(new double[] {1, 7}, 1)), ParamWorkload::bytes))
                    .hasMessageContaining("outcomes[0].params[1] (stump_spacing) = 7.0 is outside [0.0, 6.0]");
            assertThatThrownBy(() -> store.reportParams("w", "x", List.of(ParamOutcome.at(new double[] {1}, 1)), ParamWorkload::bytes))
                    .hasMessageContaining("has 1 values, the space has 2 dimensions");
            assertThatThrownBy(() -> store.nextParams("w", 65, null, ParamWorkload::bytes)).hasMessageContaining("pendingWindow=64");
            assertThatThrownBy(() -> store.reportParams("nobody", "x", List.of(ParamOutcome.of(0, 1)), ParamWorkload::bytes))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.create("w", ParamWorkload.config("random", 1))).isInstanceOf(ConflictException.class);
            assertThat(store.readContinuous("w", ContinuousCurriculum::snapshot)).isEqualTo(before);
            assertThat(store.info("w").events()).isEqualTo(1);
            // a batch id rejected once is free: nothing was stored under it
            assertThat(store.reportParams("w", "x", List.of(ParamOutcome.of(0, 1)), ParamWorkload::bytes).replayed()).isFalse();
        }
    }

    @Test
    void aCallThatFailsUnexpectedlyAfterChangingMemoryIsRolledBackFromTheLog() {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", ParamWorkload.config("alp-gmm", 1));
            ParamWorkload.run(store, "w", ContinuousCurriculum.create(ParamWorkload.config("alp-gmm", 1)), 3, 8, new SplittableRandom(1), "b");
            byte[] before = store.readContinuous("w", ContinuousCurriculum::snapshot);
            // next() has moved the generator and handed out ids when rendering its answer fails
            assertThatThrownBy(() -> store.nextParams("w", 3, "r", tasks -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.readContinuous("w", ContinuousCurriculum::snapshot)).isEqualTo(before);
            assertThat(store.nextParams("w", 3, "r", ParamWorkload::bytes).replayed()).isFalse();
        }
    }

    @Test
    void aCallOfTheOtherKindIsAConflictNamingTheKindAndChangesNothing() {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", ParamWorkload.config("random", 1));
            store.create("d", Workload.config("sec", 1));
            store.addTasks("d", Workload.tasks("t", 10));
            byte[] w = store.readContinuous("w", ContinuousCurriculum::snapshot);
            byte[] d = store.read("d", Curriculum::snapshot);
            assertThatThrownBy(() -> store.addTasks("w", Workload.tasks("t", 3)))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("curriculum 'w' is continuous (a box of parameters, no task pool): addTasks applies to discrete curricula only")
                    .extracting(e -> ((ConflictException) e).field()).isEqualTo("kind");
            assertThatThrownBy(() -> store.next("w", 2, "r", Workload::bytes)).isInstanceOf(ConflictException.class).hasMessageContaining("is continuous");
            assertThatThrownBy(() -> store.report("w", "b", List.of(Outcome.of("t1", 1)), Workload::bytes)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.stats("w")).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.nextParams("d", 2, "r", ParamWorkload::bytes))
                    .isInstanceOf(ConflictException.class)
                    .hasMessage("curriculum 'd' is discrete (a task pool, no parameter box): nextParams applies to continuous curricula only");
            assertThatThrownBy(() -> store.reportParams("d", "b", List.of(ParamOutcome.of(0, 1)), ParamWorkload::bytes)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.continuousStats("d")).isInstanceOf(ConflictException.class);
            assertThat(store.readContinuous("w", ContinuousCurriculum::snapshot)).isEqualTo(w);
            assertThat(store.read("d", Curriculum::snapshot)).isEqualTo(d);
            assertThat(store.info("w").events()).isZero();
            assertThat(store.info("d").events()).isEqualTo(1);
            // the keys of refused calls are free on the right kind
            assertThat(store.nextParams("w", 2, "r", ParamWorkload::bytes).replayed()).isFalse();
            assertThat(store.next("d", 2, "r", Workload::bytes).replayed()).isFalse();
        }
    }

    @Test
    void infoAndExportOfAContinuousCurriculum() {
        ContinuousConfig config = ParamWorkload.config("alp-gmm", 6);
        ContinuousCurriculum reference = ContinuousCurriculum.create(config);
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 2))) {
            store.create("w", config);
            ParamWorkload.run(store, "w", reference, 3, 5, new SplittableRandom(3), "b");
            store.nextParams("w", 2, "req", ParamWorkload::bytes);
            Curricula.Info info = store.info("w");
            assertThat(info.kind()).isEqualTo(Kind.CONTINUOUS);
            assertThat(info.recipe()).isEqualTo("alp-gmm");
            assertThat(info.tasks()).isEqualTo(17);
            assertThat(info.batches()).isEqualTo(4);
            assertThat(info.events()).isEqualTo(7);
            assertThat(info.configJson()).isEqualTo(config.canonicalJson());

            List<Curricula.LoggedEvent> log = new ArrayList<>();
            store.exportLog("w", log::add);
            assertThat(log).extracting(Curricula.LoggedEvent::kind)
                    .containsExactly(4, 5, 4, 5, 4, 5, 4);
            assertThat(log.get(1).key()).isEqualTo("b0");
            assertThat(log.get(6).key()).isEqualTo("req");
            // replaying the exported events reproduces the curriculum
            ContinuousCurriculum replayed = ContinuousCurriculum.create(config);
            for (Curricula.LoggedEvent e : log) ((Event.Continuous) e.event()).applyTo(replayed);
            assertThat(replayed.snapshot()).isEqualTo(store.readContinuous("w", ContinuousCurriculum::snapshot));
        }
    }

    @Test
    void discreteAndContinuousCurriculaShareTransactionsAndRecoverSideBySide() throws Exception {
        int pairs = 3;
        List<Curriculum> discrete = new ArrayList<>();
        List<ContinuousCurriculum> continuous = new ArrayList<>();
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS.withDurability(Durability.GROUP).withGroupWindowMicros(2000).withSnapshotEvery(4))) {
            ExecutorService pool = Executors.newFixedThreadPool(2 * pairs);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String d = "d" + i;
                CurriculumConfig cfg = Workload.config("sec", i);
                Curriculum ref = Curriculum.create(cfg);
                ref.addTasks(Workload.tasks("t", 25));
                discrete.add(ref);
                store.create(d, cfg);
                store.addTasks(d, Workload.tasks("t", 25));
                fs.add(pool.submit(() -> Workload.run(store, d, ref, 10, 5, new SplittableRandom(d.hashCode()), "b")));
                String w = "w" + i;
                ContinuousConfig ccfg = ParamWorkload.config(ContinuousConfig.TEACHERS.get(i % ContinuousConfig.TEACHERS.size()), i);
                ContinuousCurriculum cref = ContinuousCurriculum.create(ccfg);
                continuous.add(cref);
                store.create(w, ccfg);
                fs.add(pool.submit(() -> ParamWorkload.run(store, w, cref, 10, 5, new SplittableRandom(w.hashCode()), "b")));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertThat(store.commits()).isLessThan(store.committedOps());
        }
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            for (int i = 0; i < pairs; i++) {
                assertThat(store.kind("d" + i)).isEqualTo(Kind.DISCRETE);
                assertThat(store.read("d" + i, Curriculum::snapshot)).isEqualTo(discrete.get(i).snapshot());
                assertThat(store.readContinuous("w" + i, ContinuousCurriculum::snapshot)).isEqualTo(continuous.get(i).snapshot());
            }
            store.delete("w1");
            store.create("w1", Workload.config("uniform", 0)); // a deleted id may come back as the other kind
            assertThat(store.kind("w1")).isEqualTo(Kind.DISCRETE);
        }
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            assertThat(store.kind("w1")).isEqualTo(Kind.DISCRETE);
            assertThat(store.info("w1").events()).isZero();
        }
    }

    @Test
    void aDatabaseWrittenBeforeContinuousCurriculaOpensAndStaysDiscrete() throws Exception {
        CurriculumConfig config = Workload.config("sec", 2);
        Curriculum reference = Curriculum.create(config);
        reference.addTasks(Workload.tasks("t", 20));
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 3))) {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 20));
            Workload.run(store, "a", reference, 4, 5, new SplittableRandom(1), "b");
        }
        // the schema of the first release: no kind column
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE old(cid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config TEXT NOT NULL)");
            s.executeUpdate("INSERT INTO old SELECT cid, name, config FROM curricula");
            s.executeUpdate("DROP TABLE curricula");
            s.executeUpdate("ALTER TABLE old RENAME TO curricula");
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 3))) {
            assertThat(store.kind("a")).isEqualTo(Kind.DISCRETE);
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(reference.snapshot());
            store.create("w", ParamWorkload.config("random", 1));
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 3))) {
            assertThat(store.kind("a")).isEqualTo(Kind.DISCRETE);
            assertThat(store.kind("w")).isEqualTo(Kind.CONTINUOUS);
        }
    }

    @Test
    void eventCodecKeepsVersion1BytesAndVersionsTheContinuousKinds() {
        HexFormat hex = HexFormat.of();
        // written by the first release (format version 1): still read, and written the same
        Map<String, Event> v1 = Map.of(
                "00000101000000020000000274300000000267303fe000000000000000000000000000027431000000007ff8000000000000000000023f80000040000000",
                new Event.AddTasks(List.of(TaskSpec.of("t0", "g0", 0.5), new TaskSpec("t1", "", Double.NaN, new float[] {1f, 2f}))),
                "0000010200000005", new Event.Next(5),
                "0000010300000001000000027431000000023ff00000000000003fe00000000000000000000200000003000000040000000000000007000000010000000468696e743fd00000000000007ff8000000000000",
                new Event.Report(List.of(new Outcome("t1", new double[] {1, 0.5}, new int[] {3, 4}, 7, Map.of("hint", 0.25)))));
        for (Map.Entry<String, Event> e : v1.entrySet()) {
            assertThat(EventCodec.decode(hex.parseHex(e.getKey()))).isEqualTo(e.getValue());
            assertThat(hex.formatHex(EventCodec.encode(e.getValue()))).isEqualTo(e.getKey());
        }
        Event next = new Event.ParamNext(7);
        Event report = new Event.ParamReport(List.of(ParamOutcome.of(3, 0.5, 1), ParamOutcome.at(new double[] {0.25, 4}, -2),
                new ParamOutcome(4, new double[] {1, 1}, new double[] {0})));
        assertThat(hex.formatHex(EventCodec.encode(next))).isEqualTo("0000020400000007");
        for (Event e : List.of(next, report)) assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);

        byte[] v1Kind4 = hex.parseHex("0000010400000007");
        assertThatThrownBy(() -> EventCodec.decode(v1Kind4)).hasMessageContaining("paramNext does not exist in format version 1");
        byte[] v4 = hex.parseHex("0000040200000005");
        assertThatThrownBy(() -> EventCodec.decode(v4)).hasMessageContaining("version 4 is not supported");
        byte[] kind6 = hex.parseHex("0000020600000005");
        assertThatThrownBy(() -> EventCodec.decode(kind6)).hasMessageContaining("unknown event kind 6");
        byte[] cut = EventCodec.encode(report);
        assertThatThrownBy(() -> EventCodec.decode(java.util.Arrays.copyOf(cut, cut.length - 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64})
    void idsOlderThanThePendingWindowAreRefusedButTheirParamsAreNot(int batch) {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("w", ParamWorkload.config("random", 1));
            List<ParamTask> first = new ArrayList<>();
            ContinuousCurriculum reference = ContinuousCurriculum.create(ParamWorkload.config("random", 1));
            first.addAll(reference.next(batch));
            store.nextParams("w", batch, null, ParamWorkload::bytes);
            for (int i = 0; i < 64 / batch + 1; i++) store.nextParams("w", batch, null, ParamWorkload::bytes);
            assertThatThrownBy(() -> store.reportParams("w", null, List.of(ParamOutcome.of(0, 1)), ParamWorkload::bytes))
                    .hasMessageContaining("older than the last 64 proposals");
            assertThat(store.reportParams("w", null, List.of(ParamOutcome.at(first.get(0).params(), 1)), ParamWorkload::bytes).body())
                    .asString().isEqualTo("episodes=1");
        }
    }
}
