package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.proxima.core.teacher.TeacherTestSupport.curriculum;
import static io.proxima.core.teacher.TeacherTestSupport.grouped;
import static org.assertj.core.api.Assertions.assertThat;

/** DAPO dynamic sampling: the worked example of shared/algorithms/llm-rl.md §2. */
class DynamicSamplingTest {
    private static Curriculum dapo() {
        return curriculum("{\"recipe\":\"dapo\",\"rollouts\":4}", grouped(10, "g"));
    }

    private static List<Boolean> keeps(ReportResult r) {
        return r.verdicts().stream().map(Verdict::keep).toList();
    }

    @Test
    void workedExample() {
        Curriculum c = dapo();
        // n = 4: g1 [1,1,1,1] std 0 drop; g2 [0,1,0,0] std .433 keep; g3 [0,0,0,0] drop; g4 [1,0,1,1] keep
        ReportResult r = c.report(List.of(Outcome.of("g-1", 1, 1, 1, 1), Outcome.of("g-2", 0, 1, 0, 0),
                Outcome.of("g-3", 0, 0, 0, 0), Outcome.of("g-4", 1, 0, 1, 1)));
        assertThat(keeps(r)).containsExactly(false, true, false, true);
        assertThat(r.kept()).isEqualTo(2); // num_prompt_in_batch = 2 ≥ train_batch_size 2
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.filterBypassed()).isFalse();
        assertThat(r.verdicts()).extracting(Verdict::effective).containsExactly(false, true, false, true);
    }

    @Test
    void groupOfOneIsKept() {
        Curriculum c = dapo();
        ReportResult r = c.report(List.of(Outcome.of("g-1", 1), Outcome.of("g-2", 0), Outcome.of("g-3", 1, 0)));
        assertThat(keeps(r)).containsExactly(true, true, true);
    }

    @Test
    void realValuedAgreementIsDropped() {
        Curriculum c = dapo();
        ReportResult r = c.report(List.of(Outcome.of("g-1", 0.5, 0.5, 0.5), Outcome.of("g-2", 0.5, 0.5, 0.25),
                Outcome.of("g-3", 1, 0), Outcome.of("g-4", 1, 0)));
        assertThat(keeps(r)).containsExactly(false, true, true, true);
    }

    @Test
    void guardLetsEverythingThroughWhenNoGroupCarriesGradient() {
        // verl's tolerance: max_num_gen_batches = 10 ≈ a kept share of 0.1
        Curriculum c = curriculum("{\"recipe\":\"dapo\",\"rollouts\":4,\"filter\":{\"minKeepShare\":0.1}}", grouped(10, "g"));
        ReportResult r = c.report(List.of(Outcome.of("g-1", 0, 0, 0, 0), Outcome.of("g-2", 1, 1, 1, 1)));
        assertThat(r.filterBypassed()).isTrue();
        assertThat(keeps(r)).containsOnly(true);
        // 1 effective of 10 remembered = .1, not below minKeepShare .1 → the filter applies again
        r = c.report(List.of(Outcome.of("g-3", 1, 0, 0, 0), Outcome.of("g-4", 0, 0, 0, 0), Outcome.of("g-5", 0, 0, 0, 0),
                Outcome.of("g-6", 0, 0, 0, 0), Outcome.of("g-7", 0, 0, 0, 0), Outcome.of("g-8", 0, 0, 0, 0),
                Outcome.of("g-9", 0, 0, 0, 0), Outcome.of("g-0", 0, 0, 0, 0)));
        assertThat(r.filterBypassed()).isFalse();
        assertThat(keeps(r)).containsExactly(true, false, false, false, false, false, false, false);
    }

    /** The default guard (0.5): with 1 group of 10 carrying gradient the filter would cost 10× the generation; it keeps everything. */
    @Test
    void defaultGuardKeepsEverythingWhileLessThanHalfCarriesGradient() {
        Curriculum c = dapo();
        List<Outcome> batch = new java.util.ArrayList<>(List.of(Outcome.of("g-1", 1, 0, 0, 0)));
        for (int i = 2; i <= 9; i++) batch.add(Outcome.of("g-" + i, 0, 0, 0, 0));
        ReportResult r = c.report(batch);
        assertThat(r.filterBypassed()).isTrue();
        assertThat(keeps(r)).containsOnly(true);
        // then 6 of 10 carry gradient: the recent kept share (7 of 19) is still below .5; after 10 more all effective it applies
        List<Outcome> good = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) good.add(Outcome.of("g-" + i, 1, 0, 1, 0));
        c.report(good);
        r = c.report(List.of(Outcome.of("g-1", 1, 0, 0, 0), Outcome.of("g-2", 1, 1, 1, 1)));
        assertThat(r.filterBypassed()).isFalse();
        assertThat(keeps(r)).containsExactly(true, false);
    }
}
