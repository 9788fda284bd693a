package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's guarantees; those that hold for both kinds of curriculum run on both ({@link Trainer}). */
class CurriculaTest {
    @TempDir
    Path dir;

    private static StoreOptions options(Durability d, int snapshotEvery) {
        return StoreOptions.DEFAULTS.withDurability(d).withSnapshotEvery(snapshotEvery);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> durabilityAndTeacher() {
        return java.util.Arrays.stream(Durability.values())
                .flatMap(d -> Trainer.manyTeachers().stream().map(t -> org.junit.jupiter.params.provider.Arguments.of(d, t)));
    }

    static List<Trainer.Spec> oneOfEachKind() {
        return Trainer.oneOfEachKind();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("durabilityAndTeacher")
    void recoveryEqualsNeverStopped(Durability durability, Trainer.Spec spec) {
        Trainer trainer = spec.make(11);
        SplittableRandom rnd = new SplittableRandom(5);
        try (Curricula store = Curricula.open(dir, options(durability, 7))) {
            trainer.create(store, "a");
            trainer.run(store, "a", 12, 8, rnd, "b");
        }
        try (Curricula store = Curricula.open(dir, options(durability, 7))) {
            assertThat(store.ids()).containsExactly("a");
            assertThat(store.kind("a")).isEqualTo(spec.kind());
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            // the same answers as a curriculum that never stopped (run checks them round by round)
            trainer.run(store, "a", 5, 8, rnd, "c");
            assertThat(store.info("a").events()).isEqualTo(trainer.events());
        }
        // and once more with snapshots every event, then none at all (replay from the start)
        for (int every : new int[] {1, 1_000_000}) {
            try (Curricula store = Curricula.open(dir, options(durability, every))) {
                assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    void keepEventsBoundsTheLogAndRecoveryStillEqualsNeverStopped(Trainer.Spec spec) throws Exception {
        StoreOptions bounded = options(Durability.GROUP, 5).withKeepEvents(10);
        Trainer trainer = spec.make(21);
        SplittableRandom rnd = new SplittableRandom(8);
        try (Curricula store = Curricula.open(dir, bounded)) {
            trainer.create(store, "a");
            trainer.run(store, "a", 60, 4, rnd, "b");
        }
        long first;
        long last;
        long count;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(seq), max(seq), count(*) FROM events")) {
            rs.next();
            first = rs.getLong(1);
            last = rs.getLong(2);
            count = rs.getLong(3);
        }
        assertThat(last).isEqualTo(trainer.events());
        assertThat(first).as("older events were deleted").isGreaterThan(1);
        assertThat(count).as("what is left is contiguous").isEqualTo(last - first + 1);
        assertThat(count).isLessThan(trainer.events() - 10);
        try (Curricula store = Curricula.open(dir, bounded)) {
            assertThat(store.info("a").recoveryNote()).isNull();
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            trainer.run(store, "a", 5, 4, rnd, "c");
            List<Long> exported = new ArrayList<>();
            store.exportLog("a", e -> exported.add(e.seq()));
            assertThat(exported.get(0)).isGreaterThan(1);
            assertThat(exported.get(exported.size() - 1)).isEqualTo(trainer.events());
            // a follower reads the same log in chunks after a position
            List<Long> chunked = new ArrayList<>();
            long at = 0;
            while (true) {
                List<Long> chunk = new ArrayList<>();
                store.exportLog("a", at, 7, e -> chunk.add(e.seq()));
                assertThat(chunk.size()).isLessThanOrEqualTo(7);
                chunked.addAll(chunk);
                if (chunk.isEmpty()) break;
                at = chunk.get(chunk.size() - 1);
            }
            assertThat(chunked).isEqualTo(exported);
        }
    }

    @Test
    void withKeepEventsARetryOfAForgottenBatchIsNewAndARecentOneIsStillAnsweredTheSame() {
        // answers of two recent keys in memory: older retries go to the log
        StoreOptions bounded = new StoreOptions(Durability.GROUP, 0, 2, 2, 4);
        try (Curricula store = Curricula.open(dir, bounded)) {
            store.create("a", Workload.config("sec", 2));
            store.addTasks("a", Workload.tasks("t", 4));
            for (int i = 0; i < 300; i++) store.report("a", "b" + i, List.of(Outcome.of("t" + (i % 4), i % 2, 1)), Workload::bytes);
            long events = store.info("a").events();
            Curricula.Reply recent = store.report("a", "b299", List.of(Outcome.of("t3", 1, 1)), Workload::bytes);
            assertThat(recent.replayed()).isTrue();
            assertThat(store.info("a").events()).isEqualTo(events);
            Curricula.Reply forgotten = store.report("a", "b0", List.of(Outcome.of("t0", 0, 1)), Workload::bytes);
            assertThat(forgotten.replayed()).isFalse();
            assertThat(store.info("a").events()).isEqualTo(events + 1);
        }
    }

    @Test
    void aDeletedCurriculumIsGoneAtOnceAndItsRowsArePurgedInChunksAlsoAfterACrash() throws Exception {
        long oldCid;
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 7))) {
            store.purgeChunk(5);
            for (String id : List.of("a", "b", "c")) {
                store.create(id, Workload.config("sec", 3));
                store.addTasks(id, Workload.tasks("t", 10));
                for (int i = 0; i < 40; i++) store.report(id, "b" + i, List.of(Outcome.of("t" + (i % 10), i % 2, 1)), Workload::bytes);
                store.checkpoint(id, 1);
            }
            byte[] kept = store.read("b", Curriculum::snapshot);
            store.delete("a");
            assertThat(store.ids()).containsExactly("b", "c");
            assertThatThrownBy(() -> store.info("a")).isInstanceOf(NotFoundException.class);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (store.hasRows(1) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(store.hasRows(1)).as("curriculum 1's rows purged").isFalse();
            assertThat(store.read("b", Curriculum::snapshot)).isEqualTo(kept);
            // a crash after the row of c went but before its purge: simulated by deleting the row alone
            oldCid = 3;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM curricula WHERE name = 'c'")).isEqualTo(1);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 7))) {
            assertThat(store.ids()).containsExactly("b");
            store.create("d", Workload.config("sec", 4)); // must not take c's number while its rows are there
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (store.hasRows(oldCid) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(store.hasRows(oldCid)).as("orphaned rows purged at start").isFalse();
            assertThat(store.info("d").events()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT cid FROM curricula WHERE name = 'd'")) {
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThan(oldCid);
        }
    }

    @Test
    void aLargePoolIsNotRewrittenForEverySmallReport() throws Exception {
        CurriculumConfig config = Workload.config("sec", 4);
        Curriculum reference = Curriculum.create(config);
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 1))) {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 5000));
            reference.addTasks(Workload.tasks("t", 5000));
            Workload.run(store, "a", reference, 40, 8, new SplittableRandom(3), "b");
        }
        long newest;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(seq), count(*) FROM snapshots")) {
            rs.next();
            newest = rs.getLong(1);
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
        // 80 small events after the upload: their log is far smaller than the pool's snapshot
        assertThat(newest).isLessThanOrEqualTo(2);
        assertThat(reference.events()).isGreaterThan(60);
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 1))) {
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(reference.snapshot());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    void replayFromConfigAloneWhenNoSnapshotIsReadable(Trainer.Spec spec) throws Exception {
        Trainer trainer = spec.make(3);
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 5))) {
            trainer.create(store, "a");
            trainer.run(store, "a", 6, 5, new SplittableRandom(1), "b");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE snapshots SET state = x'00010203'")).isPositive();
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 5))) {
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    void corruptedTailIsQuarantinedAndTheCurriculumResumesAtTheLastGoodEvent(Trainer.Spec spec) throws Exception {
        Trainer trainer = spec.make(2);
        SplittableRandom rnd = new SplittableRandom(9);
        List<byte[]> states = new ArrayList<>();
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            trainer.create(store, "a");
            for (int i = 0; i < 4; i++) {
                trainer.run(store, "a", 1, 4, rnd, "r" + i + "-");
                states.add(trainer.snapshot());
            }
        }
        long events = trainer.events(); // (1 for the tasks of a discrete curriculum) + 4 * 2
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement()) {
            // flip a byte of the next-to-last event: it and everything after must go
            assertThat(s.executeUpdate("UPDATE events SET payload = zeroblob(length(payload)) WHERE seq = " + (events - 1))).isEqualTo(1);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            Curricula.Info info = store.info("a");
            assertThat(info.events()).isEqualTo(events - 2);
            assertThat(info.recoveryNote()).contains("event " + (events - 1)).contains("checksum");
            assertThat(Trainer.stored(store, "a")).isEqualTo(states.get(2));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM quarantine")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void truncatedWalRecoversAConsistentPrefix() throws Exception {
        CurriculumConfig config = Workload.config("dapo", 4);
        Curriculum reference = Curriculum.create(config);
        reference.addTasks(Workload.tasks("t", 30));
        SplittableRandom rnd = new SplittableRandom(3);
        List<byte[]> states = new ArrayList<>();
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Path db = dir.resolve("live");
        Curricula store = Curricula.open(db, options(Durability.SYNC, 1_000_000));
        try {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 30));
            states.add(reference.snapshot());
            for (int i = 0; i < 10; i++) {
                Workload.run(store, "a", reference, 1, 6, rnd, "r" + i + "-");
                states.add(null);
                states.add(reference.snapshot());
            }
            // "crash": copy the files of the open database, cut the WAL in the middle of a frame
            Files.copy(db.resolve(Curricula.DB_FILE), copy.resolve(Curricula.DB_FILE), StandardCopyOption.REPLACE_EXISTING);
            Path wal = db.resolve(Curricula.DB_FILE + "-wal");
            byte[] w = Files.readAllBytes(wal);
            assertThat(w.length).isGreaterThan(10_000);
            Files.write(copy.resolve(Curricula.DB_FILE + "-wal"), java.util.Arrays.copyOf(w, w.length * 2 / 3 + 123));
        } finally {
            store.close();
        }
        try (Curricula recovered = Curricula.open(copy, options(Durability.SYNC, 1000))) {
            if (recovered.ids().isEmpty()) return; // the cut fell before the creation committed: an empty store is consistent too
            long events = recovered.info("a").events();
            assertThat(events).isLessThan(reference.events());
            // replaying the same calls up to that point gives the same bytes
            Curriculum prefix = Curriculum.create(config);
            SplittableRandom r2 = new SplittableRandom(3);
            if (events >= 1) prefix.addTasks(Workload.tasks("t", 30));
            while (prefix.events() < events) {
                var s = prefix.next(6);
                // the same outcomes as Workload.run with one round per call: step 0 each time (the learner's
                // step is part of the state: schedules read it)
                if (prefix.events() < events) prefix.report(Workload.outcomes(s, r2, 0));
            }
            assertThat(recovered.read("a", Curriculum::snapshot)).isEqualTo(prefix.snapshot());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    void checkpointRestoreGivesExactlyTheStateAtThatStepAndDiscardsTheRest(Trainer.Spec spec) {
        Trainer trainer = spec.make(8);
        SplittableRandom rnd = new SplittableRandom(4);
        byte[] at10;
        long eventsAt10;
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 3))) {
            trainer.create(store, "a");
            trainer.run(store, "a", 5, 6, rnd, "x");
            assertThat(store.checkpoint("a", 10).events()).isEqualTo(trainer.events());
            at10 = trainer.snapshot();
            eventsAt10 = trainer.events();
            trainer.run(store, "a", 4, 6, rnd, "y");
            store.checkpoint("a", 20);
            trainer.run(store, "a", 2, 6, rnd, "z");
            assertThat(store.checkpoints("a")).extracting(Curricula.Checkpoint::step).containsExactly(10L, 20L);

            Curricula.Checkpoint cp = store.restore("a", 10);
            assertThat(cp.events()).isEqualTo(eventsAt10);
            assertThat(Trainer.stored(store, "a")).isEqualTo(at10);
            assertThat(store.checkpoints("a")).extracting(Curricula.Checkpoint::step).containsExactly(10L);
            List<Long> seqs = new ArrayList<>();
            store.exportLog("a", e -> seqs.add(e.seq()));
            assertThat(seqs).hasSize((int) eventsAt10).last().isEqualTo(eventsAt10);
            // the answers after the restore are those of the checkpointed state; a batch id used after
            // the checkpoint may be sent again: the trainer replays those steps
            trainer.restore(at10);
            trainer.run(store, "a", 4, 6, new SplittableRandom(77), "y");
            assertThatThrownBy(() -> store.restore("a", 20)).isInstanceOf(NotFoundException.class).hasMessageContaining("step 20");
        }
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 3))) {
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            store.restore("a", 10);
            assertThat(Trainer.stored(store, "a")).isEqualTo(at10);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 3))) {
            assertThat(Trainer.stored(store, "a")).isEqualTo(at10);
        }
    }

    /**
     * A step logs a report then a next; when the next makes a snapshot due, the snapshot's key
     * index must hold the report's key too. It did not: after a restart from that snapshot, a
     * retry of the step was refused as "already used as the requestId of a next call". Every
     * snapshot interval from 1 to 5 puts snapshots on both kinds of event.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void everyStepIsAnsweredTheSameAfterARestartWhereverTheSnapshotFell(int every) {
        CurriculumConfig config = Workload.config("sec", 8);
        java.util.Map<String, byte[][]> answers = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<Outcome>> sent = new java.util.LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(every);
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, every))) {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 12));
            Selection[] sel = new Selection[1];
            Function<Selection, byte[]> keep = s -> {
                sel[0] = s;
                return Workload.bytes(s);
            };
            store.next("a", 3, "first", keep);
            for (int i = 0; i < 7; i++) {
                List<Outcome> outcomes = Workload.outcomes(sel[0], rnd, i);
                Curricula.StepReply r = store.step("a", "s" + i, outcomes, 3, Workload::bytes, keep);
                answers.put("s" + i, new byte[][] {r.report().body(), r.next().body()});
                sent.put("s" + i, outcomes);
            }
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, every))) {
            long events = store.info("a").events();
            for (String batch : answers.keySet()) {
                Curricula.StepReply again = store.step("a", batch, sent.get(batch), 3, Workload::bytes, Workload::bytes);
                assertThat(again.report().replayed()).as("every %d, %s", every, batch).isTrue();
                assertThat(again.next().replayed()).as("every %d, %s", every, batch).isTrue();
                assertThat(again.report().body()).isEqualTo(answers.get(batch)[0]);
                assertThat(again.next().body()).isEqualTo(answers.get(batch)[1]);
            }
            assertThat(store.info("a").events()).as("nothing applied twice").isEqualTo(events);
        }
    }

    @Test
    void aRepeatedBatchIdIsAppliedOnceAndAnsweredTheSameAlsoAfterRestart() {
        CurriculumConfig config = Workload.config("sec", 8);
        Outcome o = Outcome.of("t1", 1, 0, 1, 1);
        byte[] first;
        long events;
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 10));
            Curricula.Reply r1 = store.report("a", "b1", List.of(o), Workload::bytes);
            Curricula.Reply r2 = store.report("a", "b1", List.of(o), Workload::bytes);
            assertThat(r1.replayed()).isFalse();
            assertThat(r2.replayed()).isTrue();
            assertThat(r2.body()).isEqualTo(r1.body());
            first = r1.body();
            events = store.info("a").events();
            assertThat(events).isEqualTo(2);
            assertThatThrownBy(() -> store.report("a", "b1", List.of(Outcome.of("t1", 0, 0, 0, 0)), Workload::bytes))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("b1");
            Curricula.Reply n1 = store.next("a", 3, "n1", Workload::bytes);
            assertThat(store.next("a", 3, "n1", Workload::bytes).body()).isEqualTo(n1.body());
            assertThat(store.info("a").events()).isEqualTo(3);
        }
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            Curricula.Reply r3 = store.report("a", "b1", List.of(o), Workload::bytes);
            assertThat(r3.replayed()).isTrue();
            assertThat(r3.body()).isEqualTo(first);
            assertThat(store.info("a").events()).isEqualTo(3);
        }
    }

    @Test
    void keysOlderThanTheInMemoryWindowAreStillRecognisedAlsoAfterRestartAndRestore() throws Exception {
        StoreOptions tiny = new StoreOptions(Durability.GROUP, 0, 4, 2); // two recent keys in memory
        CurriculumConfig config = Workload.config("sec", 9);
        List<byte[]> answers = new ArrayList<>();
        try (Curricula store = Curricula.open(dir, tiny)) {
            store.create("a", config);
            store.addTasks("a", Workload.tasks("t", 10));
            for (int i = 0; i < 20; i++) answers.add(store.report("a", "b" + i, List.of(Outcome.of("t" + (i % 10), i % 2, 1)), Workload::bytes).body());
            store.checkpoint("a", 7);
            for (int i = 20; i < 25; i++) store.report("a", "b" + i, List.of(Outcome.of("t1", 1, 1)), Workload::bytes);
            Curricula.Reply old = store.report("a", "b0", List.of(Outcome.of("t0", 0, 1)), Workload::bytes);
            assertThat(old.replayed()).isTrue();
            assertThat(old.body()).isEqualTo(answers.get(0));
            // the same id with another loss is other content
            assertThatThrownBy(() -> store.report("a", "b3", List.of(new Outcome("t3", new double[] {1, 1}, null, -1, null, 0.5)), Workload::bytes))
                    .isInstanceOf(ConflictException.class);
        }
        long keyedAfterNewestSnapshot;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Curricula.DB_FILE));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE key IS NOT NULL AND seq > (SELECT max(seq) FROM snapshots)")) {
            rs.next();
            keyedAfterNewestSnapshot = rs.getLong(1);
        }
        try (Curricula store = Curricula.open(dir, tiny)) {
            // the keys came with the newest snapshot; only those logged after it were read from the log
            assertThat(keyedAfterNewestSnapshot).isLessThan(25);
            assertThat(store.keysLoadedFromLog("a")).isEqualTo(keyedAfterNewestSnapshot);
            long events = store.info("a").events();
            assertThat(store.report("a", "b5", List.of(Outcome.of("t5", 1, 1)), Workload::bytes).replayed()).isTrue();
            assertThat(store.report("a", "b22", List.of(Outcome.of("t1", 1, 1)), Workload::bytes).replayed()).isTrue();
            assertThat(store.info("a").events()).isEqualTo(events);
            store.restore("a", 7);
            // after the restore, b22 is gone from the log and is new again; b5 is still there
            assertThat(store.report("a", "b22", List.of(Outcome.of("t1", 1, 1)), Workload::bytes).replayed()).isFalse();
            assertThat(store.report("a", "b5", List.of(Outcome.of("t5", 1, 1)), Workload::bytes).replayed()).isTrue();
        }
    }

    @Test
    void concurrentRepeatsOfOneBatchAreCountedOnce() throws Exception {
        try (Curricula store = Curricula.open(dir, options(Durability.GROUP, 1000))) {
            store.create("a", Workload.config("uniform", 1));
            store.addTasks("a", Workload.tasks("t", 10));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 20; round++) {
                    String batch = "b" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Curricula.Reply>> fs = new ArrayList<>();
                    for (int k = 0; k < 8; k++) {
                        fs.add(pool.submit(() -> {
                            go.await();
                            return store.report("a", batch, List.of(Outcome.of("t2", 1, 0)), Workload::bytes);
                        }));
                    }
                    go.countDown();
                    int applied = 0;
                    byte[] body = null;
                    for (Future<Curricula.Reply> f : fs) {
                        Curricula.Reply r = f.get();
                        if (!r.replayed()) applied++;
                        if (body == null) body = r.body();
                        assertThat(r.body()).isEqualTo(body);
                    }
                    assertThat(applied).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.info("a").events()).isEqualTo(21);
            assertThat(store.stats("a").reports()).isEqualTo(20);
        }
    }

    @Test
    void rejectedCallsChangeNothingAndLogNothing() {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("a", Workload.config("odf", 1));
            store.addTasks("a", Workload.tasks("t", 10));
            byte[] before = store.read("a", Curriculum::snapshot);
            assertThatThrownBy(() -> store.report("a", "x", List.of(Outcome.of("nope", 1)), Workload::bytes)).hasMessageContaining("nope");
            assertThatThrownBy(() -> store.report("a", "x", List.of(Outcome.of("t1", Double.NaN)), Workload::bytes)).hasMessageContaining("finite");
            assertThatThrownBy(() -> store.next("a", 11, null, Workload::bytes)).hasMessageContaining("n=11");
            assertThatThrownBy(() -> store.addTasks("a", Workload.tasks("t", 3))).hasMessageContaining("already");
            assertThatThrownBy(() -> store.report("nobody", "x", List.of(Outcome.of("t1", 1)), Workload::bytes)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.create("a", Workload.config("odf", 1))).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> store.create("bad id", Workload.config("odf", 1))).hasMessageContaining("id must be");
            // a tenant's namespace (the server's --tokens): one 'tenant~' prefix, both parts ids
            store.create("alpha~a", Workload.config("odf", 1));
            assertThat(store.ids()).contains("a", "alpha~a");
            for (String bad : List.of("~a", "alpha~", "a~b~c", "-x~a", "alpha~~a")) {
                assertThatThrownBy(() -> store.create(bad, Workload.config("odf", 1))).as(bad).hasMessageContaining("id must be");
            }
            assertThatThrownBy(() -> Curricula.checkId("alpha~a")).hasMessageContaining("id must be");
            assertThatThrownBy(() -> store.report("a", "x\ud800", List.of(Outcome.of("t1", 1)), Workload::bytes))
                    .hasMessageStartingWith("batchId must be valid Unicode");
            assertThatThrownBy(() -> store.next("a", 1, "\udc00", Workload::bytes)).hasMessageStartingWith("requestId must be valid Unicode");
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(before);
            // a batch id rejected once is free: nothing was stored under it
            store.report("a", "x", List.of(Outcome.of("t1", 1)), Workload::bytes);
        }
    }

    @Test
    void aCallThatFailsUnexpectedlyAfterChangingMemoryIsRolledBackFromTheLog() {
        try (Curricula store = Curricula.open(dir, options(Durability.SYNC, 1000))) {
            store.create("a", Workload.config("sec", 1));
            store.addTasks("a", Workload.tasks("t", 10));
            byte[] before = store.read("a", Curriculum::snapshot);
            // next() has moved the generator when rendering its answer fails
            assertThatThrownBy(() -> store.next("a", 3, "r", s -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(before);
            assertThat(store.next("a", 3, "r", Workload::bytes).replayed()).isFalse();
        }
    }

    @Test
    void groupCommitSharesTransactionsAcrossCurriculaAndMatchesSerialExecution() throws Exception {
        int curricula = 8;
        int rounds = 15;
        List<Curriculum> refs = new ArrayList<>();
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS.withDurability(Durability.GROUP).withGroupWindowMicros(2000).withSnapshotEvery(4))) {
            ExecutorService pool = Executors.newFixedThreadPool(curricula);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < curricula; i++) {
                String id = "c" + i;
                CurriculumConfig cfg = Workload.config(i % 2 == 0 ? "sec" : "odf", i);
                Curriculum ref = Curriculum.create(cfg);
                ref.addTasks(Workload.tasks("t", 25));
                refs.add(ref);
                store.create(id, cfg);
                store.addTasks(id, Workload.tasks("t", 25));
                fs.add(pool.submit(() -> Workload.run(store, id, ref, rounds, 5, new SplittableRandom(id.hashCode()), "b")));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertThat(store.commits()).isLessThan(store.committedOps());
        }
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            for (int i = 0; i < curricula; i++) assertThat(store.read("c" + i, Curriculum::snapshot)).isEqualTo(refs.get(i).snapshot());
            store.delete("c3");
            assertThatThrownBy(() -> store.info("c3")).isInstanceOf(NotFoundException.class);
        }
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            assertThat(store.ids()).hasSize(curricula - 1).doesNotContain("c3");
            store.create("c3", Workload.config("uniform", 0));
            assertThat(store.info("c3").events()).isZero();
        }
    }

    @Test
    void oneProcessPerDataDirectory() {
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            assertThatThrownBy(() -> Curricula.open(dir, StoreOptions.DEFAULTS)).hasMessageContaining("in use");
        }
        Curricula.open(dir, StoreOptions.DEFAULTS).close();
    }

    @Test
    void eventCodecRoundTripsAndRejectsGarbage() {
        var tasks = Workload.tasks("t", 3);
        Event a = new Event.AddTasks(List.of(tasks.get(0), tasks.get(1).withFeatures(1f, 2f)));
        Event r = new Event.Report(List.of(new Outcome("t1", new double[] {1, 0.5}, new int[] {3, 4}, 7, java.util.Map.of("hint", 0.25))));
        for (Event e : List.of(a, new Event.Next(5), r)) {
            Event back = EventCodec.decode(EventCodec.encode(e));
            assertThat(back).isEqualTo(e);
        }
        byte[] bytes = EventCodec.encode(new Event.Next(5));
        bytes[0] = 9;
        assertThatThrownBy(() -> EventCodec.decode(bytes)).hasMessageContaining("version");
        assertThatThrownBy(() -> EventCodec.decode(java.util.Arrays.copyOf(EventCodec.encode(r), 10))).isInstanceOf(IllegalArgumentException.class);
    }
}
