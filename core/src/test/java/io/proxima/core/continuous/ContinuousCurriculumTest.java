package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One contract suite, every continuous teacher. */
class ContinuousCurriculumTest {
    /** Small windows so that fits and splits happen within a few hundred episodes. */
    static ContinuousCurriculum create(String teacher, long seed) {
        String params = switch (teacher) {
            case "alp-gmm", "covar-gmm", "recent-alp-gmm" -> ", \"fitRate\": 50, \"maxK\": 4";
            case "riac" -> ", \"maxRegionSize\": 40";
            case "adr" -> ", \"queueLength\": 4, \"initial\": [0.5, 0, 10.1]";
            case "spdl" -> ", \"updateFrequency\": 40, \"updateOffset\": 40";
            default -> "";
        };
        return ContinuousCurriculum.create("{\"space\": {\"dims\": [{\"name\": \"height\", \"low\": 0, \"high\": 3},"
                + " {\"name\": \"spacing\", \"low\": -1, \"high\": 5}, {\"name\": \"roughness\", \"low\": 10, \"high\": 10.5}]},"
                + " \"teacher\": {\"type\": \"" + teacher + "\"" + params + "}, \"seed\": " + seed + "}");
    }

    /** A deterministic learner: return rises with visits near the low corner, noise from its own generator. */
    static final class Learner {
        final Rng rng = new Rng(99);
        int visits;

        double episode(double[] p) {
            boolean learnable = p[0] < 1.5;
            if (learnable) visits++;
            return learnable ? Math.min(1, visits / 300.0) + 0.05 * rng.nextDouble() : 0;
        }
    }

    static void run(ContinuousCurriculum c, Learner learner, int batches, int n) {
        for (int b = 0; b < batches; b++) {
            List<ParamTask> tasks = c.next(n);
            List<ParamOutcome> out = new ArrayList<>(n);
            for (ParamTask t : tasks) out.add(ParamOutcome.of(t.id(), learner.episode(t.params())));
            c.report(out);
        }
    }

