package io.proxima.core.recipe;

import io.proxima.core.Curriculum;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.space.TaskSpec;
import io.proxima.core.teacher.DifficultyBand;
import io.proxima.core.teacher.DistributionUcb;
import io.proxima.core.teacher.SelfEvolvingCurriculum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurriculumConfigTest {
    private static ConfigException reject(String json) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> CurriculumConfig.fromJson(json));
        assertThat(t).as(json).isInstanceOf(ConfigException.class);
        return (ConfigException) t;
    }

    @Test
    void defaults() {
        CurriculumConfig c = CurriculumConfig.fromJson("{}");
        assertThat(c.recipe()).isEqualTo("uniform");
        assertThat(c.seed()).isZero();
        assertThat(c.rollouts()).isEqualTo(8);
        assertThat(c.advantage()).isEqualTo(Advantages.Mode.STD);
        assertThat(c.featureDim()).isZero();
        assertThat(c.passRate()).isEqualTo(PassRates.Params.DEFAULTS);
        assertThat(List.of(c.groupPolicy().type(), c.itemPolicy().type(), c.filter().type(), c.allocator().type()))
                .containsExactly("uniform", "walk", "none", "uniform");
        CurriculumConfig sec = CurriculumConfig.fromJson("{\"recipe\":\"sec\"}");
        assertThat(sec.groupPolicy().params()).isEqualTo(SelfEvolvingCurriculum.Params.DEFAULTS);
        assertThat(CurriculumConfig.fromJson("{\"recipe\":\"dump\"}").groupPolicy().params()).isEqualTo(DistributionUcb.Params.DEFAULTS);
        assertThat(CurriculumConfig.fromJson("{\"recipe\":\"odf\"}").itemPolicy().params()).isEqualTo(DifficultyBand.Params.DEFAULTS);
    }

    @Test
    void everyStandardRecipeParses() {
        for (Recipes.Recipe r : Recipes.standard().recipes()) {
            CurriculumConfig c = CurriculumConfig.fromJson("{\"recipe\":\"" + r.name() + "\"}");
            assertThat(c.recipe()).isEqualTo(r.name());
            assertThat(r.description()).isNotBlank();
        }
        assertThat(Recipes.standard().recipes()).extracting(Recipes.Recipe::name)
                .contains("uniform", "random", "odf", "dapo", "sec", "dump", "pcl");
    }

    @Test
    void unknownKeysAreRejectedWithThePathAndTheKnownKeys() {
        ConfigException e = reject("{\"recipe\":\"sec\",\"groupPolicy\":{\"tua\":0.4}}");
        assertThat(e.path()).isEqualTo("groupPolicy.tua");
        assertThat(e).hasMessage("groupPolicy.tua: unknown key; known keys: [alpha, decayUnsampled, gateFloor, progressGate, tau]");

        e = reject("{\"sed\":7}");
        assertThat(e.path()).isEqualTo("sed");
        assertThat(e.getMessage()).contains("unknown key", "seed", "recipe", "rollouts", "groupPolicy", "passRate");

        e = reject("{\"passRate\":{\"forget\":0.9}}");
        assertThat(e.path()).isEqualTo("passRate.forget");
        assertThat(e.getMessage()).contains("forgetting", "priorStrength");

        e = reject("{\"itemPolicy\":{\"recheck\":0.2}}"); // walk takes no parameters
        assertThat(e.path()).isEqualTo("itemPolicy.recheck");
        assertThat(e.getMessage()).contains("takes no keys");

        e = reject("{\"recipe\":\"odf\",\"filter\":{\"type\":\"odf\",\"lo\":0.1}}");
        assertThat(e.path()).isEqualTo("filter.lo");
        assertThat(e.getMessage()).contains("guardWindow", "high", "low", "minKeepShare");
    }

    @Test
    void anotherTypeDoesNotInheritTheRecipesParameters() {
        // sec's slot switched to dump: dump's keys apply, sec's "tau" is unknown there
        CurriculumConfig c = CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"groupPolicy\":{\"type\":\"dump\",\"window\":10}}");
        assertThat(c.groupPolicy().type()).isEqualTo("dump");
        assertThat(c.groupPolicy().params()).isEqualTo(new DistributionUcb.Params(10, 1.0, 0.1));
        assertThat(reject("{\"recipe\":\"sec\",\"groupPolicy\":{\"type\":\"dump\",\"tau\":0.4}}").path()).isEqualTo("groupPolicy.tau");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"rollouts\":\"8\"}                          | rollouts              | must be an integer, got \"8\"",
            "{\"rollouts\":8.5}                            | rollouts              | must be an integer, got 8.5",
            "{\"seed\":\"x\"}                              | seed                  | must be an integer",
            "{\"seed\":1.5}                                | seed                  | must be an integer",
            "{\"seed\":18446744073709551616}               | seed                  | does not fit in 64 bits",
            "{\"recipe\":5}                                | recipe                | must be a string, got 5",
            "{\"advantage\":\"grpo\"}                      | advantage             | must be one of [std, mean]",
            "{\"groupPolicy\":3}                           | groupPolicy           | must be an object, got 3",
            "{\"groupPolicy\":[1]}                         | groupPolicy           | must be an object, got an array",
            "{\"passRate\":\"flat\"}                       | passRate              | must be an object",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"tau\":\"hot\"}}     | groupPolicy.tau            | must be a number, got \"hot\"",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"decayUnsampled\":\"yes\"}} | groupPolicy.decayUnsampled | must be true or false",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"type\":7}}       | groupPolicy.type           | must be a string",
            "{\"recipe\":\"dump\",\"groupPolicy\":{\"window\":2.5}}  | groupPolicy.window         | must be an integer",
            "{\"passRate\":{\"forgetting\":true}}          | passRate.forgetting   | must be a number, got true",
    })
    void wrongTypes(String json, String path, String message) {
        ConfigException e = reject(json);
        assertThat(e.path()).isEqualTo(path);
        assertThat(e.getMessage()).startsWith(path + ": ").contains(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"rollouts\":0}                                              | rollouts",
            "{\"rollouts\":4097}                                           | rollouts",
            "{\"featureDim\":-1}                                           | featureDim",
            "{\"featureDim\":5000}                                         | featureDim",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"tau\":0}}              | groupPolicy.tau",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"alpha\":0}}            | groupPolicy.alpha",
            "{\"recipe\":\"sec\",\"groupPolicy\":{\"alpha\":1.5}}          | groupPolicy.alpha",
            "{\"recipe\":\"dump\",\"groupPolicy\":{\"window\":0}}          | groupPolicy.window",
            "{\"recipe\":\"dump\",\"groupPolicy\":{\"temperature\":0}}     | groupPolicy.temperature",
            "{\"recipe\":\"dump\",\"groupPolicy\":{\"exploration\":-1}}    | groupPolicy.exploration",
            "{\"recipe\":\"odf\",\"itemPolicy\":{\"low\":0.9,\"high\":0.1}} | itemPolicy.low",
            "{\"recipe\":\"odf\",\"itemPolicy\":{\"recheck\":1.5}}         | itemPolicy.recheck",
            "{\"recipe\":\"odf\",\"itemPolicy\":{\"candidates\":0}}        | itemPolicy.candidates",
            "{\"recipe\":\"odf\",\"filter\":{\"type\":\"odf\",\"high\":1.2}} | filter.high",
            "{\"recipe\":\"odf\",\"filter\":{\"type\":\"odf\",\"low\":0.7,\"high\":0.6}} | filter.low",
            "{\"recipe\":\"dapo\",\"filter\":{\"minKeepShare\":2}}         | filter.minKeepShare",
            "{\"recipe\":\"dapo\",\"filter\":{\"guardWindow\":0}}          | filter.guardWindow",
            "{\"recipe\":\"pcl\",\"itemPolicy\":{\"target\":-0.5}}         | itemPolicy.target",
            "{\"recipe\":\"pcl\",\"itemPolicy\":{\"learningRate\":-1}}     | itemPolicy.learningRate",
    })
    void outOfRangeValues(String json, String path) {
        ConfigException e = reject(json);
        assertThat(e.path()).isEqualTo(path);
        assertThat(e.getMessage()).startsWith(path + ": ").contains("must be");
    }

    @Test
    void passRateParamsNameTheirField() {
        assertThat(reject("{\"passRate\":{\"forgetting\":0}}").getMessage()).contains("passRate.forgetting", "(0, 1]");
        assertThat(reject("{\"passRate\":{\"priorStrength\":-2}}").getMessage()).contains("passRate.priorStrength");
    }

    @Test
    void seedsMustFitInALongWhateverTheirNotation() {
        assertThat(CurriculumConfig.fromJson("{\"seed\":9223372036854775807}").seed()).isEqualTo(Long.MAX_VALUE);
        assertThat(CurriculumConfig.fromJson("{\"seed\":-9223372036854775808}").seed()).isEqualTo(Long.MIN_VALUE);
        assertThat(CurriculumConfig.fromJson("{\"seed\":7.0}").seed()).isEqualTo(7);
        assertThat(CurriculumConfig.fromJson("{\"seed\":1e3}").seed()).isEqualTo(1000);
        // 1e19 and 2e19 are integers but not longs: they must not both silently become Long.MAX_VALUE
        assertThat(reject("{\"seed\":1e19}").path()).isEqualTo("seed");
        assertThat(reject("{\"seed\":-1e300}").path()).isEqualTo("seed");
    }

    @Test
    void unknownRecipeAndUnknownPieceType() {
        ConfigException e = reject("{\"recipe\":\"secc\"}");
        assertThat(e.path()).isEqualTo("recipe");
        assertThat(e.getMessage()).contains("unknown recipe \"secc\"", "sec", "dump", "pcl", "uniform");

        e = reject("{\"groupPolicy\":{\"type\":\"ucb\"}}");
        assertThat(e.path()).isEqualTo("groupPolicy.type");
        assertThat(e).hasMessageContaining("unknown groupPolicy type \"ucb\"").hasMessageContaining("[uniform, sec, dump, mixture, lp, lp-ema]");

        for (String slot : List.of("itemPolicy", "filter", "allocator")) {
            assertThat(reject("{\"" + slot + "\":{\"type\":\"nope\"}}").path()).isEqualTo(slot + ".type");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,2]", "null", "{\"seed\":}", "{\"a\":1,}"})
    void notAJsonObject(String json) {
        ConfigException e = reject(json);
        assertThat(e.path()).isEqualTo("config");
    }

    @Test
    void canonicalJsonIsStableAndSurvivesSnapshots() {
        String json = "{\"recipe\":\"sec\",\"seed\":7,\"rollouts\":4,\"groupPolicy\":{\"tau\":0.4,\"alpha\":0.3},"
                + "\"passRate\":{\"forgetting\":0.9},\"itemPolicy\":{\"type\":\"odf\",\"recheck\":0.05}}";
        CurriculumConfig a = CurriculumConfig.fromJson(json);
        // keys sorted at every level; parsing the canonical text again gives the same text
        assertThat(a.canonicalJson()).isEqualTo("{\"defaults\":2,\"groupPolicy\":{\"alpha\":0.3,\"tau\":0.4},\"itemPolicy\":"
                + "{\"recheck\":0.05,\"type\":\"odf\"},\"passRate\":{\"forgetting\":0.9},\"recipe\":\"sec\",\"rollouts\":4,\"seed\":7}");
        CurriculumConfig again = CurriculumConfig.fromJson(a.canonicalJson());
        assertThat(again.canonicalJson()).isEqualTo(a.canonicalJson());
        assertThat(again.hash()).isEqualTo(a.hash());
        assertThat(again.groupPolicy().params()).isEqualTo(a.groupPolicy().params());
        // key order in the input does not matter
        CurriculumConfig reordered = CurriculumConfig.fromJson("{\"itemPolicy\":{\"recheck\":0.05,\"type\":\"odf\"},\"seed\":7,"
                + "\"passRate\":{\"forgetting\":0.9},\"groupPolicy\":{\"alpha\":0.3,\"tau\":0.4},\"rollouts\":4,\"recipe\":\"sec\"}");
        assertThat(reordered.hash()).isEqualTo(a.hash());
        // recipe and seed are always written, even when defaulted
        assertThat(CurriculumConfig.fromJson("{}").canonicalJson()).isEqualTo("{\"defaults\":2,\"recipe\":\"uniform\",\"seed\":0}");
        assertThat(CurriculumConfig.fromJson("{\"seed\":8}").hash()).isNotEqualTo(CurriculumConfig.fromJson("{\"seed\":7}").hash());

        Curriculum c = Curriculum.create(a, List.of(TaskSpec.of("x", "g"), TaskSpec.of("y", "h")));
        c.next(2);
        Curriculum back = Curriculum.restore(c.snapshot());
        assertThat(back.config().canonicalJson()).isEqualTo(a.canonicalJson());
        assertThat(back.config().hash()).isEqualTo(a.hash());
        assertThat(back.config().groupPolicy().params()).isEqualTo(new SelfEvolvingCurriculum.Params(0.3, 0.4, true));
        assertThat(back.config().itemPolicy().params()).isEqualTo(new DifficultyBand.Params(0.2, 0.8, 4, 0.05, true, DifficultyBand.Params.DEFAULTS.freshShare()));
        assertThat(back.config().passRate()).isEqualTo(new PassRates.Params(2.0, 0.9));
        assertThat(back.config().rollouts()).isEqualTo(4);
    }

    @Test
    void builderEqualsJson() {
        CurriculumConfig built = CurriculumConfig.builder().recipe("sec").seed(7).rollouts(4).featureDim(2)
                .set("groupPolicy.tau", 0.4).set("passRate.forgetting", 0.9).set("filter.type", "dapo").set("advantage", "mean")
                .build();
        CurriculumConfig parsed = CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":7,\"rollouts\":4,\"featureDim\":2,"
                + "\"groupPolicy\":{\"tau\":0.4},\"passRate\":{\"forgetting\":0.9},\"filter\":{\"type\":\"dapo\"},\"advantage\":\"mean\"}");
        assertThat(built.canonicalJson()).isEqualTo(parsed.canonicalJson());
        assertThat(built.hash()).isEqualTo(parsed.hash());
        assertThat(built.groupPolicy().params()).isEqualTo(parsed.groupPolicy().params());
        assertThat(built.filter().params()).isEqualTo(parsed.filter().params());
        assertThat(built.passRate()).isEqualTo(parsed.passRate());
        assertThat(built.advantage()).isEqualTo(Advantages.Mode.MEAN);
        // and they behave the same
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) tasks.add(TaskSpec.of("t" + i, "g" + i % 4));
        Curriculum a = Curriculum.create(built, tasks), b = Curriculum.create(parsed, tasks);
        for (int step = 0; step < 10; step++) {
            Selection s = a.next(8);
            assertThat(b.next(8)).isEqualTo(s);
            List<Outcome> out = s.tasks().stream().map(t -> Outcome.binary(t.taskId(), t.taskId().length() % 5, 4)).toList();
            assertThat(b.report(out)).isEqualTo(a.report(out));
        }
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
        // the builder validates like the parser
        assertThatThrownBy(() -> CurriculumConfig.builder().recipe("sec").set("groupPolicy.tua", 1.0).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("groupPolicy.tua");
    }

    @Test
    void customRecipesRegisterOnAnInstance() {
        Recipes r = Recipes.standard().recipe("sec-odf", "sec with odf items", "sec", "odf", "odf", "uniform");
        CurriculumConfig c = CurriculumConfig.builder().recipes(r).recipe("sec-odf").build();
        assertThat(c.itemPolicy().type()).isEqualTo("odf");
        assertThat(Recipes.standard().recipes()).extracting(Recipes.Recipe::name).doesNotContain("sec-odf"); // no static registry
        assertThatThrownBy(() -> Recipes.standard().recipe("sec", "again", "sec", "walk", "none", "uniform"))
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> new Recipes().recipe("x", "", "sec", "walk", "none", "uniform")).hasMessageContaining("not registered");
        // a snapshot of it restores with the same registry, and not without it
        Curriculum cur = Curriculum.create(c, List.of(TaskSpec.of("a")));
        byte[] snap = cur.snapshot();
        assertThat(Curriculum.restore(snap, r).snapshot()).isEqualTo(snap);
        assertThatThrownBy(() -> Curriculum.restore(snap)).isInstanceOf(ConfigException.class).hasMessageContaining("sec-odf");
    }
}
