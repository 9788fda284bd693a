package io.proxima.core.continuous;

import io.proxima.core.recipe.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContinuousConfigTest {
    static final String SPACE = "\"space\": {\"dims\": [{\"name\": \"stump_height\", \"low\": 0, \"high\": 3},"
            + " {\"name\": \"stump_spacing\", \"low\": 0, \"high\": 6}]}";

    static ConfigException error(String json) {
        try {
            ContinuousConfig.fromJson(json);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for " + json);
    }

    @Test
    void defaultsAreTheReferenceOnes() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"seed\": 7}");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.space().dims()).isEqualTo(2);
        assertThat(c.space().name(1)).isEqualTo("stump_spacing");
        assertThat(c.teacher()).isEqualTo(AlpGmm.Params.DEFAULTS);
        assertThat(c.rewardScale().enabled()).isFalse();
        assertThat(c.pendingWindow()).isEqualTo(ContinuousConfig.DEFAULT_PENDING_WINDOW);
        assertThat(ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"riac\"}}").teacher()).isEqualTo(Riac.Params.DEFAULTS);
        assertThat(ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"covar-gmm\"}}").teacher()).isEqualTo(CovarGmm.Params.DEFAULTS);
    }

    @Test
    void parametersAreRead() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"alp-gmm\", \"fitRate\": 150,"
                + " \"randomTaskRatio\": 0.05, \"maxK\": 9, \"criterion\": \"bic\"}, \"rewardScale\": {\"low\": -150, \"high\": 350}}");
        AlpGmm.Params p = (AlpGmm.Params) c.teacher();
        assertThat(p.fitRate()).isEqualTo(150);
        assertThat(p.bootstrap()).isEqualTo(150); // defaults to fitRate
        assertThat(p.randomTaskRatio()).isEqualTo(0.05);
        assertThat(p.em().maxK()).isEqualTo(9);
        assertThat(p.em().criterion()).isEqualTo(GaussianMixture.Criterion.BIC);
        assertThat(c.rewardScale().apply(100)).isEqualTo(0.5);
        assertThat(c.rewardScale().apply(-1000)).isEqualTo(0.0);
        assertThat(c.rewardScale().apply(1000)).isEqualTo(1.0);
        Riac.Params r = (Riac.Params) ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"riac\", \"maxRegionSize\": 150}}").teacher();
        assertThat(r.minRegionSize()).isEqualTo(7);   // maxRegionSize / 20
        assertThat(r.alpWindow()).isEqualTo(150);     // = maxRegionSize
    }

    @Test
    void canonicalJsonIsAFixedPoint() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"riac\", \"splitAttempts\": 75}}");
        ContinuousConfig again = ContinuousConfig.fromJson(c.canonicalJson());
        assertThat(again.canonicalJson()).isEqualTo(c.canonicalJson());
        assertThat(again).isEqualTo(c);
        // every parameter is written out, so a snapshot does not depend on later defaults
        assertThat(c.canonicalJson()).contains("\"maxRegionSize\":200").contains("\"splitAttempts\":75").contains("\"seed\":0");
        assertThat(ContinuousConfig.fromJson("{" + SPACE + "}").canonicalJson()).contains("\"fitRate\":250").contains("\"criterion\":\"aic\"");
        ContinuousConfig built = ContinuousConfig.builder().dim("a", 0, 1).dim("b", -1, 1).teacher("random").seed(3).build();
        assertThat(ContinuousConfig.fromJson(built.canonicalJson()).canonicalJson()).isEqualTo(built.canonicalJson());
    }

    @Test
    void errorsNameThePath() {
        assertThat(error("{}").path()).isEqualTo("space");
        assertThat(error("{\"space\": {}}").path()).isEqualTo("space.dims");
        assertThat(error("{\"space\": {\"dims\": []}}").path()).isEqualTo("space.dims");
        assertThat(error("{\"space\": {\"dims\": [{\"name\": \"x\", \"low\": 0}]}}").path()).isEqualTo("space.dims[0].high");
        assertThat(error("{\"space\": {\"dims\": [{\"name\": \"x\", \"low\": 0, \"high\": \"3\"}]}}").path()).isEqualTo("space.dims[0].high");
        assertThat(error("{\"space\": {\"dims\": [{\"name\": \"x\", \"low\": 0, \"high\": 1, \"hi\": 2}]}}").getMessage())
                .contains("space.dims[0].hi").contains("unknown key").contains("[high, low, name]");
        ConfigException inverted = error("{\"space\": {\"dims\": [{\"name\": \"x\", \"low\": 0, \"high\": 1},"
                + " {\"name\": \"y\", \"low\": 2, \"high\": 2}]}}");
        assertThat(inverted.path()).isEqualTo("space.dims");
        assertThat(inverted.getMessage()).contains("dims[1]").contains("low must be < high");
        assertThat(error("{\"space\": {\"dims\": [{\"name\": \"x\", \"low\": 0, \"high\": 1}, {\"name\": \"x\", \"low\": 0, \"high\": 1}]}}")
                .getMessage()).contains("dims[1].name \"x\" is used by an earlier dimension");
        assertThat(error("{\"space\": {\"dims\": 3}}").path()).isEqualTo("space.dims");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"alp\"}}").path()).isEqualTo("teacher.type");
        ConfigException typo = error("{" + SPACE + ", \"teacher\": {\"type\": \"alp-gmm\", \"fitRat\": 100}}");
        assertThat(typo.path()).isEqualTo("teacher.fitRat");
        assertThat(typo.getMessage()).contains("known keys").contains("fitRate");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"alp-gmm\", \"fitRate\": 0}}").path()).isEqualTo("teacher.fitRate");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"alp-gmm\", \"fitRate\": 100, \"bootstrap\": 50}}").path())
                .isEqualTo("teacher.bootstrap");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"alp-gmm\", \"minK\": 5, \"maxK\": 3}}").path()).isEqualTo("teacher.maxK");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"covar-gmm\", \"criterion\": \"waic\"}}").path()).isEqualTo("teacher.criterion");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"random\", \"fitRate\": 10}}").getMessage()).contains("teacher.fitRate");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"riac\", \"mutateShare\": 0.9, \"randomShare\": 0.5}}").path()).isEqualTo("teacher");
        assertThat(error("{" + SPACE + ", \"rewardScale\": {\"low\": 1, \"high\": 1}}").path()).isEqualTo("rewardScale");
        assertThat(error("{" + SPACE + ", \"rewardScale\": {\"low\": 1}}").path()).isEqualTo("rewardScale.high");
        assertThat(error("{" + SPACE + ", \"sed\": 1}").path()).isEqualTo("sed");
        assertThat(error("{" + SPACE + ", \"pendingWindow\": 0}").path()).isEqualTo("pendingWindow");
        assertThat(error("{" + SPACE + ",}").path()).isEqualTo("config");
    }

    @Test
    void parameterSpaceValidation() {
        assertThatThrownBy(() -> ParameterSpace.of(java.util.List.of(new ParameterSpace.Dim("x", 0, Double.POSITIVE_INFINITY))))
                .hasMessageContaining("dims[0].high must be finite");
        assertThatThrownBy(() -> ParameterSpace.of(java.util.List.of(new ParameterSpace.Dim(" ", 0, 1))))
                .hasMessageContaining("dims[0].name must be a non-blank string");
        assertThatThrownBy(() -> ParameterSpace.of(java.util.List.of(new ParameterSpace.Dim("x", -Double.MAX_VALUE, Double.MAX_VALUE))))
                .hasMessageContaining("overflows");
        ParameterSpace s = ParameterSpace.cube(2, 0, 1);
        assertThat(s.checked(new double[] {1 + 1e-7, -1e-7}, "p")).containsExactly(1.0, 0.0);
        assertThatThrownBy(() -> s.checked(new double[] {1.01, 0}, "p")).hasMessageContaining("p[0] (x0) = 1.01 is outside [0.0, 1.0]");
        assertThatThrownBy(() -> s.checked(new double[] {0.5}, "p")).hasMessageContaining("p has 1 values, the space has 2 dimensions");
        assertThatThrownBy(() -> s.checked(new double[] {0.5, Double.NaN}, "p")).hasMessageContaining("p[1] (x1) must be finite");
    }
}
