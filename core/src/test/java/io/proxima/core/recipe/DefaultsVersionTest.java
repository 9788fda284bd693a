package io.proxima.core.recipe;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.space.TaskSpec;
import io.proxima.core.teacher.DifficultyBand;
import io.proxima.core.teacher.PrioritizedLevelReplay;
import io.proxima.core.teacher.PromptCurriculum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A curriculum keeps the defaults it was created with: a stored configuration without
 * {@code "defaults"} is version 1 and replays as it ran; a new one gets the current version,
 * written into its canonical text.
 */
class DefaultsVersionTest {
    @Test
    void aNewConfigurationGetsTheCurrentDefaultsAndAStoredOneWithoutTheKeyTheLegacyOnes() {
        CurriculumConfig fresh = CurriculumConfig.fromJson("{\"recipe\":\"odf\"}");
        CurriculumConfig stored = CurriculumConfig.fromStoredJson("{\"recipe\":\"odf\"}");
        assertThat(fresh.canonicalJson()).contains("\"defaults\":" + Defaults.CURRENT);
        assertThat(stored.canonicalJson()).isEqualTo("{\"recipe\":\"odf\",\"seed\":0}");
        assertThat(((DifficultyBand.Params) fresh.itemPolicy().params()).freshShare()).isEqualTo(DifficultyBand.Params.DEFAULTS.freshShare());
        assertThat(((DifficultyBand.Params) stored.itemPolicy().params()).freshShare()).isZero();
        assertThat(((PromptCurriculum.Params) CurriculumConfig.fromStoredJson("{\"recipe\":\"pcl\"}").itemPolicy().params()).freshShare()).isZero();
        assertThat(((PrioritizedLevelReplay.Params) CurriculumConfig.fromStoredJson("{\"recipe\":\"plr\"}").itemPolicy().params()).replayGap()).isZero();
        assertThat(((PrioritizedLevelReplay.Params) CurriculumConfig.fromJson("{\"recipe\":\"plr\"}").itemPolicy().params()).replayGap())
                .isEqualTo(PrioritizedLevelReplay.Params.DEFAULTS.replayGap());
        assertThat(((io.proxima.core.teacher.SelfEvolvingCurriculum.Params) CurriculumConfig.fromStoredJson("{\"recipe\":\"sec\"}").groupPolicy().params()).tau()).isEqualTo(1.0);
        assertThat(((io.proxima.core.teacher.SelfEvolvingCurriculum.Params) CurriculumConfig.fromJson("{\"recipe\":\"sec\"}").groupPolicy().params()).tau()).isEqualTo(2.0);
        assertThat(CurriculumConfig.fromStoredJson("{\"recipe\":\"dump\"}").pipeline().shareBound()).isEqualTo(io.proxima.core.compose.ShareBound.Params.DEFAULTS);
        assertThat(CurriculumConfig.fromJson("{\"recipe\":\"dump\"}").pipeline().shareBound()).isEqualTo(io.proxima.core.compose.ShareBound.Params.DUMP);
        assertThat(CurriculumConfig.fromJson("{\"recipe\":\"sec\"}").pipeline().shareBound()).isEqualTo(io.proxima.core.compose.ShareBound.Params.DEFAULTS);
        // the stored text of a new configuration names its version: read back as stored, it is the same
        CurriculumConfig again = CurriculumConfig.fromStoredJson(fresh.canonicalJson());
        assertThat(again.canonicalJson()).isEqualTo(fresh.canonicalJson());
        assertThat(again.itemPolicy().params()).isEqualTo(fresh.itemPolicy().params());
        // naming version 1 is the legacy configuration, stored without the key
        assertThat(CurriculumConfig.fromJson("{\"recipe\":\"odf\",\"defaults\":1}").canonicalJson()).isEqualTo(stored.canonicalJson());
    }

    @Test
    void membersOfMetaInheritTheVersion() {
        String json = "{\"recipe\":\"meta\",\"members\":[{\"recipe\":\"pcl\"},{\"recipe\":\"uniform\"}]}";
        assertThat(((PromptCurriculum.Params) CurriculumConfig.fromStoredJson(json).pipelines().get(0).itemPolicy().params()).freshShare()).isZero();
        assertThat(((PromptCurriculum.Params) CurriculumConfig.fromJson(json).pipelines().get(0).itemPolicy().params()).freshShare())
                .isEqualTo(PromptCurriculum.Params.DEFAULTS.freshShare());
    }

    @Test
    void anUnknownVersionIsRefusedWithItsField() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"defaults\":" + (Defaults.CURRENT + 1) + "}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("defaults");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"defaults\":0}")).hasMessageContaining("defaults");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"defaults\":\"2\"}")).hasMessageContaining("defaults");
    }

    /** A snapshot of a legacy curriculum restores under the legacy defaults: it goes on selecting exactly as the original. */
    @ParameterizedTest
    @ValueSource(strings = {"odf", "pcl", "plr", "sec", "dump"})
    void aLegacyCurriculumRestoresAndSelectsAsItRan(String recipe) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) tasks.add(TaskSpec.of("t" + i, "g" + (i % 3)));
        Curriculum original = Curriculum.create(CurriculumConfig.fromStoredJson("{\"recipe\":\"" + recipe + "\",\"seed\":5}"), tasks);
        Curriculum current = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"" + recipe + "\",\"seed\":5}"), tasks);
        boolean differ = false;
        for (int step = 0; step < 30; step++) {
            Selection a = original.next(8);
            Selection b = current.next(8);
            differ |= !a.taskIds().equals(b.taskIds());
            original.report(outcomes(a, step));
            current.report(outcomes(b, step));
            if (step == 14) original = Curriculum.restore(original.snapshot());
        }
        assertThat(differ).as("the two versions' defaults select differently (else this test shows nothing)").isTrue();
        Curriculum replayed = Curriculum.create(CurriculumConfig.fromStoredJson("{\"recipe\":\"" + recipe + "\",\"seed\":5}"), tasks);
        for (int step = 0; step < 30; step++) {
            Selection s = replayed.next(8);
            replayed.report(outcomes(s, step));
        }
        assertThat(replayed.snapshot()).as("restored mid-way or not, the legacy curriculum is the same").isEqualTo(original.snapshot());
    }

    private static List<Outcome> outcomes(Selection s, int step) {
        List<Outcome> out = new ArrayList<>();
        for (String id : s.taskIds()) out.add(Outcome.binary(id, (id.hashCode() + step) & 7, 8));
        return out;
    }
}
