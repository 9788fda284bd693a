package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 item 2: strings that UTF-8 cannot store as sent are refused where they enter core. */
class UnicodeTest {
    @Test
    void handWorkedCases() {
        assertThat(Unicode.firstUnpaired("")).isEqualTo(-1);
        assertThat(Unicode.firstUnpaired("gsm8k/17")).isEqualTo(-1);
        assertThat(Unicode.firstUnpaired("\ud83d\ude00é中")).isEqualTo(-1); // a pair, then BMP letters
        assertThat(Unicode.firstUnpaired("x\ud800y")).isEqualTo(1); // high, then no low
        assertThat(Unicode.firstUnpaired("\udc00")).isEqualTo(0); // low alone
        assertThat(Unicode.firstUnpaired("a\udc00\ud800")).isEqualTo(1); // reversed pair
        assertThat(Unicode.firstUnpaired("ok\ud83d")).isEqualTo(2); // high at the end
        assertThat(Unicode.firstUnpaired("\ud83d\ude00\ude00")).isEqualTo(2); // a pair, then a stray low
        assertThat(Unicode.problem("x\ud800y")).contains("U+D800").contains("character 1").doesNotContain("\ud800");
        assertThat(Unicode.require("fine", "id")).isEqualTo("fine");
        assertThatThrownBy(() -> Unicode.require("x\ud800y", "tasks[0].id")).hasMessageStartingWith("tasks[0].id must be valid Unicode");
    }

    /** Differential: valid ⇔ the string survives UTF-8 unchanged, over seeded strings dense in surrogates. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void validExactlyWhenUtf8KeepsTheString(long seed) {
        Rng rng = new Rng(seed);
        char[] alphabet = {'a', 'é', '中', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00', '\u0000', '\uffff'};
        for (int n = 0; n < 5000; n++) {
            char[] c = new char[rng.nextInt(8)];
            for (int i = 0; i < c.length; i++) c[i] = alphabet[rng.nextInt(alphabet.length)];
            String s = new String(c);
            boolean survives = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
            assertThat(Unicode.firstUnpaired(s) < 0).as("%s", s.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(survives);
        }
    }

    @Test
    void aCurriculumRefusesThemAndChangesNothing() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":1,\"rollouts\":2}"),
                List.of(TaskSpec.of("a", "g"), TaskSpec.of("\ud83d\ude00", "é")));
        byte[] before = c.snapshot();
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.of("ok"), TaskSpec.of("x\ud800y"))))
                .hasMessageStartingWith("tasks[1].id must be valid Unicode");
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.of("ok", "\udc00"))))
                .hasMessageStartingWith("tasks[0].group must be valid Unicode");
        assertThatThrownBy(() -> c.report(List.of(Outcome.of("a", 1, 0), Outcome.of("x\ud800", 1, 0))))
                .hasMessageStartingWith("outcomes[1].taskId must be valid Unicode");
        assertThatThrownBy(() -> c.report(List.of(new Outcome("a", new double[] {1, 0}, null, -1, Map.of("hint\ud800", 1.0)))))
                .hasMessageStartingWith("outcomes[0].directives must be valid Unicode");
        assertThat(c.snapshot()).isEqualTo(before);
        c.report(List.of(Outcome.of("\ud83d\ude00", 1, 0))); // valid text beyond the BMP is an id like any other
    }

    @Test
    void configurationsRefuseThemWithThePath() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"groupPolicy\":{\"type\":\"mixture\",\"weights\":{\"g\\udc00\":1}}}"))
                .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo("groupPolicy.weights"));
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\":\"x\\ud800\"}"))
                .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo("recipe"));
        assertThatThrownBy(() -> ContinuousConfig.fromJson("{\"space\":{\"dims\":[{\"name\":\"h\\ud800\",\"low\":0,\"high\":1}]}}"))
                .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo("space.dims[0].name"));
    }
}
