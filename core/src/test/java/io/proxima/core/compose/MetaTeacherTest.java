package io.proxima.core.compose;

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

class MetaTeacherTest {
    static final String CONFIG = """
            {"recipe": "meta", "seed": 3,
             "members": [
               {"recipe": "uniform", "groupPolicy": {"type": "mixture", "weights": {"live": 1}}},
               {"recipe": "uniform", "groupPolicy": {"type": "mixture", "weights": {"dead": 1}}}
             ]}""";

    static Curriculum curriculum() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) tasks.add(TaskSpec.of("live" + i, "live"));
        for (int i = 0; i < 200; i++) tasks.add(TaskSpec.of("dead" + i, "dead"));
        return Curriculum.create(CurriculumConfig.fromJson(CONFIG), tasks);
    }

    /** A scripted learner: groups named {@code signal} give 4 of 8 (high |A|), the others 0 of 8 (no signal). */
    static void step(Curriculum c, String signal) {
        Selection s = c.next(8);
        List<Outcome> out = new ArrayList<>();
        for (SelectedTask t : s.tasks()) out.add(Outcome.binary(t.taskId(), t.taskId().startsWith(signal) ? 4 : 0, 8));
        c.report(out);
    }

    static double probability(Curriculum c, int member) {
        return c.stats().teacher().entrySet().stream()
                .filter(e -> e.getKey().startsWith("meta." + member + ".") && e.getKey().endsWith(".probability"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    @Test
    void findsTheMemberWhoseBatchesCarrySignalAndFollowsAChange() {
        Curriculum c = curriculum();
        assertThat(probability(c, 0)).isEqualTo(0.5);
        for (int i = 0; i < 40; i++) step(c, "live");
        // Q_live → 1 (mean |A| of [1,1,1,1,0,0,0,0] = 8/8·0.5/0.5345 ≈ 0.935), Q_dead → 0: P = 0.9 + 0.05
        assertThat(probability(c, 0)).isGreaterThan(0.94);
        for (int i = 0; i < 80; i++) step(c, "dead");
        assertThat(probability(c, 1)).isGreaterThan(0.94);
        byte[] snap = c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.next(8)).isEqualTo(c.next(8));
    }

    @Test
    void configurationErrorsNameTheMember() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\": \"meta\", \"members\": [{\"recipe\": \"sec\"}]}"))
                .hasMessageContaining("members").hasMessageContaining("at least 2");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\": \"meta\", \"members\": [{\"recipe\": \"sec\"}, {\"recipe\": \"nope\"}]}"))
                .hasMessageContaining("members[1].recipe");
        assertThatThrownBy(() -> CurriculumConfig.fromJson(
                "{\"recipe\": \"meta\", \"members\": [{\"recipe\": \"sec\", \"groupPolicy\": {\"tua\": 1}}, {\"recipe\": \"dump\"}]}"))
                .hasMessageContaining("members[0].groupPolicy.tua");
        assertThatThrownBy(() -> CurriculumConfig.fromJson(
                "{\"recipe\": \"meta\", \"members\": [{\"recipe\": \"sec\", \"seed\": 1}, {\"recipe\": \"dump\"}]}"))
                .hasMessageContaining("members[0].seed");
        assertThatThrownBy(() -> CurriculumConfig.fromJson(
                "{\"recipe\": \"meta\", \"members\": [{}, {}], \"meta\": {\"tau\": -1}}")).hasMessageContaining("meta.tau");
    }
}
