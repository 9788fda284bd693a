package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Token budget, adaptive hints and scaffold decay as selection directives. */
class DirectivesTest {
    static TokenBudget.Params budget(String json) {
        return (TokenBudget.Params) CurriculumConfig.fromJson("{\"directives\": [" + json + "]}").pipelines().get(0)
                .directives().get(0).params();
    }

    @Test
    void tokenBudgetSchedulesByHand() {
        // linear 4000 → 1000 over 100 steps: B(25) = 4000 − 3000·0.25 = 3250, B(200) = 1000
        TokenBudget lin = new TokenBudget(budget("{\"type\": \"tokenBudget\", \"schedule\": \"linear\", \"start\": 4000, \"end\": 1000, \"steps\": 100}"), null);
        assertThat(lin.budget(25)).isEqualTo(3250);
        assertThat(lin.budget(200)).isEqualTo(1000);
        // exponential 4096 → 1024 within 2/3 of 300 steps at 50 per decay: 4 decays, γ = (1/4)^(1/4) = 0.7071
        // B(120) = ⌊4096 · γ²⌋ = ⌊2048.0⌋ = 2048 (two decays); floor at 1024 from step 200 on
        TokenBudget exp = new TokenBudget(budget("{\"type\": \"tokenBudget\", \"start\": 4096, \"end\": 1024, \"steps\": 300, \"stepLength\": 50}"), null);
        assertThat(exp.budget(0)).isEqualTo(4096);
        assertThat(exp.budget(120)).isBetween(2047, 2048);
        assertThat(exp.budget(250)).isEqualTo(1024);
        assertThat(exp.budget(10_000)).isEqualTo(1024);
    }

    @Test
    void scaffoldDecaysFromOneToZero() {
        ScaffoldDecay s = new ScaffoldDecay(new ScaffoldDecay.Params(100, 0.5, 10));
        assertThat(s.strength(50)).isCloseTo(0.5, within(1e-12));
        assertThat(s.strength(0)).isCloseTo(1 - 1 / (1 + Math.exp(5)), within(1e-12)); // 0.99331
        assertThat(s.strength(100)).isCloseTo(1 - 1 / (1 + Math.exp(-5)), within(1e-12)); // 0.00669
    }

    static List<TaskSpec> tasks() {
        List<TaskSpec> t = new ArrayList<>();
        for (int i = 0; i < 4; i++) t.add(TaskSpec.of("q" + i));
        return t;
    }

    static Map<String, Double> directivesOf(Selection s, String id) {
        return s.tasks().stream().filter(t -> t.taskId().equals(id)).findFirst().map(SelectedTask::directives).orElseThrow();
    }

    static Outcome hinted(String id, int successes, double hint) {
        double[] r = new double[8];
        for (int k = 0; k < successes; k++) r[k] = 1;
        return new Outcome(id, r, null, -1, hint > 0 ? Map.of("hint_level", hint) : Map.of());
    }

    @Test
    void hintsEscalateOnAllWrongGroupsAndRelaxOnSolvedOnes() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"directives\": [{\"type\": \"hint\"}]}"), tasks());
        Selection s = c.next(4);
        assertThat(directivesOf(s, "q0")).containsEntry("hint_level", 0.0);
        c.report(List.of(hinted("q0", 0, 0), hinted("q1", 3, 0)));
        s = c.next(4);
        assertThat(directivesOf(s, "q0")).containsEntry("hint_level", 0.25); // all wrong: escalate
        assertThat(directivesOf(s, "q1")).containsEntry("hint_level", 0.0);
        c.report(List.of(hinted("q0", 0, 0.25)));
        c.report(List.of(hinted("q0", 0, 0.5)));
        c.report(List.of(hinted("q0", 0, 0.75)));
        assertThat(directivesOf(c.next(4), "q0")).containsEntry("hint_level", 0.75); // capped
        c.report(List.of(hinted("q0", 5, 0.75)));
        assertThat(directivesOf(c.next(4), "q0")).containsEntry("hint_level", 0.5); // p̂ ≥ 0.5: relax one step
        byte[] snap = c.snapshot();
        assertThat(Curriculum.restore(snap).next(4)).isEqualTo(c.next(4));
    }

    @Test
    void hintedOutcomesDoNotMoveThePassRateEstimate() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"directives\": [{\"type\": \"hint\"}]}"), tasks());
        double before = c.passRate("q2");
        c.report(List.of(hinted("q2", 8, 0.5)));
        assertThat(c.passRate("q2")).isEqualTo(before);
        c.report(List.of(hinted("q2", 8, 0)));
        assertThat(c.passRate("q2")).isGreaterThan(before);
    }

    @Test
    void directivesFollowTheLearnersStep() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson(
                "{\"directives\": [{\"type\": \"tokenBudget\", \"schedule\": \"linear\", \"start\": 2000, \"end\": 1000, \"steps\": 100},"
                        + " {\"type\": \"scaffold\", \"steps\": 100}]}"), tasks());
        Selection first = c.next(1);
        assertThat(first.tasks().get(0).directives()).containsKeys("max_tokens", "scaffold");
        c.report(List.of(Outcome.of("q0", 1, 0).atStep(50)));
        Selection s = c.next(1);
        assertThat(s.tasks().get(0).directives().get("max_tokens")).isEqualTo(1500.0);
        assertThat(s.tasks().get(0).directives().get("scaffold")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void directiveConfigurationErrors() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"directives\": [{\"type\": \"nope\"}]}")).hasMessageContaining("directives[0].type");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"directives\": [{\"start\": 5}]}")).hasMessageContaining("directives[0].type: is required");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"directives\": [{\"type\": \"hint\"}, {\"type\": \"hint\"}]}")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"directives\": [{\"type\": \"tokenBudget\", \"start\": 100, \"end\": 200}]}"))
                .hasMessageContaining("directives[0].end");
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{}"), tasks());
        assertThatThrownBy(() -> c.report(List.of(new Outcome("q0", new double[] {1}, null, -1, Map.of("hint_level", Double.NaN)))))
                .hasMessageContaining("outcomes[0].directives.hint_level must be a finite number");
    }
}
