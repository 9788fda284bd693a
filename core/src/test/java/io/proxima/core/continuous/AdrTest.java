package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.proxima.core.continuous.ContinuousConfigTest.SPACE;
import static io.proxima.core.continuous.ContinuousConfigTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ADR's boundary rule by hand, its sampling, and its configuration. */
class AdrTest {
    /** One dimension x ∈ [0, 10]: Δ = step · range = 0.1 · 10 = 1; buffers of 3; thresholds 0.3 / 0.66. */
    static Adr oneDim(double initial, double boundaryProbability) {
        Adr.Params p = new Adr.Params(boundaryProbability, 3, 0.1, 0.3, 0.66, new double[] {initial});
        return new Adr(p, ParameterSpace.cube(1, 0, 10), new Rng(1));
    }

    static void feed(Adr a, double x, double... rewards) {
        for (double r : rewards) a.observe(new double[] {x}, r);
    }

    @Test
    void boundaryMovesByHand() {
        Adr a = oneDim(5, 0.5);
        assertThat(a.low(0)).isEqualTo(5.0);
        assertThat(a.high(0)).isEqualTo(5.0);
        // a collapsed dimension feeds both buffers: after 3 episodes at 5 with mean 0.9 ≥ 0.66 both sides widen by 1
        feed(a, 5, 0.9, 0.8, 1.0);
        assertThat(a.low(0)).isEqualTo(4.0);
        assertThat(a.high(0)).isEqualTo(6.0);
        assertThat(a.view()).containsEntry("widened", 2.0).containsEntry("volumeShare", 0.2);
        // interior episodes count for no buffer
        feed(a, 5, 0, 0, 0, 0);
        assertThat(a.low(0)).isEqualTo(4.0);
        // the low side: mean (0.1 + 0.2 + 0)/3 = 0.1 ≤ 0.3 → narrow: lo = min(4 + 1, hi = 6) = 5
        feed(a, 4, 0.1, 0.2);
        assertThat(a.low(0)).isEqualTo(4.0);                  // 2 of 3: no decision yet
        feed(a, 4, 0.0);
        assertThat(a.low(0)).isEqualTo(5.0);
        // the high side: mean 0.5, between the thresholds → no move, but the buffer is emptied
        feed(a, 6, 0.5, 0.5, 0.5);
        assertThat(a.high(0)).isEqualTo(6.0);
        feed(a, 6, 0.7, 0.7);                                 // a fresh buffer: 2 of 3
        assertThat(a.high(0)).isEqualTo(6.0);
        feed(a, 6, 0.7);                                      // mean 0.7 ≥ 0.66 → hi = 7
        assertThat(a.high(0)).isEqualTo(7.0);
        assertThat(a.view()).containsEntry("widened", 3.0).containsEntry("narrowed", 1.0);
    }

    @Test
    void boundsStayInsideTheBoxAndNeverCross() {
        Adr top = oneDim(9.5, 0.5);
        feed(top, 9.5, 1, 1, 1);
        assertThat(top.low(0)).isEqualTo(8.5);
        assertThat(top.high(0)).isEqualTo(10.0);               // min(10.5, 10)
        Adr point = oneDim(5, 0.5);
        feed(point, 5, 0, 0, 0);                                // narrowing a point leaves the point
        assertThat(point.low(0)).isEqualTo(5.0);
        assertThat(point.high(0)).isEqualTo(5.0);
        Adr bottom = oneDim(0.4, 0.5);
        feed(bottom, 0.4, 1, 1, 1);
        assertThat(bottom.low(0)).isEqualTo(0.0);              // max(0.4 − 1, 0)
        assertThat(bottom.high(0)).isCloseTo(1.4, within(1e-12));
    }

