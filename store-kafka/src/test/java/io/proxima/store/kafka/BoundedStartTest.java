package io.proxima.store.kafka;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.Curricula;
import io.proxima.store.CurriculumLog;
import io.proxima.store.Faults;
import io.proxima.store.StoreFailedException;
import io.proxima.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bounded start: a partition's new owner reads the events topic from the offset recorded with its
 * curricula's snapshots, not from 0, and still holds everything the old owner acknowledged — the
 * same state, the stored answer of every batch id (also one older than where it started reading),
 * the whole log for an export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedStartTest {
    private static final CurriculumConfig CONFIG = CurriculumConfig.fromJson("{\"recipe\": \"sec\", \"seed\": 5, \"rollouts\": 2}");
    private static final int BATCHES = 60;

    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();

    private static byte[] bytes(Object o) {
        return KafkaLogTest.bytes(o);
    }

    private static List<TaskSpec> tasks(int n) {
        return KafkaLogTest.tasks(n);
    }

    private static List<String> exported(Curricula store, String id) {
        List<String> out = new ArrayList<>();
        store.exportLog(id, e -> out.add(e.seq() + ":" + e.kind() + ":" + e.key() + ":" + e.event()));
        return out;
    }

    @Test
    void aTakeoverAfterManySnapshotsReadsFromTheirOffsetsAndLosesNothingAcknowledged() {
        KafkaLogOptions options = cluster.options("bounded").withPartition(0);
        StoreOptions store = StoreOptions.DEFAULTS.withSnapshotEvery(6);
        KafkaLog oldLog = KafkaLog.open(options);
        assertThat(oldLog.eventsReadFrom()).as("new topics: nothing to skip").containsEntry(0, 0L);
        Curricula old = Curricula.open(oldLog, store, Faults.NONE);
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < 3; i++) if (oldLog.partition("b" + i) == 0) ids.add("b" + i);
        // a curriculum created and deleted first: its number is never given again, though its records lie before the bounded start
        String gone = null;
        for (int i = 0; gone == null; i++) if (oldLog.partition("gone" + i) == 0) gone = "gone" + i;
        old.create(gone, CONFIG);
        long goneCid = oldLog.curricula().stream().mapToLong(CurriculumLog.Row::cid).max().orElseThrow();
        old.delete(gone);
        SplittableRandom rnd = new SplittableRandom(11);
        Map<String, byte[]> answers = new HashMap<>();
        Map<String, List<Outcome>> sent = new HashMap<>();
        for (String id : ids) {
            old.create(id, CONFIG);
            old.addTasks(id, tasks(9));
        }
        for (int b = 0; b < BATCHES; b++) {
            for (String id : ids) {
                old.next(id, 2, id + "-n" + b, s -> bytes(s.taskIds()));
                List<Outcome> o = List.of(Outcome.of("t" + rnd.nextInt(9), rnd.nextInt(2), rnd.nextInt(2)));
                String batch = id + "-b" + b;
                sent.put(batch, o);
                answers.put(batch, old.report(id, batch, o, s -> bytes(s.accepted() + "/" + s)).body());
            }
        }
        Map<String, byte[]> states = new HashMap<>();
        Map<String, List<String>> logs = new HashMap<>();
        for (String id : ids) {
            states.put(id, old.read(id, Curriculum::snapshot));
            logs.put(id, exported(old, id));
            assertThat(logs.get(id)).hasSize((int) old.info(id).events()).first().asString().startsWith("1:");
        }

        // the new owner of partition 0 (the old one is still running: it is fenced)
        KafkaLog newLog = KafkaLog.open(options);
        try (Curricula owner = Curricula.open(newLog, store, Faults.NONE)) {
            long from = newLog.eventsReadFrom().get(0);
            assertThat(from).as("read from the snapshots' offset, not from 0").isGreaterThan(0);
            // each curriculum made 2 + 2 × BATCHES events, snapshotted along the way: recovery replays the tail, never the whole history
            for (Curricula.Recovered r : owner.recovered()) assertThat(r.replayed()).as(r.id()).isLessThan(BATCHES / 2);
            assertThat(newLog.olderLoads()).as("recovery needed nothing before the bounded start").isZero();
            assertThat(owner.ids()).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) assertThat(owner.read(id, Curriculum::snapshot)).as(id).isEqualTo(states.get(id));

            // recent batch ids are answered from the log without reading older events
            for (String id : ids) {
                String last = id + "-b" + (BATCHES - 1);
                Curricula.Reply again = owner.report(id, last, sent.get(last), s -> bytes("applied twice"));
                assertThat(again.replayed()).isTrue();
                assertThat(again.body()).isEqualTo(answers.get(last));
            }
            assertThat(newLog.olderLoads()).isZero();
            // the oldest batch id, far before the bounded start: still its stored answer, never applied again
            String first = ids.get(0) + "-b0";
            Curricula.Reply again = owner.report(ids.get(0), first, sent.get(first), s -> bytes("applied twice"));
            assertThat(again.replayed()).isTrue();
            assertThat(again.body()).isEqualTo(answers.get(first));
            assertThat(newLog.olderLoads()).as("the older events of that curriculum were read once, for it alone").isEqualTo(1);
            assertThat(owner.read(ids.get(0), Curriculum::snapshot)).isEqualTo(states.get(ids.get(0)));
            // the export is the whole log, as the old owner (which read everything) exported it
            for (String id : ids) assertThat(exported(owner, id)).as(id).isEqualTo(logs.get(id));
            assertThat(newLog.olderLoads()).isEqualTo(ids.size());

            // the old owner is fenced; the new one goes on, and never reuses a number
            assertThatThrownBy(() -> old.report(ids.get(1), "late", List.of(Outcome.of("t1", 1, 1)), s -> bytes(s.accepted())))
                    .isInstanceOf(StoreFailedException.class).hasMessageContaining("fenced");
            assertThat(newLog.maxCid()).isGreaterThanOrEqualTo(goneCid);
            String fresh = null;
            for (int i = 0; fresh == null; i++) if (newLog.partition("fresh" + i) == 0) fresh = "fresh" + i;
            owner.create(fresh, CONFIG);
            String f = fresh;
            long freshCid = newLog.curricula().stream().filter(r -> r.name().equals(f)).findFirst().orElseThrow().cid();
            for (CurriculumLog.Row r : oldLog.curricula()) assertThat(freshCid).isNotEqualTo(r.cid());
            assertThat(freshCid).isGreaterThan(goneCid);
        } finally {
            old.close();
        }
    }

    @Test
    void theNewRecordsRoundTrip() {
        for (LogRecord r : List.of(new LogRecord.ReadFrom(3, 120, 98_765), new LogRecord.MaxCid(41), new LogRecord.Forget(7, 300))) {
            assertThat(LogRecord.decode(LogRecord.encode(r))).isEqualTo(r);
        }
        assertThat(LogRecord.readFromKey(3, 120)).isEqualTo("from/3/120");
        assertThat(LogRecord.maxCidKey(1)).isEqualTo("maxcid/1");
        assertThat(LogRecord.forgetKey(7)).isEqualTo("forget/7");
    }
}
