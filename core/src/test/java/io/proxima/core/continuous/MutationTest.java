package io.proxima.core.continuous;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ACCEL-style edits ({@link Mutation}, {@link MutatingTeacher}) on top of any continuous teacher. */
class MutationTest {
    static final String SPACE = "\"space\": {\"dims\": [{\"name\": \"h\", \"low\": 0, \"high\": 3}, {\"name\": \"s\", \"low\": -1, \"high\": 5}]}";

    static ConfigException error(String teacher) {
        try {
            ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": " + teacher + "}");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for " + teacher);
    }

    /** A teacher whose own proposals are a fixed marker point: edits are everything else. */
    static final class Fixed implements ContinuousTeacher {
        final double[] marker;
        int observed;

        Fixed(double[] marker) {
            this.marker = marker;
        }

        @Override
        public void propose(double[] out) {
            System.arraycopy(marker, 0, out, 0, marker.length);
        }

        @Override
        public void observe(double[] task, double reward) {
            observed++;
        }

        @Override
        public Map<String, Double> view() {
            return Map.of("observed", (double) observed);
        }

        @Override
        public void writeState(io.proxima.core.snapshot.SnapshotWriter w) {
            w.writeInt(observed);
        }

        @Override
        public void readState(io.proxima.core.snapshot.SnapshotReader r) {
            observed = r.readInt();
        }
    }