    @Test
    void boundarySampling() {
        Adr never = oneDim(5, 0.0);
        feed(never, 5, 1, 1, 1);                                // [4, 6]
        Adr always = oneDim(5, 1.0);
        feed(always, 5, 1, 1, 1);
        double[] x = new double[1];
        int atLow = 0;
        for (int k = 0; k < 2000; k++) {
            never.propose(x);
            assertThat(x[0]).isBetween(4.0, 6.0).isNotIn(4.0, 6.0);
            always.propose(x);
            assertThat(x[0]).isIn(4.0, 6.0);
            if (x[0] == 4.0) atLow++;
        }
        assertThat(atLow).isBetween(900, 1100);                 // ½ each side
        // both sides capped: the dimension is left uniform
        Adr full = new Adr(new Adr.Params(1.0, 1, 1.0, 0.3, 0.66, new double[] {5}), ParameterSpace.cube(1, 0, 10), new Rng(2));
        feed(full, 5, 1);
        assertThat(full.low(0)).isEqualTo(0.0);
        assertThat(full.high(0)).isEqualTo(10.0);
        int onBound = 0;
        for (int k = 0; k < 500; k++) {
            full.propose(x);
            if (x[0] == 0.0 || x[0] == 10.0) onBound++;
        }
        assertThat(onBound).isZero();
    }

    @Test
    void withoutAnInitialPointItStartsAtAUniformDraw() {
        ContinuousCurriculum a = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 2, 3).teacher("adr").seed(4).build());
        ContinuousCurriculum b = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 2, 3).teacher("adr").seed(5).build());
        Adr ta = (Adr) a.teacher();
        assertThat(ta.low(0)).isEqualTo(ta.high(0)).isBetween(0.0, 1.0);
        assertThat(ta.low(1)).isBetween(2.0, 3.0);
        assertThat(((Adr) b.teacher()).low(0)).isNotEqualTo(ta.low(0));
        // all first proposals are that point, or that point with one coordinate on a (collapsed) boundary: the same point
        for (ParamTask t : a.next(20)) assertThat(t.params()).containsExactly(ta.low(0), ta.low(1));
    }

    /** Through the curriculum: a learner that succeeds everywhere makes ADR open the whole box, one that fails nowhere. */
    @Test
    void aLearnerThatSucceedsOpensTheWholeBox() {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", -5, 5).teacher("adr")
                .set("teacher.initial", List.of(0.5, 0.0)).seed(3).build());
        for (int b = 0; b < 400; b++) {
            List<ParamOutcome> out = new ArrayList<>();
            for (ParamTask t : c.next(16)) out.add(ParamOutcome.of(t.id(), 1.0));
            c.report(out);
        }
        Adr a = (Adr) c.teacher();
        assertThat(a.low(0)).isEqualTo(0.0);
        assertThat(a.high(0)).isEqualTo(1.0);
        assertThat(a.low(1)).isEqualTo(-5.0);
        assertThat(a.high(1)).isEqualTo(5.0);
        assertThat(c.stats().teacherView()).containsEntry("volumeShare", 1.0).containsEntry("narrowed", 0.0);
    }

    @Test
    void configurationIsReadAndBadValuesNameTheField() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"adr\"}}");
        assertThat(c.teacher()).isEqualTo(Adr.Params.DEFAULTS);
        assertThat(c.canonicalJson()).contains("\"boundaryProbability\":0.7", "\"queueLength\":10", "\"highThreshold\":0.66")
                .doesNotContain("initial");
        ContinuousConfig set = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"initial\": [0, 6],"
                + " \"step\": 0.05, \"lowThreshold\": 0.1, \"highThreshold\": 0.9}}");
        Adr.Params p = (Adr.Params) set.teacher();
        assertThat(p.initial()).containsExactly(0, 6);
        assertThat(p.step()).isEqualTo(0.05);
        assertThat(ContinuousConfig.fromJson(set.canonicalJson())).isEqualTo(set);
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"boundaryProbability\": 1.5}}").path()).isEqualTo("teacher.boundaryProbability");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"queueLength\": 0}}").path()).isEqualTo("teacher.queueLength");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"step\": 0}}").path()).isEqualTo("teacher.step");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"lowThreshold\": 0.7, \"highThreshold\": 0.2}}").path())
                .isEqualTo("teacher.highThreshold");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"initial\": [1]}}").getMessage())
                .contains("teacher.initial", "one number per dimension (2)");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"initial\": [1, 7]}}").getMessage())
                .contains("teacher.initial[1]", "stump_spacing", "outside");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"initial\": [1, \"a\"]}}").path()).isEqualTo("teacher.initial[1]");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"adr\", \"queueLen\": 5}}").getMessage()).contains("teacher.queueLen", "queueLength");
        assertThatThrownBy(() -> new Adr.Params(0.5, 10, 0.1, Double.NaN, 0.6, null)).hasMessageContaining("lowThreshold");
    }
}
