package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.GroupStats;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskPool;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Pacing (competence functions, anti-curriculum, cyclical) and self-paced learning (SPL, SPLD). */
class OrderedCurriculaTest {
    /** 100 tasks t0..t99 with prior difficulty i/100 (t0 easiest), one group. */
    static List<TaskSpec> ranked() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) tasks.add(TaskSpec.of("t" + i, "", i / 100.0));
        return tasks;
    }

    static Pacing.Params parse(String pieceJson) {
        return (Pacing.Params) CurriculumConfig.fromJson("{\"recipe\": \"pacing\", \"itemPolicy\": " + pieceJson + "}")
                .pipelines().get(0).itemPolicy().params();
    }

    @Test
    void competenceFunctionsByHand() {
        // linear, c0 = 0.01, T = 100: c(50) = 50·0.99/100 + 0.01 = 0.505
        assertThat(new Pacing(parse("{\"pacing\": \"linear\", \"steps\": 100}"), null).competence(50)).isCloseTo(0.505, within(1e-12));
        // root: c(50) = sqrt(50·(1 − 1e-4)/100 + 1e-4) = sqrt(0.50005) = 0.707142
        assertThat(new Pacing(parse("{\"pacing\": \"root\", \"steps\": 100}"), null).competence(50)).isCloseTo(Math.sqrt(0.50005), within(1e-12));
        assertThat(new Pacing(parse("{\"pacing\": \"root\", \"steps\": 100}"), null).competence(500)).isEqualTo(1.0);
        // exponential, p0 0.04, inc 1.5, stage 10: c(25) = 0.04·1.5² = 0.09
        assertThat(new Pacing(parse("{\"pacing\": \"exponential\", \"stageLength\": 10}"), null).competence(25)).isCloseTo(0.09, within(1e-12));
        // baby steps, 5 stages over 100 steps: stage ⌊45/20⌋ = 2 → 3/5
        assertThat(new Pacing(parse("{\"pacing\": \"babySteps\", \"steps\": 100}"), null).competence(45)).isCloseTo(0.6, within(1e-12));
        // cyclical (sp 0.25, ep 1, α 0.5): 0.25, 0.5, 1, 0.5, 0.25, 0.5, … one stage per 10 batches
        Pacing cyc = new Pacing(parse("{\"pacing\": \"cyclical\", \"stageLength\": 10}"), null);
        double[] expected = {0.25, 0.5, 1.0, 0.5, 0.25, 0.5, 1.0};
        for (int k = 0; k < expected.length; k++) assertThat(cyc.competence(10L * k + 3)).as("stage %d", k).isEqualTo(expected[k]);
        assertThat(Pacing.cyclePeriod(0.25, 1.0, 0.5)).containsExactly(0.25, 0.5, 1.0, 0.5);
    }

    @Test
    void onlyTheEasiestEligibleTasksAreSelected() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson(
                "{\"recipe\": \"pacing\", \"itemPolicy\": {\"pacing\": \"linear\", \"steps\": 100, \"c0\": 0.1}}"), ranked());
        for (int step = 0; step < 100; step++) {
            double comp = Math.min(1, step * 0.9 / 100 + 0.1);
            int eligible = (int) Math.ceil(comp * 100 - 1e-9);
            Selection s = c.next(5);
            for (String id : s.taskIds()) assertThat(Integer.parseInt(id.substring(1))).as("step %d", step).isLessThan(Math.max(eligible, 5));
        }
        byte[] snap = c.snapshot();
        assertThat(Curriculum.restore(snap).next(5)).isEqualTo(c.next(5));
    }

    @Test
    void antiCurriculumStartsHard() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson(
                "{\"recipe\": \"pacing\", \"itemPolicy\": {\"order\": \"hardFirst\", \"pacing\": \"linear\", \"c0\": 0.1}}"), ranked());
        for (String id : c.next(5).taskIds()) assertThat(Integer.parseInt(id.substring(1))).isGreaterThanOrEqualTo(90);
    }

    static List<TaskSpec> groups() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) tasks.add(TaskSpec.of("a" + i, "A"));
        for (int i = 0; i < 4; i++) tasks.add(TaskSpec.of("b" + i, "B"));
        return tasks;
    }

    static final double[] LOSSES = {0.1, 0.35, 0.36, 0.9, 0.05, 0.25, 0.5, 2.0};

    /** SPL fed one report of {@link #LOSSES} for a0..a3 (group A) and b0..b3 (group B). */
    static SelfPacedLearning spl(String params) {
        TaskPool pool = new TaskPool(0);
        pool.addAll(groups());
        GroupStats gs = new GroupStats();
        gs.ensureGroups(2);
        TeacherContext ctx = new TeacherContext(pool, new EpochWalk(pool), new PassRates(pool, gs, PassRates.Params.DEFAULTS), gs,
                new Rng(1), 8, Advantages.Mode.STD);
        SelfPacedLearning.Params p = (SelfPacedLearning.Params) CurriculumConfig.fromJson(
                "{\"recipe\": \"spl\", \"itemPolicy\": " + params + "}").pipelines().get(0).itemPolicy().params();
        SelfPacedLearning spl = new SelfPacedLearning(p, ctx);
        int[] task = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] group = {0, 0, 0, 0, 1, 1, 1, 1};
        double[][] rewards = new double[8][0];
        spl.observe(new ObservedBatch(0, task, group, rewards, new long[8], Advantages.Mode.STD, LOSSES.clone()));
        return spl;
    }

    @Test
    void splInclusionByHand() {
        // hard SPL, λ = 0.3: A includes {0.1}, B includes {0.05, 0.25}
        SelfPacedLearning spl = spl("{\"initialAge\": 0.3}");
        assertThat(spl.includedCount(0)).isEqualTo(1);
        assertThat(spl.includedCount(1)).isEqualTo(2);
        // through the curriculum: only included items are chosen once every item has a loss
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson(
                "{\"recipe\": \"spl\", \"itemPolicy\": {\"initialAge\": 0.3, \"growEvery\": 1000}}"), groups());
        c.next(8);
        List<Outcome> report = new ArrayList<>();
        String[] ids = {"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"};
        for (int i = 0; i < 8; i++) report.add(Outcome.ofLoss(ids[i], LOSSES[i]));
        c.report(report);
        for (int i = 0; i < 20; i++) assertThat(c.next(1).taskIds().get(0)).isIn("a0", "b0", "b1");
    }

    @Test
    void spldIncludesMoreOfEachGroup() {
        // λ = 0.3, γ = 0.2: thresholds by rank r: 0.3 + 0.2/(√r + √(r−1)) = 0.5, 0.3828, 0.3636, 0.3536
        // A sorted: 0.1 ✓, 0.35 ✓, 0.36 ✓, 0.9 ✗ → 3;  B: 0.05 ✓, 0.25 ✓, 0.5 ✗ → 2
        SelfPacedLearning spl = spl("{\"initialAge\": 0.3, \"diversity\": 0.2}");
        assertThat(spl.includedCount(0)).isEqualTo(3);
        assertThat(spl.includedCount(1)).isEqualTo(2);
    }

    @Test
    void ageStartsAtTheFirstMedianAndGrows() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"spl\", \"itemPolicy\": {\"growEvery\": 10}}"), groups());
        c.next(4);
        c.report(List.of(Outcome.ofLoss("a0", 0.1), Outcome.ofLoss("a1", 0.2), Outcome.ofLoss("a2", 0.4), Outcome.ofLoss("a3", 0.8)));
        // median of the first report = (0.2 + 0.4)/2 = 0.3
        assertThat(c.stats().teacher().get("spl.age")).isCloseTo(0.3, within(1e-9));
        for (int i = 0; i < 10; i++) c.next(1);
        assertThat(c.stats().teacher().get("spl.age")).isCloseTo(0.39, within(1e-9)); // ×1.3 after 10 batches
    }

    @Test
    void byDefaultTheAgeGrowsOncePerPassOverThePool() {
        // 8 items: λ₀ = median of the first report; after 8 more selections (one pass) λ = 1.3 λ₀
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"spl\"}"), groups());
        c.next(8);
        List<Outcome> report = new ArrayList<>();
        String[] ids = {"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"};
        for (int i = 0; i < 8; i++) report.add(Outcome.ofLoss(ids[i], LOSSES[i]));
        c.report(report);
        double age0 = (0.35 + 0.36) / 2; // median of {0.05, 0.1, 0.25, 0.35, 0.36, 0.5, 0.9, 2.0}
        assertThat(c.stats().teacher().get("spl.age")).isCloseTo(age0, within(1e-9));
        for (int i = 0; i < 7; i++) c.next(1);
        assertThat(c.stats().teacher().get("spl.age")).isCloseTo(age0, within(1e-9));
        c.next(1);
        assertThat(c.stats().teacher().get("spl.age")).isCloseTo(1.3 * age0, within(1e-9));
    }

    @Test
    void outcomesMustCarryWhatTheTeacherConsumes() {
        Curriculum spl = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"spl\"}"), groups());
        assertThatThrownBy(() -> spl.report(List.of(Outcome.of("a0", 1, 0)))).hasMessageContaining("outcomes[0].loss is missing")
                .hasMessageContaining("spl");
        Curriculum sec = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"sec\"}"), groups());
        assertThatThrownBy(() -> sec.report(List.of(Outcome.ofLoss("a0", 0.3)))).hasMessageContaining("outcomes[0].rewards is missing");
        assertThatThrownBy(() -> sec.report(List.of(Outcome.ofLoss("a0", Double.POSITIVE_INFINITY)))).hasMessageContaining("loss must be finite");
        // the uniform baseline takes either
        Curriculum uni = Curriculum.create(CurriculumConfig.fromJson("{}"), groups());
        uni.report(List.of(Outcome.ofLoss("a0", 0.3), Outcome.of("a1", 1, 0)));
        assertThat(uni.stats().group("A").meanLoss()).isCloseTo(0.3, within(1e-12));
        assertThat(uni.stats().reports()).isEqualTo(1);
    }

}