    @Test
    void configIsReadDefaultedAndCanonical() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"covar-gmm\", \"fitRate\": 100,"
                + " \"mutation\": {\"share\": 0.3, \"score\": \"regret\"}}}");
        MutatingTeacher.Params p = (MutatingTeacher.Params) c.teacher();
        assertThat(p.type()).isEqualTo("covar-gmm");
        assertThat(((CovarGmm.Params) p.teacher()).fitRate()).isEqualTo(100);
        assertThat(p.mutation()).isEqualTo(new Mutation(0.3, Mutation.DEFAULT_SCALE, Mutation.Score.REGRET, Mutation.DEFAULT_BUFFER_SIZE, Mutation.DEFAULT_TOP));
        assertThat(c.canonicalJson()).contains("\"mutation\":{\"bufferSize\":256,\"scale\":0.05,\"score\":\"regret\",\"share\":0.3,\"top\":10}");
        assertThat(ContinuousConfig.fromJson(c.canonicalJson())).isEqualTo(c);
        // top defaults to at most the buffer
        MutatingTeacher.Params small = (MutatingTeacher.Params) ContinuousConfig.fromJson("{" + SPACE
                + ", \"teacher\": {\"type\": \"random\", \"mutation\": {\"bufferSize\": 4}}}").teacher();
        assertThat(small.mutation().top()).isEqualTo(4);
        // no mutation key: the teacher is not wrapped
        assertThat(ContinuousConfig.fromJson("{" + SPACE + "}").teacher()).isEqualTo(AlpGmm.Params.DEFAULTS);
        assertThat(ContinuousCurriculum.create(c).stats().teacher()).isEqualTo("covar-gmm");
    }

    @Test
    void badConfigIsRefusedNamingTheField() {
        assertThat(error("{\"type\": \"alp-gmm\", \"mutation\": {\"share\": 1.5}}").path()).isEqualTo("teacher.mutation.share");
        assertThat(error("{\"type\": \"alp-gmm\", \"mutation\": {\"share\": -0.1}}").path()).isEqualTo("teacher.mutation.share");
        assertThat(error("{\"type\": \"alp-gmm\", \"mutation\": {\"scale\": 0}}").path()).isEqualTo("teacher.mutation.scale");
        assertThat(error("{\"type\": \"alp-gmm\", \"mutation\": {\"scale\": \"big\"}}").path()).isEqualTo("teacher.mutation.scale");
        assertThat(error("{\"type\": \"riac\", \"mutation\": {\"score\": \"reward\"}}").getMessage())
                .contains("teacher.mutation.score").contains("[progress, regret]");
        assertThat(error("{\"type\": \"spdl\", \"mutation\": {\"bufferSize\": 0}}").path()).isEqualTo("teacher.mutation.bufferSize");
        assertThat(error("{\"type\": \"adr\", \"mutation\": {\"bufferSize\": 8, \"top\": 9}}").path()).isEqualTo("teacher.mutation.top");
        ConfigException typo = error("{\"type\": \"alp-gmm\", \"mutation\": {\"shar\": 0.2}}");
        assertThat(typo.path()).isEqualTo("teacher.mutation.shar");
        assertThat(typo.getMessage()).contains("known keys").contains("share");
        assertThat(error("{\"type\": \"alp-gmm\", \"mutation\": 0.2}").path()).isEqualTo("teacher.mutation");
    }

    /** Hand-checked: one buffered task, share 1 ⇒ every proposal is task + scale·range·N(0,1) drawn in order, clipped. */
    @Test
    void anEditIsTheBufferedTaskPlusScaledGaussianClipped() {
        ParameterSpace space = ContinuousConfig.fromJson("{" + SPACE + "}").space(); // h ∈ [0, 3], s ∈ [-1, 5]
        Rng rng = new Rng(11);
        Rng twin = new Rng(11);
        MutatingTeacher t = new MutatingTeacher(new Fixed(new double[] {9, 9}), new Mutation(1.0, 0.1, Mutation.Score.PROGRESS, 8, 3), space, rng);
        double[] out = new double[2];
        t.propose(out); // empty buffer: the teacher's own, nothing drawn
        assertThat(out).containsExactly(9, 9);
        assertThat(rng.state()).isEqualTo(twin.state());
        t.observe(new double[] {1.5, 2.0}, 0.4);
        for (int i = 0; i < 200; i++) {
            t.propose(out);
            double u = twin.nextDouble();
            assertThat(u).isLessThan(1.0);
            // a single candidate: no pick is drawn
            double h = Math.min(3, Math.max(0, 1.5 + 0.1 * 3 * twin.nextGaussian()));
            double s = Math.min(5, Math.max(-1, 2.0 + 0.1 * 6 * twin.nextGaussian()));
            assertThat(out).containsExactly(h, s);
        }
        // at a corner with a large scale, edits are clipped onto the box, never outside it
        MutatingTeacher corner = new MutatingTeacher(new Fixed(new double[] {9, 9}), new Mutation(1.0, 1.0, Mutation.Score.REGRET, 8, 1), space, new Rng(3));
        corner.observe(new double[] {3, -1}, 0.0);
        int onLowS = 0;
        for (int i = 0; i < 500; i++) {
            corner.propose(out);
            assertThat(space.contains(out)).isTrue();
            if (out[1] == -1) onLowS++;
        }
        assertThat(onLowS).isBetween(200, 300); // half the N(0,1) mass clips onto the edge
        assertThat(corner.edits()).isEqualTo(500);
    }

    /** Hand-checked top selection: the edited parent is always among the top-k scores, ties to the newer. */
    @Test
    void editsStartFromTheTopScoringTasks() {
        ParameterSpace space = ParameterSpace.cube(1, 0, 100);
        MutatingTeacher t = new MutatingTeacher(new Fixed(new double[] {-1}), new Mutation(1.0, 1e-9, Mutation.Score.REGRET, 6, 2), space, new Rng(5));
        // regret = 1 − r: tasks 10 (0.9), 20 (0.2), 30 (0.5), 40 (0.2), 50 (0.95)
        double[][] obs = {{10, 0.1}, {20, 0.8}, {30, 0.5}, {40, 0.8}, {50, 0.05}};
        for (double[] o : obs) t.observe(new double[] {o[0]}, o[1]);
        double[] out = new double[1];
        int[] hits = new int[6];
        for (int i = 0; i < 2000; i++) {
            t.propose(out);
            hits[(int) Math.round(out[0] / 10)]++;
        }
        assertThat(hits[1] + hits[5]).isEqualTo(2000);
        assertThat(hits[1]).isBetween(900, 1100);
        // ties: top 1 among {20: 0.2, 40: 0.2} with everything else lower is the newer, 40
        MutatingTeacher tie = new MutatingTeacher(new Fixed(new double[] {-1}), new Mutation(1.0, 1e-9, Mutation.Score.REGRET, 6, 1), space, new Rng(5));
        tie.observe(new double[] {20}, 0.8);
        tie.observe(new double[] {40}, 0.8);
        tie.observe(new double[] {60}, 0.9);
        tie.propose(out);
        assertThat(out[0]).isCloseTo(40, within(1e-6));
        // the buffer is a FIFO: a seventh task drops the first
        for (double[] o : obs) tie.observe(new double[] {o[0]}, o[1]);
        assertThat(tie.bufferSize()).isEqualTo(6);
        assertThat(tie.buffered(0)).containsExactly(60);
    }

    @Test
    void progressIsTheReturnChangeFromTheNearestBufferedTask() {
        ParameterSpace space = ParameterSpace.cube(2, 0, 10);
        MutatingTeacher t = new MutatingTeacher(new Fixed(new double[] {0, 0}), new Mutation(0.5, 0.05, Mutation.Score.PROGRESS, 8, 2), space, new Rng(1));
        t.observe(new double[] {1, 1}, 0.2);
        t.observe(new double[] {9, 9}, 0.7);
        t.observe(new double[] {2, 1}, 0.5);   // nearest (1, 1): |0.5 − 0.2|
        t.observe(new double[] {8, 9}, 0.1);   // nearest (9, 9): |0.1 − 0.7|
        assertThat(t.score(0)).isEqualTo(0.0);
        assertThat(t.score(1)).isCloseTo(0.5, within(1e-12)); // nearest (1, 1): |0.7 − 0.2|
        assertThat(t.score(2)).isCloseTo(0.3, within(1e-12));
        assertThat(t.score(3)).isCloseTo(0.6, within(1e-12));
        assertThat(((Fixed) t.teacher()).observed).isEqualTo(4); // the teacher still learns from everything
    }

    /** Over many seeds, the share of edits is binomial(share) once the buffer holds a task. */
    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.2, 0.5, 0.9})
    void theShareOfEditsMatchesTheConfiguredShare(double share) {
        ParameterSpace space = ParameterSpace.cube(3, -2, 2);
        double[] marker = {7, 7, 7}; // outside the box: only the teacher proposes it
        long edits = 0;
        int n = 0;
        for (long seed = 0; seed < 40; seed++) {
            Rng rng = new Rng(seed);
            MutatingTeacher t = new MutatingTeacher(new Fixed(marker), new Mutation(share, 0.05, Mutation.Score.PROGRESS, 16, 4), space, rng);
            double[] out = new double[3];
            for (int i = 0; i < 250; i++) {
                if (i % 5 == 0) {
                    double[] p = new double[3];
                    space.uniform(rng, p);
                    t.observe(p, rng.nextDouble());
                }
                t.propose(out);
                boolean edit = !Arrays.equals(out, marker);
                if (edit) {
                    edits++;
                    assertThat(space.contains(out)).isTrue();
                }
                n++;
            }
            assertThat(t.edits()).isEqualTo(t.view().get("mutationEdits").longValue());
        }
        double sd = Math.sqrt(share * (1 - share) / n);
        assertThat((double) edits / n).isCloseTo(share, within(5 * sd));
    }

    @Test
    void shareZeroLeavesTheTeachersProposalsUnchanged() {
        String base = "{" + SPACE + ", \"seed\": 4, \"teacher\": {\"type\": \"alp-gmm\", \"fitRate\": 40";
        ContinuousCurriculum plain = ContinuousCurriculum.create(base + "}}");
        ContinuousCurriculum zero = ContinuousCurriculum.create(base + ", \"mutation\": {\"share\": 0}}}");
        List<double[]> a = drive(plain, 300, 7);
        List<double[]> b = drive(zero, 300, 7);
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).containsExactly(a.get(i));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alp-gmm", "covar-gmm", "riac", "random", "adr", "spdl"})
    void sameSeedSameProposalsAndSnapshotRoundTrip(String type) {
        String json = "{" + SPACE + ", \"seed\": 21, \"teacher\": {\"type\": \"" + type + "\""
                + (type.endsWith("gmm") ? ", \"fitRate\": 30" : "") + ", \"mutation\": {\"share\": 0.3, \"scale\": 0.1, \"bufferSize\": 32}}}";
        ContinuousCurriculum a = ContinuousCurriculum.create(json);
        ContinuousCurriculum b = ContinuousCurriculum.create(json);
        List<double[]> pa = drive(a, 200, 9);
        List<double[]> pb = drive(b, 200, 9);
        for (int i = 0; i < pa.size(); i++) assertThat(pb.get(i)).containsExactly(pa.get(i));
        assertThat(((MutatingTeacher) a.teacher()).edits()).isPositive();
        assertThat(a.snapshot()).isEqualTo(b.snapshot());

        ContinuousCurriculum restored = ContinuousCurriculum.restore(a.snapshot());
        assertThat(restored.snapshot()).isEqualTo(a.snapshot());
        assertThat(restored.stats()).isEqualTo(a.stats());
        List<double[]> fa = drive(a, 120, 10);
        List<double[]> fr = drive(restored, 120, 10);
        for (int i = 0; i < fa.size(); i++) assertThat(fr.get(i)).containsExactly(fa.get(i));
        assertThat(restored.snapshot()).isEqualTo(a.snapshot());
    }

    @Test
    void aCorruptBufferIsRefused() {
        ParameterSpace space = ParameterSpace.cube(2, 0, 1);
        MutatingTeacher t = new MutatingTeacher(new Fixed(new double[] {0, 0}), new Mutation(0.5, 0.05, Mutation.Score.PROGRESS, 2, 1), space, new Rng(1));
        io.proxima.core.snapshot.SnapshotWriter w = new io.proxima.core.snapshot.SnapshotWriter();
        w.writeInt(0);
        w.writeLong(5);
        w.writeLong(1);
        w.writeDoubles(new double[6], 6); // 3 tasks in a buffer of 2
        w.writeDoubles(new double[3], 3);
        w.writeDoubles(new double[3], 3);
        MutatingTeacher fresh = new MutatingTeacher(new Fixed(new double[] {0, 0}), new Mutation(0.5, 0.05, Mutation.Score.PROGRESS, 2, 1), space, new Rng(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fresh.readState(new io.proxima.core.snapshot.SnapshotReader(w.toByteArray())))
                .hasMessageContaining("corrupt snapshot").hasMessageContaining("bufferSize 2");
    }

    /** Proposes batches of 8 and reports a smooth return of each task, {@code rounds} times. */
    static List<double[]> drive(ContinuousCurriculum c, int episodes, long salt) {
        List<double[]> all = new ArrayList<>();
        Rng noise = new Rng(salt);
        for (int done = 0; done < episodes; done += 8) {
            List<ParamTask> batch = c.next(8);
            List<ParamOutcome> out = new ArrayList<>();
            for (ParamTask t : batch) {
                all.add(t.params());
                double r = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(t.params()[0] * 2) - 0.1 * t.params()[1] + 0.05 * noise.nextGaussian()));
                out.add(ParamOutcome.of(t.id(), r));
            }
            c.report(out);
        }
        return all;
    }
}
