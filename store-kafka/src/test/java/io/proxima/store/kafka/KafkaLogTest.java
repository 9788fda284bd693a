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
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the Kafka log has: fencing of a previous owner, and its record format. One in-process
 * KRaft cluster for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaLogTest {
    @RegisterExtension
    final KafkaClusterExtension cluster = new KafkaClusterExtension();

    private static final CurriculumConfig CONFIG = CurriculumConfig.fromJson("{\"recipe\": \"sec\", \"seed\": 3, \"rollouts\": 2}");

    /** A rendered answer: the object's text (shared with the other Kafka store tests). */
    static byte[] bytes(Object o) {
        return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code n} tasks in three groups, prior difficulty 0.5. */
    static List<TaskSpec> tasks(int n) {
        List<TaskSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TaskSpec.of("t" + i, "g" + (i % 3), 0.5));
        return out;
    }

    @Test
    void aNewOwnerFencesTheOldOneWhichAcknowledgesNothingMoreAndLosesNothingItAcknowledged() {
        KafkaLogOptions options = cluster.options("fence");
        StoreOptions store = StoreOptions.DEFAULTS.withSnapshotEvery(5);
        Curricula old = Curricula.open(KafkaLog.open(options), store, Faults.NONE);
        old.create("a", CONFIG);
        old.addTasks("a", tasks(12));
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            old.next("a", 2, null, s -> bytes(s.taskIds()));
            old.report("a", "b" + i, List.of(Outcome.of("t" + i, 1, 0)), s -> bytes(s.accepted()));
            acknowledged.add("b" + i);
        }
        byte[] state = old.read("a", Curriculum::snapshot);

        // A second instance takes the log over while the first still runs (cut off, say): same transactional id.
        try (Curricula owner = Curricula.open(KafkaLog.open(options), store, Faults.NONE)) {
            assertThat(owner.read("a", Curriculum::snapshot)).as("everything the old owner acknowledged").isEqualTo(state);
            // the old owner's next write is refused, and it cannot resume: it was fenced
            assertThatThrownBy(() -> old.report("a", "late", List.of(Outcome.of("t7", 1, 1)), s -> bytes(s.accepted())))
                    .isInstanceOf(StoreFailedException.class).hasMessageContaining("fenced");
            assertThat(old.resume()).isFalse();
            assertThat(old.read("a", Curriculum::snapshot)).as("the refused write is not in the old owner's memory either").isEqualTo(state);
            // the new owner goes on; the refused batch id is new to it, the acknowledged ones are known
            assertThat(owner.report("a", "late", List.of(Outcome.of("t7", 1, 1)), s -> bytes(s.accepted())).replayed()).isFalse();
            for (String b : acknowledged) {
                assertThatThrownBy(() -> owner.report("a", b, List.of(Outcome.of("t9", 0)), s -> bytes(s.accepted())))
                        .as(b).hasMessageContaining("already used");
            }
        } finally {
            old.close();
        }
    }

    /** Ids that land in partition {@code p} of {@code log}, in a fixed order. */
    private static List<String> idsIn(KafkaLog log, int p, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) if (log.partition("c" + i) == p) out.add("c" + i);
        return out;
    }

    @Test
    void partitionOwnersWriteSideBySideAndATakeoverFencesOnlyThatPartitionsOwner() {
        KafkaLogOptions options = cluster.options("owners");
        StoreOptions store = StoreOptions.DEFAULTS.withSnapshotEvery(4);
        Curricula p0 = Curricula.open(KafkaLog.open(options.withPartition(0)), store, Faults.NONE);
        Curricula p1 = Curricula.open(KafkaLog.open(options.withPartition(1)), store, Faults.NONE);
        try (KafkaLog probe = KafkaLog.open(options.withTransactionalId("owners.probe"))) {
            List<String> in0 = idsIn(probe, 0, 3);
            List<String> in1 = idsIn(probe, 1, 3);
            for (String id : in0) p0.create(id, CONFIG);
            for (String id : in1) p1.create(id, CONFIG);
            // a curriculum of the other partition is refused, not written past that partition's owner
            String foreign = idsIn(probe, 1, 4).get(3);
            assertThatThrownBy(() -> p0.create(foreign, CONFIG)).isInstanceOf(StoreFailedException.class).hasMessageContaining("belongs to partition 1");
            assertThat(p0.ids()).containsExactlyInAnyOrderElementsOf(in0);
            assertThat(p0.failed()).as("a refused create does not stop the log").isFalse();
            for (int i = 0; i < 5; i++) {
                for (String id : in0) {
                    if (i == 0) p0.addTasks(id, tasks(6));
                    p0.report(id, id + "-b" + i, List.of(Outcome.of("t" + i, 1, 0)), s -> bytes(s.accepted()));
                }
                for (String id : in1) {
                    if (i == 0) p1.addTasks(id, tasks(6));
                    p1.report(id, id + "-b" + i, List.of(Outcome.of("t" + i, 0, 1)), s -> bytes(s.accepted()));
                }
            }
            // numbers are unique across partitions: a reader of both sees every curriculum once
            try (Curricula all = Curricula.open(KafkaLog.open(options.withTransactionalId("owners.all")), store, Faults.NONE)) {
                List<String> every = new ArrayList<>(in0);
                every.addAll(in1);
                assertThat(all.ids()).containsExactlyInAnyOrderElementsOf(every);
                for (String id : in0) assertThat(all.read(id, Curriculum::snapshot)).isEqualTo(p0.read(id, Curriculum::snapshot));
                for (String id : in1) assertThat(all.read(id, Curriculum::snapshot)).isEqualTo(p1.read(id, Curriculum::snapshot));
            }
            // partition 1 taken over by a new owner: the old owner of 1 is fenced, the owner of 0 is not
            byte[] before = p1.read(in1.get(0), Curriculum::snapshot);
            try (Curricula next1 = Curricula.open(KafkaLog.open(options.withPartition(1)), store, Faults.NONE)) {
                assertThat(next1.ids()).containsExactlyInAnyOrderElementsOf(in1);
                assertThat(next1.read(in1.get(0), Curriculum::snapshot)).isEqualTo(before);
                assertThatThrownBy(() -> p1.report(in1.get(0), "late", List.of(Outcome.of("t1", 1)), s -> bytes(s.accepted())))
                        .isInstanceOf(StoreFailedException.class).hasMessageContaining("fenced");
                assertThat(p0.report(in0.get(0), "still", List.of(Outcome.of("t1", 1)), s -> bytes(s.accepted())).replayed()).isFalse();
                assertThat(next1.report(in1.get(0), "late", List.of(Outcome.of("t1", 1)), s -> bytes(s.accepted())).replayed()).isFalse();
                assertThat(next1.report(in1.get(0), in1.get(0) + "-b2", List.of(Outcome.of("t2", 0, 1)), s -> bytes(s.accepted())).replayed())
                        .as("an acknowledged batch id is answered from the log").isTrue();
            }
        } finally {
            p0.close();
            p1.close();
        }
        assertThatThrownBy(() -> KafkaLog.open(options.withPartition(2))).hasMessageContaining("partition 2 does not exist: the topics have 2 partitions");
    }

    @Test
    void curriculaSpreadOverPartitionsAndEachOneStaysInItsPartition() {
        KafkaLogOptions options = cluster.options("spread").withPartitions(3);
        SplittableRandom rnd = new SplittableRandom(1);
        try (KafkaLog log = KafkaLog.open(options)) {
            assertThat(log.partitions()).isEqualTo(3);
            boolean[] used = new boolean[3];
            for (int i = 0; i < 40; i++) {
                String id = "c" + rnd.nextInt(1_000_000);
                int p = log.partition(id);
                assertThat(p).isBetween(0, 2).isEqualTo(log.partition(id));
                used[p] = true;
            }
            assertThat(used).containsOnly(true);
        }
        // reopened with another partition count: the existing topics decide
        try (KafkaLog log = KafkaLog.open(options.withPartitions(5))) {
            assertThat(log.partitions()).isEqualTo(3);
        }
    }

    @Test
    void anUnreachableClusterIsAClearErrorWithinTheTimeout() throws Exception {
        int unused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            unused = s.getLocalPort(); // closed again: nothing listens there
        }
        KafkaLogOptions nowhere = KafkaLogOptions.at("127.0.0.1:" + unused).withTimeout(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> KafkaLog.open(nowhere)).isInstanceOf(StoreFailedException.class)
                .hasMessageStartingWith("the Kafka cluster at 127.0.0.1:" + unused + " did not answer within PT2S");
        assertThatThrownBy(() -> KafkaLogOptions.at(" ")).hasMessageContaining("bootstrap must be HOST:PORT");
        assertThatThrownBy(() -> KafkaLogOptions.at("h:1").withTopicPrefix("a b")).hasMessageContaining("topicPrefix must be");
        assertThatThrownBy(() -> KafkaLogOptions.at("h:1").withPartitions(0)).hasMessageContaining("partitions must be in [1, 10000], got 0");
    }

    @Test
    void recordsRoundTripAndGarbageIsRefusedWithAReason() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[rnd.nextInt(40)];
            for (int k = 0; k < payload.length; k++) payload[k] = (byte) rnd.nextInt(256);
            String key = rnd.nextBoolean() ? null : "k" + rnd.nextInt(100) + "é";
            byte[] response = rnd.nextBoolean() ? null : payload.clone();
            LogRecord r = new LogRecord.Append(rnd.nextLong(), new CurriculumLog.StoredEvent(rnd.nextLong(), (byte) rnd.nextInt(5), key, rnd.nextLong(),
                    payload, rnd.nextLong(), response));
            LogRecord back = LogRecord.decode(LogRecord.encode(r));
            assertThat(back).usingRecursiveComparison().isEqualTo(r);
        }
        byte[] ok = LogRecord.encode(new LogRecord.Truncate(3, 9));
        assertThat(LogRecord.decode(ok)).isEqualTo(new LogRecord.Truncate(3, 9));
        byte[] badMagic = ok.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> LogRecord.decode(badMagic)).hasMessageContaining("magic");
        byte[] badVersion = ok.clone();
        badVersion[2] = 9;
        assertThatThrownBy(() -> LogRecord.decode(badVersion)).hasMessageContaining("version 9");
        byte[] badType = ok.clone();
        badType[3] = 99;
        assertThatThrownBy(() -> LogRecord.decode(badType)).hasMessageContaining("type 99");
        assertThatThrownBy(() -> LogRecord.decode(java.util.Arrays.copyOf(ok, ok.length - 3))).hasMessageContaining("truncated");
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 2);
        assertThatThrownBy(() -> LogRecord.decode(longer)).hasMessageContaining("trailing");
    }
}