    static final String[] TEACHERS = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"};

    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"})
    void proposalsStayInsideTheBoxAndIdsAreDense(String teacher) {
        ContinuousCurriculum c = create(teacher, 3);
        Learner learner = new Learner();
        long expectedId = 0;
        for (int b = 0; b < 60; b++) {
            List<ParamTask> tasks = c.next(8);
            List<ParamOutcome> out = new ArrayList<>();
            for (ParamTask t : tasks) {
                assertThat(t.id()).isEqualTo(expectedId++);
                assertThat(c.space().contains(t.params())).as("%s inside the box", t).isTrue();
                out.add(ParamOutcome.of(t.id(), learner.episode(t.params())));
            }
            assertThat(c.report(out)).isEqualTo(8);
        }
        ContinuousStats s = c.stats();
        assertThat(s.teacher()).isEqualTo(teacher);
        assertThat(s.proposed()).isEqualTo(480);
        assertThat(s.episodes()).isEqualTo(480);
        assertThat(s.batches()).isEqualTo(60);
        assertThat(s.teacherView()).containsEntry("episodes", 480.0);
        if (teacher.endsWith("gmm")) assertThat(s.teacherView().get("fits")).isEqualTo(9.0);
        if (teacher.equals("riac")) assertThat(s.teacherView().get("regions")).isGreaterThan(1.0);
        if (teacher.equals("adr")) assertThat(s.teacherView().get("widened") + s.teacherView().get("narrowed")).isGreaterThan(0.0);
        if (teacher.equals("spdl")) assertThat(s.teacherView().get("updates")).isEqualTo(12.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"})
    void sameSeedSameCallsSameProposals(String teacher) {
        ContinuousCurriculum a = create(teacher, 5);
        ContinuousCurriculum b = create(teacher, 5);
        run(a, new Learner(), 40, 10);
        run(b, new Learner(), 40, 10);
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
        assertThat(a.next(10)).isEqualTo(b.next(10));
        // after the same calls, another seed proposes otherwise (ADR's fixed initial point makes its first proposals equal)
        ContinuousCurriculum other = create(teacher, 6);
        ContinuousCurriculum fresh = create(teacher, 5);
        run(other, new Learner(), 40, 10);
        run(fresh, new Learner(), 40, 10);
        assertThat(other.next(10)).isNotEqualTo(fresh.next(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"})
    void snapshotRestoreReplayIsNeverStopped(String teacher) {
        for (int stopAt : new int[] {0, 3, 17, 33}) {
            ContinuousCurriculum c = create(teacher, 7);
            Learner learner = new Learner();
            run(c, learner, stopAt, 10);
            byte[] snap = c.snapshot();
            ContinuousCurriculum back = ContinuousCurriculum.restore(snap);
            assertThat(back.snapshot()).as("stop at %d", stopAt).isEqualTo(snap);
            // the learner is deterministic; copy its state for the replay
            Learner twin = new Learner();
            twin.rng.setState(learner.rng.state());
            twin.visits = learner.visits;
            run(c, learner, 25, 10);
            run(back, twin, 25, 10);
            assertThat(back.snapshot()).isEqualTo(c.snapshot());
            assertThat(back.next(5)).isEqualTo(c.next(5));
            assertThat(back.stats()).isEqualTo(c.stats());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm"})
    void rejectedReportChangesNothing(String teacher) {
        ContinuousCurriculum c = create(teacher, 2);
        run(c, new Learner(), 12, 10);
        List<ParamTask> tasks = c.next(3);
        byte[] before = c.snapshot();
        long id = tasks.get(0).id();
        double[] ok = {1, 2, 10.2};
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.of(id, 0.5), ParamOutcome.at(new double[] {1, 2}, 0.1))))
                .hasMessageContaining("outcomes[1].params has 2 values, the space has 3 dimensions");
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.of(id, 0.5), ParamOutcome.at(new double[] {1, 2, 11}, 0.1))))
                .hasMessageContaining("outcomes[1].params[2] (roughness) = 11.0 is outside [10.0, 10.5]");
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.at(ok, 0.5, Double.NaN))))
                .hasMessageContaining("outcomes[0].returns[1] must be finite");
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.at(ok))))
                .hasMessageContaining("outcomes[0].returns must hold at least one return");
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.of(id + 100, 1))))
                .hasMessageContaining("outcomes[0].taskId: task id " + (id + 100) + " was never proposed");
        assertThatThrownBy(() -> c.report(List.of(new ParamOutcome(ParamOutcome.NO_ID, null, new double[] {1}))))
                .hasMessageContaining("outcomes[0] names no task");
        assertThatThrownBy(() -> c.report(List.of(new ParamOutcome(-5, ok, new double[] {1}))))
                .hasMessageContaining("outcomes[0].taskId must be >= 0");
        assertThatThrownBy(() -> c.report(List.of())).hasMessageContaining("at least one outcome");
        assertThatThrownBy(() -> c.report(null)).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> c.next(0)).hasMessageContaining("n must be >= 1");
        assertThat(c.snapshot()).isEqualTo(before);
    }

    @Test
    void reportsByIdByVectorAndBoth() {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).dim("y", 0, 1)
                .teacher("random").set("pendingWindow", 4).seed(1).build());
        List<ParamTask> first = c.next(4);
        assertThat(c.proposal(2)).isEqualTo(first.get(2).params());
        c.next(2); // ids 4, 5: ids 0 and 1 fall out of the window of 4
        assertThatThrownBy(() -> c.report(List.of(ParamOutcome.of(1, 0.5))))
                .hasMessageContaining("task id 1 is older than the last 4 proposals");
        assertThatThrownBy(() -> c.next(5)).hasMessageContaining("exceeds pendingWindow=4");
        // by id, by an arbitrary vector (never proposed, a boundary rounded outside by 1e-9), by id + the vector actually run
        int applied = c.report(List.of(ParamOutcome.of(2, 0.1, 0.2), ParamOutcome.at(new double[] {1 + 1e-9, 0}, 0.3),
                new ParamOutcome(3, new double[] {0.5, 0.5}, new double[] {0.4})));
        assertThat(applied).isEqualTo(4);
        ContinuousStats s = c.stats();
        assertThat(s.reports()).isEqualTo(3);
        assertThat(s.episodes()).isEqualTo(4);
        assertThat(s.meanReturn()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.lastMeanReturn()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void restoreRejectsForeignAndCorruptBytes() {
        byte[] snap = create("alp-gmm", 1).snapshot();
        assertThatThrownBy(() -> ContinuousCurriculum.restore(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).hasMessageContaining("not a Proxima continuous snapshot");
        byte[] cut = java.util.Arrays.copyOf(snap, snap.length - 3);
        assertThatThrownBy(() -> ContinuousCurriculum.restore(cut)).hasMessageContaining("corrupt snapshot");
        byte[] v = snap.clone();
        v[7] = 9;
        assertThatThrownBy(() -> ContinuousCurriculum.restore(v)).hasMessageContaining("snapshot version 9 is not supported");
    }

    @Test
    void rewardScaleMapsReturnsBeforeTheTeacher() {
        ContinuousCurriculum c = ContinuousCurriculum.create(ContinuousConfig.builder().dim("x", 0, 1).teacher("riac")
                .set("rewardScale.low", -150).set("rewardScale.high", 350).build());
        for (int i = 0; i < 10; i++) c.report(List.of(ParamOutcome.at(new double[] {0.5}, i < 5 ? -150 : 350)));
        // rewards seen by RIAC: 0 ×5 then 1 ×5 → root ALP |0 − 1| = 1
        assertThat(((Riac) c.teacher()).regionAlp(0)).isEqualTo(1.0);
        assertThat(c.stats().meanReturn()).isEqualTo(100.0);
    }
}
