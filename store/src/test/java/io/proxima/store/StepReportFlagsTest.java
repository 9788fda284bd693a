package io.proxima.store;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportFlag;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Report flags (issue 12 item 4) through {@link Curricula#step}: the report part of a step is
 * flagged exactly as a plain report is (checked against a twin curriculum fed report then next),
 * and with {@code strictReports} a report part that would be flagged refuses the whole step:
 * no next part is drawn, nothing changes, and its batch id is not used up.
 */
class StepReportFlagsTest {
    @TempDir
    Path dir;

    private static final List<TaskSpec> TASKS = List.of(TaskSpec.of("a", "g"), TaskSpec.of("b", "g"), TaskSpec.of("c", "g"));

    private static CurriculumConfig config(boolean strict) {
        return CurriculumConfig.fromJson("{\"recipe\": \"uniform\", \"seed\": 2, \"rollouts\": 4" + (strict ? ", \"strictReports\": true" : "") + "}");
    }

    private static Selection next(Curricula store, String id, int n) {
        Selection[] s = new Selection[1];
        store.next(id, n, null, x -> {
            s[0] = x;
            return Workload.bytes(x);
        });
        return s[0];
    }

    private static double[] rewards(int n) {
        double[] r = new double[n];
        for (int k = 0; k < n; k += 2) r[k] = 1;
        return r;
    }

    /** The first selected task with 4 rewards, a task never selected with 4, the second selected task with 3. */
    private static List<Outcome> flaggedOutcomes(Selection s) {
        List<String> ids = s.taskIds();
        String never = TASKS.stream().map(TaskSpec::id).filter(t -> !ids.contains(t)).findFirst().orElseThrow();
        List<Outcome> out = new ArrayList<>();
        out.add(Outcome.of(ids.get(0), rewards(4)));
        out.add(Outcome.of(never, rewards(4)));
        out.add(Outcome.of(ids.get(1), rewards(3)));
        return out;
    }

    @Test
    void aStepsReportPartIsFlaggedAsAPlainReportIs() {
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            for (String id : List.of("step", "twin")) {
                store.create(id, config(false));
                store.addTasks(id, TASKS);
            }
            Selection s = next(store, "step", 2);
            assertThat(next(store, "twin", 2).taskIds()).isEqualTo(s.taskIds());
            List<Outcome> outcomes = flaggedOutcomes(s);

            ReportResult[] stepped = new ReportResult[1];
            Selection[] drawn = new Selection[1];
            Curricula.StepReply r = store.step("step", "b1", outcomes, 2, x -> {
                stepped[0] = x;
                return Workload.bytes(x);
            }, x -> {
                drawn[0] = x;
                return Workload.bytes(x);
            });
            ReportResult[] plain = new ReportResult[1];
            byte[] twinReport = store.report("twin", "b1", outcomes, x -> {
                plain[0] = x;
                return Workload.bytes(x);
            }).body();
            Selection twinNext = next(store, "twin", 2);

            assertThat(stepped[0]).isEqualTo(plain[0]);
            assertThat(r.report().body()).isEqualTo(twinReport);
            assertThat(stepped[0].verdicts()).extracting(Verdict::flag).containsExactly(null, ReportFlag.NOT_SELECTED, ReportFlag.ROLLOUTS_MISMATCH);
            assertThat(stepped[0].verdicts().get(2).allotted()).isEqualTo(4);
            assertThat(stepped[0].flagged()).isEqualTo(2);
            assertThat(drawn[0].taskIds()).isEqualTo(twinNext.taskIds());
            assertThat(store.stats("step").notSelected()).isEqualTo(1);
            assertThat(store.stats("step").rolloutsMismatch()).isEqualTo(1);
            assertThat(Trainer.stored(store, "step")).as("the same state as report then next").isEqualTo(Trainer.stored(store, "twin"));

            // a retry is the stored answer, flags included, and counts nothing twice
            Curricula.StepReply again = store.step("step", "b1", outcomes, 2, Workload::bytes, Workload::bytes);
            assertThat(again.report().replayed()).isTrue();
            assertThat(again.report().body()).isEqualTo(r.report().body());
            assertThat(store.stats("step").notSelected()).isEqualTo(1);
        }
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            assertThat(store.stats("step").notSelected()).as("reopened").isEqualTo(1);
            assertThat(store.stats("step").rolloutsMismatch()).isEqualTo(1);
            assertThat(Trainer.stored(store, "step")).isEqualTo(Trainer.stored(store, "twin"));
        }
    }

    @Test
    void strictReportsRefusesTheWholeStepAndLeavesItsBatchIdFree() {
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            store.create("s", config(true));
            store.addTasks("s", TASKS);
            Selection s = next(store, "s", 2);
            byte[] state = Trainer.stored(store, "s");
            Curricula.Info info = store.info("s");
            int[] nextDrawn = {0};
            List<Outcome> neverSelected = flaggedOutcomes(s).subList(0, 2);
            assertThatThrownBy(() -> store.step("s", "b1", neverSelected, 2, Workload::bytes, x -> {
                nextDrawn[0]++;
                return Workload.bytes(x);
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outcomes[1].taskId").hasMessageContaining("strictReports");
            List<Outcome> tooFew = List.of(Outcome.of(s.taskIds().get(0), rewards(3)));
            assertThatThrownBy(() -> store.step("s", "b1", tooFew, 2, Workload::bytes, x -> {
                nextDrawn[0]++;
                return Workload.bytes(x);
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outcomes[0].rewards").hasMessageContaining("allotted 4");
            assertThat(nextDrawn[0]).as("no next part was drawn").isZero();
            assertThat(Trainer.stored(store, "s")).as("nothing changed").isEqualTo(state);
            assertThat(store.info("s")).isEqualTo(info);
            assertThat(store.stats("s").notSelected()).isZero();
            assertThat(store.stats("s").rolloutsMismatch()).isZero();

            // the batch id was not used up: the right report under it is a fresh step
            List<Outcome> right = List.of(Outcome.of(s.taskIds().get(0), rewards(4)), Outcome.of(s.taskIds().get(1), rewards(4)));
            ReportResult[] result = new ReportResult[1];
            Curricula.StepReply ok = store.step("s", "b1", right, 2, x -> {
                result[0] = x;
                return Workload.bytes(x);
            }, x -> {
                nextDrawn[0]++;
                return Workload.bytes(x);
            });
            assertThat(ok.report().replayed()).isFalse();
            assertThat(ok.next().replayed()).isFalse();
            assertThat(result[0].flagged()).isZero();
            assertThat(nextDrawn[0]).isEqualTo(1);
            assertThat(store.info("s").events()).isEqualTo(info.events() + 2);
            assertThat(Arrays.equals(Trainer.stored(store, "s"), state)).isFalse();
        }
    }
}
