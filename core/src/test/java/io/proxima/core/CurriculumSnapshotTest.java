package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.snapshot.SnapshotFormat;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot format: versioned header, corrupt input rejected cleanly, stored v1 and v2 snapshots. */
class CurriculumSnapshotTest {
    private static final String GOLDEN = "/snapshots/v1-sec-odf-dapo.bin";
    private static final String GOLDEN_V2 = "/snapshots/v2-sec-odf-dapo-pending.bin";

    static Stream<String> configs() {
        return Scenario.CONFIGS.keySet().stream();
    }

    /**
     * The script behind the stored snapshot: fixed config, pool and outcomes. Its configuration is
     * read as a stored one (no "defaults" key: the legacy defaults it was written with), as a
     * restore reads it.
     */
    static Curriculum goldenScript() {
        CurriculumConfig cfg = CurriculumConfig.fromStoredJson("{\"recipe\":\"sec\",\"seed\":20251125,\"rollouts\":4,"
                + "\"itemPolicy\":{\"type\":\"odf\"},\"filter\":{\"type\":\"dapo\"},\"groupPolicy\":{\"tau\":0.5}}");
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) tasks.add(TaskSpec.of("task-" + i, "level-" + (i % 3), i % 5 == 0 ? 0.1 * (i % 10) : Double.NaN));
        Curriculum c = Curriculum.create(cfg, tasks);
        for (int step = 0; step < 6; step++) {
            Selection s = c.next(6);
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : s.tasks()) {
                int k = Integer.parseInt(t.taskId().substring(5));
                out.add(Outcome.binary(t.taskId(), (k + step) % 5, 4).atStep(step));
            }
            c.report(out);
        }
        c.addTasks(List.of(TaskSpec.of("late", "level-new")));
        return c;
    }

    @Test
    void storedVersion1SnapshotStillRestores() throws IOException {
        String write = System.getProperty("proxima.writeGolden");
        if (write != null) Files.write(Path.of(write).resolve(GOLDEN.substring(1)), goldenScript().snapshot());
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            assertThat(in).as("stored snapshot " + GOLDEN).isNotNull();
            golden = in.readAllBytes();
        }
        Curriculum c = Curriculum.restore(golden);
        CurriculumStats s = c.stats();
        assertThat(s.recipe()).isEqualTo("sec");
        assertThat(s.tasks()).isEqualTo(31);
        assertThat(s.batches()).isEqualTo(6);
        assertThat(s.selections()).isEqualTo(36);
        assertThat(s.reports()).isEqualTo(36);
        assertThat(s.rollouts()).isEqualTo(144);
        assertThat(s.groups()).extracting(CurriculumStats.Group::name).containsExactly("level-0", "level-1", "level-2", "level-new");
        assertThat(c.events()).isEqualTo(1 + 12 + 1);
        assertThat(c.config().seed()).isEqualTo(20251125);
        Invariants.check(c);
        // restored from v1, every task has one selection of unknown rollouts awaiting: its first report is not flagged
        assertThat(s.notSelected()).isZero();
        c.report(List.of(Outcome.binary("late", 1, 3)));
        assertThat(c.stats().notSelected()).isZero();
        assertThat(c.stats().rolloutsMismatch()).isZero();
        c.report(List.of(Outcome.binary("late", 1, 3)));
        assertThat(c.stats().notSelected()).as("the second report of a task never selected").isEqualTo(1);
        // and the engine still computes the same state from the same script: the v2 bytes are the v1
        // bytes with the version changed and the pending selections inserted before the end marker
        byte[] now = goldenScript().snapshot();
        // (v3 adds the lineage after them: an int, 0 links)
        int pendingBytes = 4 + 4 + 8 + 8 + 4; // no selection awaits (the script reports each batch): an empty map, no v1 bits, two counts
        byte[] asV1 = new byte[now.length - pendingBytes];
        System.arraycopy(now, 0, asV1, 0, asV1.length - 4);
        System.arraycopy(now, now.length - 4, asV1, asV1.length - 4, 4);
        ByteBuffer.wrap(asV1).putInt(4, 1);
        assertThat(asV1).as("same config + seed + events ⇒ same state").isEqualTo(golden);
    }

    /** The v2 script: the v1 one, then selections left unreported, a report of a task never selected and one of too few rewards. */
    static Curriculum goldenScriptV2() {
        Curriculum c = goldenScript();
        Selection s = c.next(4);
        List<Outcome> out = new ArrayList<>();
        out.add(Outcome.binary(s.tasks().get(0).taskId(), 2, 4));
        out.add(Outcome.binary(s.tasks().get(1).taskId(), 1, 3)); // 3 rewards for 4 rollouts
        out.add(Outcome.binary("late", 1, 4)); // never selected
        c.report(out);
        c.next(2); // awaiting reports at the snapshot
        return c;
    }

    @Test
    void storedVersion2SnapshotRestoresWithItsPendingSelections() throws IOException {
        String write = System.getProperty("proxima.writeGolden");
        if (write != null) Files.write(Path.of(write).resolve(GOLDEN_V2.substring(1)), goldenScriptV2().snapshot());
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN_V2)) {
            assertThat(in).as("stored snapshot " + GOLDEN_V2).isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(ByteBuffer.wrap(golden).getInt(4)).isEqualTo(2);
        Curriculum c = Curriculum.restore(golden);
        CurriculumStats s = c.stats();
        assertThat(s.batches()).isEqualTo(8);
        assertThat(s.notSelected()).isEqualTo(1);
        assertThat(s.rolloutsMismatch()).isEqualTo(1);
        Invariants.check(c);
        if (SnapshotFormat.VERSION == 2) assertThat(c.snapshot()).as("the v2 layout is frozen").isEqualTo(golden);
        // the v3 bytes are the v2 bytes with the version changed and the lineage (an int: no links) before the end marker
        byte[] now = goldenScriptV2().snapshot();
        byte[] asV2 = new byte[now.length - 4];
        System.arraycopy(now, 0, asV2, 0, asV2.length - 4);
        System.arraycopy(now, now.length - 4, asV2, asV2.length - 4, 4);
        ByteBuffer.wrap(asV2).putInt(4, 2);
        assertThat(asV2).as("same config + seed + events ⇒ same state").isEqualTo(golden);
    }

    private static byte[] sample(String name) {
        Scenario sc = new Scenario(3, Scenario.config(name, 0).featureDim(), true);
        Curriculum c = sc.create(Scenario.config(name, 3), 5);
        for (int i = 0; i < 8; i++) sc.step(c, name);
        return c.snapshot();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void truncatedSnapshotsAreRejectedCleanly(String name) {
        byte[] full = sample(name);
        int stride = Math.max(1, full.length / 80); // every prefix of the header, then ~80 cuts through the body
        for (int len = 0; len < full.length; len += len < 64 ? 1 : stride) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> Curriculum.restore(cut)).as("%s: %d of %d bytes", name, len, full.length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot");
        }
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThatThrownBy(() -> Curriculum.restore(longer)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end marker");
    }

    @Test
    void headerIsChecked() {
        byte[] good = sample("sec");
        byte[] magic = good.clone();
        magic[0] ^= 1;
        assertThatThrownBy(() -> Curriculum.restore(magic)).hasMessageContaining("not a Proxima snapshot");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(4, SnapshotFormat.VERSION + 1);
        assertThatThrownBy(() -> Curriculum.restore(version)).hasMessageContaining("version " + (SnapshotFormat.VERSION + 1))
                .hasMessageContaining("reads " + SnapshotFormat.VERSION);
        // the configuration text follows the version (int length + UTF-8), then its hash
        int jsonLength = ByteBuffer.wrap(good).getInt(8);
        byte[] hash = good.clone();
        hash[12 + jsonLength] ^= 0x40;
        assertThatThrownBy(() -> Curriculum.restore(hash)).hasMessageContaining("configuration hash mismatch");
        assertThatThrownBy(() -> Curriculum.restore(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Curriculum.restore(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(ByteBuffer.wrap(good).getInt(0)).isEqualTo(SnapshotFormat.MAGIC);
    }

    @Test
    void anEmptyCurriculumRoundTrips() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"dump\"}"));
        byte[] snap = c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.size()).isZero();
        assertThatThrownBy(() -> back.next(1)).hasMessageContaining("pool is empty");
        back.addTasks(List.of(TaskSpec.of("a", "x"), TaskSpec.of("b", "y")));
        c.addTasks(List.of(TaskSpec.of("a", "x"), TaskSpec.of("b", "y")));
        assertThat(back.next(2)).isEqualTo(c.next(2));
        Invariants.check(back);
    }
}
