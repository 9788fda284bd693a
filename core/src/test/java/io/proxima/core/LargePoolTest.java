package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of a million tasks (design.md: "Target: ≤ 64 bytes of state per task"). No timing
 * assertion; the test only has to stay within a few seconds so the suite stays fast.
 */
class LargePoolTest {
    private static final int TASKS = 1_000_000;
    private static final int GROUPS = 10;

    @Test
    void aMillionTasksInTenGroups() {

        List<TaskSpec> specs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) specs.add(TaskSpec.of(Integer.toString(i, 36), "g" + (i % GROUPS), (i % 100) / 100.0));
        // sec over groups, the ODF band inside them, DAPO's filter: the pieces with per-task reads
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson(
                "{\"recipe\":\"sec\",\"seed\":1,\"itemPolicy\":{\"type\":\"odf\"},\"filter\":{\"type\":\"dapo\"}}"), specs);
        specs = null;
        assertThat(c.size()).isEqualTo(TASKS);

        Rng learner = new Rng(99);
        Set<String> everSelected = new HashSet<>();
        for (int step = 0; step < 4; step++) {
            Selection s = c.next(1024);
            assertThat(s.size()).isEqualTo(1024);
            assertThat(s.batch()).isEqualTo(step);
            Set<String> ids = new HashSet<>();
            List<Outcome> out = new ArrayList<>(1024);
            for (SelectedTask t : s.tasks()) {
                assertThat(ids.add(t.taskId())).isTrue();
                assertThat(t.rollouts()).isEqualTo(8);
                int i = Integer.parseInt(t.taskId(), 36);
                assertThat(i).isBetween(0, TASKS - 1);
                // easy tasks at low ids within each hundred: p = 1 − prior difficulty
                double p = 1 - (i % 100) / 100.0;
                double[] r = new double[8];
                for (int k = 0; k < 8; k++) r[k] = learner.nextDouble() < p ? 1 : 0;
                out.add(Outcome.of(t.taskId(), r));
            }
            everSelected.addAll(ids);
            ReportResult r = c.report(out);
            assertThat(r.accepted()).isEqualTo(1024);
            assertThat(r.kept() + r.dropped()).isEqualTo(1024);
        }
        assertThat(everSelected).hasSize(4 * 1024); // the walks never repeat a task within an epoch

        CurriculumStats s = Invariants.checkCounts(c, "1M");
        assertThat(s.tasks()).isEqualTo(TASKS);
        assertThat(s.groups()).hasSize(GROUPS).allSatisfy(g -> assertThat(g.size()).isEqualTo(TASKS / GROUPS));
        assertThat(s.selections()).isEqualTo(4 * 1024);
        assertThat(s.reports()).isEqualTo(4 * 1024);
        assertThat(s.rollouts()).isEqualTo(4 * 1024 * 8);
        // SEC learned something from the reports: Q moved off 0 for every group (all were sampled)
        assertThat(s.groups()).allSatisfy(g -> assertThat(g.score()).isPositive());

        // design.md: ≤ 64 bytes of per-task state (ids' strings excluded; Curriculum.footprintBytes
        // counts the pool's columns, its id index and group lists, and the pass-rate columns)
        long bytes = c.footprintBytes();
        double perTask = (double) bytes / TASKS;
        assertThat(perTask).as("footprint %d bytes for %d tasks", bytes, TASKS).isLessThanOrEqualTo(64.0);
        // and it does count them: group id + prior + member slot + 2 floats + 1 int of pass rates = 24,
        // plus ≥ 8 for the id index (a key reference and a table slot)
        assertThat(perTask).isGreaterThanOrEqualTo(32.0);

        // a pool added in many small batches grows its columns by doubling; still within the bound
        Curriculum grown = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"uniform\"}"));
        List<TaskSpec> chunk = new ArrayList<>(10_000);
        for (int i = 0; i < TASKS; i++) {
            chunk.add(TaskSpec.of(Integer.toString(i, 36), "g" + (i % GROUPS)));
            if (chunk.size() == 10_000) {
                grown.addTasks(chunk);
                chunk = new ArrayList<>(10_000);
            }
        }
        assertThat(grown.size()).isEqualTo(TASKS);
        assertThat((double) grown.footprintBytes() / TASKS).as("after growth").isLessThanOrEqualTo(64.0);
        assertThat(grown.next(1024).size()).isEqualTo(1024);
    }
}
