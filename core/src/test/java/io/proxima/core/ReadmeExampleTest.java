package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Java in ten lines", as written there: it must compile and do what it says. */
class ReadmeExampleTest {
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
