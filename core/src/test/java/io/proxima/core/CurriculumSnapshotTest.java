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

/** The snapshot format: versioned header, corrupt input rejected cleanly, a stored v1 snapshot. */
class CurriculumSnapshotTest {
    private static final String GOLDEN = "/snapshots/v1-sec-odf-dapo.bin";

    static Stream<String> configs() {
        return Scenario.CONFIGS.keySet().stream();
    }

    /** The script behind the stored snapshot: fixed config, pool and outcomes. */
    static Curriculum goldenScript() {
        CurriculumConfig cfg = CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":20251125,\"rollouts\":4,"
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
        if (SnapshotFormat.VERSION == 1) {
            // the v1 layout is frozen: restoring and writing again gives the stored bytes
            assertThat(c.snapshot()).isEqualTo(golden);
        }
        // and the engine still computes the same state from the same script
        assertThat(goldenScript().snapshot()).as("same config + seed + events ⇒ same state").isEqualTo(golden);
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
