package io.proxima.sim.learner;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LearnerSweepTest {
    private static final String NEURAL = """
            {"type": "neural", "name": "n", "families": [
              {"name": "a", "size": 40, "rule": [1, 0], "divisor": 4},
              {"name": "b", "size": 40, "rule": "random"}]}""";

    @Test
    void valuesAreReadAsJsonWouldReadThem() {
        LearnerSweep s = LearnerSweep.parse("optimizer.learningRate = 0.0015, 0.003,3e-3, 2, true, sum");
        assertThat(s.path()).isEqualTo("optimizer.learningRate");
        assertThat(s.values()).containsExactly(0.0015, 0.003, 0.003, 2, true, "sum");
        assertThat(s.label(0.0015)).isEqualTo("optimizer.learningRate=0.0015");
        assertThat(s.label(1.0)).isEqualTo("optimizer.learningRate=1.0");
        assertThat(LearnerSweep.parse("a=12345678901").values()).containsExactly(12345678901L);
    }

    @Test
    void applySetsOneValueInACopyCreatingOptionalBlocks() {
        Map<String, Object> base = new StrictJson().object(NEURAL, "t");
        String before = base.toString();
        Map<String, Object> v = LearnerSweep.parse("optimizer.learningRate=0.006").apply(base, 0.006);
        assertThat(base.toString()).isEqualTo(before);
        assertThat(v.get("optimizer")).isEqualTo(Map.of("learningRate", 0.006));
        assertThat(v.get("name")).isEqualTo("n [optimizer.learningRate=0.006]");
        LearnerFiles.Description d = LearnerFiles.parse(v, "variant");
        assertThat(d.neural().learningRate()).isEqualTo(0.006);
        assertThat(LearnerFiles.parse(base, "base").neural().learningRate()).isNotEqualTo(0.006);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNumericSegmentIndexesAnArray() {
        Map<String, Object> base = new StrictJson().object(NEURAL, "t");
        Map<String, Object> v = LearnerSweep.parse("families.1.verifierNoise=0.5").apply(base, 0.5);
        List<Map<String, Object>> fams = (List<Map<String, Object>>) v.get("families");
        assertThat(fams.get(1)).containsEntry("verifierNoise", 0.5);
        assertThat(fams.get(0)).doesNotContainKey("verifierNoise");
        assertThat(((List<Map<String, Object>>) base.get("families")).get(1)).doesNotContainKey("verifierNoise");
    }

    @Test
    void pathsThatCannotBeSetSayWhere() {
        Map<String, Object> base = new StrictJson().object(NEURAL, "t");
        assertThatThrownBy(() -> LearnerSweep.parse("families.b.size=3").apply(base, 3))
                .hasMessageContaining("families is an array").hasMessageContaining("'b'");
        assertThatThrownBy(() -> LearnerSweep.parse("families.7.size=3").apply(base, 3))
                .hasMessageContaining("families has 2 elements, no index 7");
        assertThatThrownBy(() -> LearnerSweep.parse("name.x=3").apply(base, 3))
                .hasMessageContaining("name is a value");
        assertThatThrownBy(() -> LearnerSweep.parse("a..b=1")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> LearnerSweep.parse("=1")).hasMessageContaining("path before '='");
        assertThatThrownBy(() -> LearnerSweep.parse("a=1,,2")).hasMessageContaining("an empty value");
        assertThatThrownBy(() -> LearnerSweep.parse("a=" + "1,".repeat(16) + "1")).hasMessageContaining("at most 16 values");
        // a key the learner does not know is refused by the learner's own strict reading
        Map<String, Object> bad = LearnerSweep.parse("optimizer.learningRat=0.1").apply(base, 0.1);
        assertThatThrownBy(() -> LearnerFiles.parse(bad, "variant")).hasMessageContaining("variant: ").hasMessageContaining("learningRat");
    }
}
