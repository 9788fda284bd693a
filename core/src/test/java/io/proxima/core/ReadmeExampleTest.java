package io.proxima.core;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Java in ten lines", as written there: it must compile and do what it says. The README's
 * block (imports included) is checked to be in this file line for line, so the two cannot drift apart,
 * and its Maven coordinates are checked against core/pom.xml.
 */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SELF = Path.of("src", "test", "java", "io", "proxima", "core", "ReadmeExampleTest.java");

    @Test
    void readmeJavaBlockIsThisTestLineForLine() throws IOException {
        String readme = Files.readString(README);
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a java block in README.md").isTrue();
        List<String> self = Files.readAllLines(SELF).stream().map(String::strip).toList();
        int at = 0;
        for (String line : m.group(1).split("\\n")) {
            if (line.isBlank()) continue;
            int found = self.subList(at, self.size()).indexOf(line.strip());
            assertThat(found).as("README line not in ReadmeExampleTest (in order): " + line).isGreaterThanOrEqualTo(0);
            at += found + 1;
        }
    }

    @Test
    void readmeMavenCoordinatesAreCoresOwn() throws IOException {
        String readme = Files.readString(README);
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher v = Pattern.compile("<parent>.*?<version>(.*?)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(v.find()).isTrue();
        assertThat(pom).contains("<artifactId>proxima-core</artifactId>");
        assertThat(readme).contains("<groupId>io.proxima</groupId>", "<artifactId>proxima-core</artifactId>",
                "<version>" + v.group(1) + "</version>", "./mvnw -q install -pl core -am -DskipTests");
    }

    @Test
    void readmeExampleRuns() {
        CurriculumConfig config = CurriculumConfig.fromJson("""
            {"recipe": "sec", "seed": 7, "rollouts": 8, "groupPolicy": {"tau": 0.4}}""");
        Curriculum curriculum = Curriculum.create(config, List.of(
            TaskSpec.of("gsm8k/17", "gsm8k"), TaskSpec.of("math/l5/301", "math-l5", 0.9)));

        Selection batch = curriculum.next(2);                 // which tasks, how many rollouts each
        for (SelectedTask t : batch.tasks()) { /* generate t.rollouts() completions, score them */ }
        ReportResult r = curriculum.report(List.of(
            Outcome.of("gsm8k/17", 1, 1, 0, 1, 1, 1, 0, 1),  // one reward per rollout (a GRPO group)
            Outcome.of("math/l5/301", 0, 0, 0, 0, 0, 0, 0, 0)));
        byte[] checkpoint = curriculum.snapshot();            // Curriculum.restore(checkpoint) resumes exactly

        assertThat(batch.taskIds()).containsExactlyInAnyOrder("gsm8k/17", "math/l5/301");
        assertThat(batch.tasks()).allMatch(t -> t.rollouts() == 8);
        assertThat(r.verdicts().get(0).effective()).isTrue();
        assertThat(r.verdicts().get(1).effective()).isFalse();
        assertThat(Curriculum.restore(checkpoint).snapshot()).isEqualTo(checkpoint);
    }
}
