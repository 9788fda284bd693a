package io.proxima.sim.run;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.PromptLearnerSpec;
import io.proxima.sim.learner.StrictJson;
import io.proxima.sim.report.ReportWriter;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetaTest {
    static final PromptLearnerSpec TINY = LearnerFiles.read(Path.of("..", "examples", "lab", "tiny.json")).prompts();

    @Test
    void theMetaTeachersMemberProbabilitiesAreReported() throws Exception {
        Map<String, Object> m = new StrictJson().object(Files.readString(Path.of("..", "examples", "lab", "configs",
                "meta-uniform-random-dump.json")), "meta");
        LabOptions o = new LabOptions(4_000, 16, 8, 10, 10, 2, 1, 2, Double.NaN);
        Comparison c = Lab.compare(TINY, List.of(TeacherSpec.config("meta", m)), o, null);
        RunResult r = c.runs().get(c.teacherIndex("meta")).get(0);
        double sum = 0;
        int members = 0;
        for (Map.Entry<String, Double> e : r.teacherStats().entrySet()) {
            if (e.getKey().startsWith("meta.") && e.getKey().endsWith(".probability")) {
                sum += e.getValue();
                members++;
            }
        }
        assertThat(members).isEqualTo(3);
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        assertThat(ReportWriter.markdown(c)).contains("Meta-teacher: member probabilities", "| meta | 2.dump |", "mean over the run");
        assertThat(c.runs().get(c.teacherIndex("uniform")).get(0).teacherStats()).doesNotContainKey("meta.0.uniform.probability");
    }
}
