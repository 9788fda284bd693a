package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurriculumTest {
    static List<TaskSpec> pool(int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) specs.add(TaskSpec.of("t" + i, "g" + (i % 3), (i % 10) / 10.0));
        return specs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "random", "odf", "dapo", "greso", "sec", "dump", "pcl", "plr", "robust-plr", "lp", "lp-ema", "knapsack"})
    void everyRecipeSelectsDistinctKnownTasks(String recipe) {
        Curriculum c = Curriculum.create(CurriculumConfig.builder().recipe(recipe).seed(3).build(), pool(100));
        for (int step = 0; step < 20; step++) {
            Selection s = c.next(16);
            assertThat(s.size()).isEqualTo(16);
            Set<String> ids = new HashSet<>(s.taskIds());
            assertThat(ids).hasSize(16);
            List<Outcome> out = new ArrayList<>();
            int total = 0;
            for (SelectedTask t : s.tasks()) {
                // an allocator moves rollouts between tasks, never the batch's total (16 × 8)
                if (!recipe.equals("knapsack")) assertThat(t.rollouts()).isEqualTo(8);
                assertThat(t.rollouts()).isBetween(2, 32);
                total += t.rollouts();
                int g = t.rollouts();
                out.add(Outcome.binary(t.taskId(), Math.min(g, (t.taskId().hashCode() & 7) + step % 2), g));
            }
            assertThat(total).isEqualTo(16 * 8);
            ReportResult r = c.report(out);
            assertThat(r.accepted()).isEqualTo(16);
            assertThat(r.kept() + r.dropped()).isEqualTo(16);
        }
        byte[] snap = c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.next(16)).isEqualTo(c.next(16));
    }

    @Test
    void rejectedReportLeavesStateByteIdentical() {
        Curriculum c = Curriculum.create(CurriculumConfig.builder().recipe("sec").build(), pool(10));
        c.next(4);
        byte[] before = c.snapshot();
        assertThatThrownBy(() -> c.report(List.of(Outcome.of("t1", 1, 0), Outcome.of("nope", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outcomes[1].taskId 'nope'");
        assertThatThrownBy(() -> c.report(List.of(Outcome.of("t1", 1, Double.NaN))))
                .hasMessageContaining("outcomes[0].rewards[1] must be finite");
        assertThatThrownBy(() -> c.report(List.of(Outcome.of("t1")))).hasMessageContaining("outcomes[0].rewards");
        assertThatThrownBy(() -> c.next(0)).hasMessageContaining("n must be >= 1, got 0");
        assertThatThrownBy(() -> c.next(11)).hasMessageContaining("exceeds the 10 tasks");
        assertThat(c.snapshot()).isEqualTo(before);
    }
}
