package io.proxima.core.continuous;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored snapshots of format version 1, one per teacher (resources {@code continuous/v1-*.bin}):
 * this build must read them, write them back byte for byte, and reproduce them from the same
 * calls. A deliberate change of the format or of a teacher's behaviour regenerates them with
 * {@code main} (run from {@code core/}: writes into {@code src/test/resources/continuous/}); a
 * new format version keeps the old files and adds new ones.
 */
class GoldenSnapshotTest {
    static byte[] scenario(String teacher) {
        ContinuousCurriculum c = ContinuousCurriculumTest.create(teacher, 21);
        ContinuousCurriculumTest.run(c, new ContinuousCurriculumTest.Learner(), 12, 10);
        c.next(3); // pending proposals in the snapshot
        return c.snapshot();
    }

    static byte[] stored(String teacher) throws IOException {
        try (InputStream in = GoldenSnapshotTest.class.getResourceAsStream("/continuous/v1-" + teacher + ".bin")) {
            assertThat(in).as("stored snapshot for %s", teacher).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl"})
    void version1SnapshotsRestoreAndReproduce(String teacher) throws IOException {
        byte[] golden = stored(teacher);
        ContinuousCurriculum back = ContinuousCurriculum.restore(golden);
        assertThat(back.snapshot()).isEqualTo(golden);
        assertThat(back.stats().episodes()).isEqualTo(120);
        assertThat(scenario(teacher)).isEqualTo(golden);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/continuous");
        Files.createDirectories(dir);
        for (String t : new String[] {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl"}) Files.write(dir.resolve("v1-" + t + ".bin"), scenario(t));
    }
}
