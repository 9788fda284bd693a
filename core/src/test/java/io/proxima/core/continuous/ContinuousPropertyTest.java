package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random configurations: 1–6 dimensions, boxes from 1e-3 to 1e4 wide anywhere in
 * [−1e4, 1e4], every teacher with small windows, learners whose returns are constant, binary,
 * noisy or huge. Every proposal lies in the box, every stat is finite, and snapshots round-trip.
 */
class ContinuousPropertyTest {
    static final String[] TEACHERS = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"};

    @Test
    void randomConfigurationsStayInsideTheBoxAndRoundTrip() {
        for (long seed = 1; seed <= 36; seed++) {
            Rng g = new Rng(seed * 7919);
            int d = 1 + g.nextInt(6);
            ContinuousConfig.Builder b = ContinuousConfig.builder().seed(seed);
            for (int i = 0; i < d; i++) {
                double width = Math.pow(10, -3 + 7 * g.nextDouble());
                double low = -1e4 + g.nextDouble() * (2e4 - width);
                b.dim("p" + i, low, low + width);
            }
            String teacher = TEACHERS[(int) (seed % TEACHERS.length)];
            b.teacher(teacher);
            if (teacher.endsWith("gmm")) b.set("teacher.fitRate", 20 + g.nextInt(30)).set("teacher.maxK", 2 + g.nextInt(5));
            if (teacher.equals("riac")) b.set("teacher.maxRegionSize", 20 + g.nextInt(30));
            if (teacher.equals("adr")) b.set("teacher.queueLength", 1 + g.nextInt(5)).set("teacher.boundaryProbability", g.nextDouble());
            if (teacher.equals("spdl")) b.set("teacher.updateFrequency", 10 + g.nextInt(30)).set("teacher.updateOffset", g.nextInt(40))
                    .set("teacher.maxKl", 0.05 + g.nextDouble());
            ContinuousCurriculum c = ContinuousCurriculum.create(b.build());
            int mode = g.nextInt(4);
            Rng env = new Rng(seed);
            String what = "seed " + seed + ", " + teacher + ", d=" + d + ", learner " + mode + ", " + c.space();
            for (int batch = 0; batch < 40; batch++) {
                List<ParamTask> tasks = c.next(1 + g.nextInt(12));
                List<ParamOutcome> out = new ArrayList<>();
                for (ParamTask t : tasks) {
                    assertThat(c.space().contains(t.params())).as(what + ": " + t).isTrue();
                    double r = switch (mode) {
                        case 0 -> 0.5;                                       // constant: ALP ≡ 0
                        case 1 -> env.nextDouble() < 0.3 ? 1 : 0;            // binary
                        case 2 -> env.nextDouble();                          // noise
                        default -> 1e6 * (t.params()[0] - c.space().low(0)); // huge raw returns
                    };
                    out.add(ParamOutcome.of(t.id(), r));
                }
                c.report(out);
            }
            ContinuousStats s = c.stats();
            assertThat(Double.isFinite(s.meanReturn())).as(what).isTrue();
            for (double v : s.teacherView().values()) assertThat(Double.isFinite(v)).as(what + " " + s.teacherView()).isTrue();
            byte[] snap = c.snapshot();
            ContinuousCurriculum back = ContinuousCurriculum.restore(snap);
            assertThat(back.snapshot()).as(what).isEqualTo(snap);
            assertThat(back.next(4)).as(what).isEqualTo(c.next(4));
        }
    }
}
