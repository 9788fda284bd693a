package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.proxima.core.teacher.TeacherTestSupport.curriculum;
import static io.proxima.core.teacher.TeacherTestSupport.grouped;
import static org.assertj.core.api.Assertions.assertThat;

/** ODF's filter half: the worked example of shared/algorithms/llm-rl.md §1 and its cold-start guard. */
class OnlineDifficultyFilterTest {
    private static Curriculum odf(String filter) {
        return curriculum("{\"recipe\":\"odf\",\"seed\":2,\"filter\":{\"type\":\"odf\"" + (filter.isEmpty() ? "" : ",") + filter + "}}", grouped(20, "r1", "r2", "x"));
    }

    /** Outcomes for tasks prefix-0.. with k_i successes of G. */
    private static List<Outcome> counts(String prefix, int g, int... k) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < k.length; i++) out.add(Outcome.binary(prefix + "-" + i, k[i], g));
        return out;
    }

    private static List<Boolean> keeps(ReportResult r) {
        return r.verdicts().stream().map(Verdict::keep).toList();
    }

    @Test
    void workedExampleKeepsTheBand() {
        Curriculum c = odf("");
        // Round 1, G = 8: k = [0,3,8,5,1,6] → p̂ = [0, .375, 1, .625, .125, .75] → keep prompts 2, 4, 6
        ReportResult r1 = c.report(counts("r1", 8, 0, 3, 8, 5, 1, 6));
        assertThat(keeps(r1)).containsExactly(false, true, false, true, false, true);
        assertThat(r1.kept()).isEqualTo(3);
        assertThat(r1.dropped()).isEqualTo(3);
        assertThat(r1.filterBypassed()).isFalse();
        assertThat(r1.verdicts().get(1).passRate()).isEqualTo(0.375);
        // Round 2: k = [2,7,4,0,8,3] → .25 kept, .875 dropped, .5 kept, 0 and 1 dropped, .375 kept
        ReportResult r2 = c.report(counts("r2", 8, 2, 7, 4, 0, 8, 3));
        assertThat(keeps(r2)).containsExactly(true, false, true, false, false, true);
        assertThat(r2.filterBypassed()).isFalse();
        // kept fraction over both rounds = 6/12
        assertThat(c.stats().teacher()).containsEntry("filter.keptShare", 0.5).containsEntry("filter.bypassed", 0.0);
    }

    @Test
    void bandIsInclusiveAtBothEnds() {
        Curriculum c = odf("");
        // G = 5: k = 1 → p̂ = .2 (kept), k = 4 → .8 (kept); G = 10: .1 and .9 dropped; .2/.8 at G = 10 kept
        ReportResult r = c.report(List.of(Outcome.binary("x-0", 1, 5), Outcome.binary("x-1", 4, 5),
                Outcome.binary("x-2", 1, 10), Outcome.binary("x-3", 9, 10), Outcome.binary("x-4", 2, 10),
                Outcome.binary("x-5", 8, 10)));
        assertThat(keeps(r)).containsExactly(true, true, false, false, true, true);
    }

    @Test
    void configuredBand() {
        Curriculum c = odf("\"low\":0.25,\"high\":0.5");
        ReportResult r = c.report(counts("x", 8, 1, 2, 3, 4, 5));
        assertThat(keeps(r)).containsExactly(false, true, true, true, false);
    }

    @Test
    void coldStartGuardKeepsEverythingWhileAlmostNothingPasses() {
        Curriculum c = odf("");
        // a learner near chance: every group all-wrong → nothing in the band; the guard (kept share
        // 0 < minKeepShare .2) lets everything through and says so
        ReportResult r = c.report(counts("r1", 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(r.filterBypassed()).isTrue();
        assertThat(r.kept()).isEqualTo(10);
        assertThat(r.dropped()).isZero();
        assertThat(keeps(r)).containsOnly(true);
        assertThat(c.stats().teacher()).containsEntry("filter.keptShare", 0.0).containsEntry("filter.bypassed", 1.0);
        // one lucky group among ten more (1/20 = .05 < .2): still bypassed
        r = c.report(counts("r2", 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(r.filterBypassed()).isTrue();
        assertThat(r.kept()).isEqualTo(10);
        // the learner warms up: 6 of the next 10 in band → 7/30 = .233 ≥ .2: the filter applies
        r = c.report(counts("x", 8, 4, 3, 5, 2, 6, 4, 0, 8, 0, 8));
        assertThat(r.filterBypassed()).isFalse();
        assertThat(keeps(r)).containsExactly(true, true, true, true, true, true, false, false, false, false);
        assertThat(r.dropped()).isEqualTo(4);
        assertThat(c.stats().teacher().get("filter.keptShare")).isEqualTo(7 / 30.0);
    }

    @Test
    void guardCanBeSwitchedOff() {
        Curriculum c = odf("\"minKeepShare\":0");
        ReportResult r = c.report(counts("r1", 8, 0, 0, 8, 8));
        assertThat(r.filterBypassed()).isFalse();
        assertThat(r.kept()).isZero();
        assertThat(r.dropped()).isEqualTo(4);
    }

    @Test
    void guardStateSurvivesSnapshots() {
        Curriculum c = odf("\"guardWindow\":8");
        c.report(counts("r1", 8, 0, 0, 0, 0, 0, 0));
        Curriculum back = Curriculum.restore(c.snapshot());
        List<Outcome> next = counts("r2", 8, 4, 4, 0);
        // ring of 8: 6 zeros + [keep, keep, drop] → 2/8 = .25 ≥ .2 on both
        ReportResult a = c.report(next);
        ReportResult b = back.report(next);
        assertThat(b).isEqualTo(a);
        assertThat(a.filterBypassed()).isFalse();
        assertThat(back.snapshot()).isEqualTo(c.snapshot());
    }
}
