package io.proxima.core.teacher;

import io.proxima.core.Curriculum;
import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.GroupStats;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** PCL: the worked example of shared/algorithms/llm-rl.md §5 and the value-model step. */
class PromptCurriculumTest {
    /** The example's pool: V = [.05, .2, .45, .5, .62, .9, .35, .7]; m = 4, τ = .5. */
    private static final double[] V = {0.05, 0.2, 0.45, 0.5, 0.62, 0.9, 0.35, 0.7};
    // |V − τ| = [.45, .30, .05, 0, .12, .40, .15, .20] → the 4 smallest: indices 3, 2, 4, 6
    private static final Set<Integer> PICKED = Set.of(3, 2, 4, 6);

    /** A PCL item policy over its own pool, as a Curriculum would build it. */
    private static final class Direct {
        final TaskPool pool;
        final GroupStats groups = new GroupStats();
        final PassRates rates;
        final TeacherContext ctx;
        final PromptCurriculum pcl;

        Direct(int featureDim, List<TaskSpec> tasks, PromptCurriculum.Params params) {
            pool = new TaskPool(featureDim);
            pool.addAll(tasks);
            groups.ensureGroups(pool.groupCount());
            rates = new PassRates(pool, groups, PassRates.Params.DEFAULTS);
            ctx = new TeacherContext(pool, new EpochWalk(pool), rates, groups, new Rng(11), 8, Advantages.Mode.STD);
            pcl = new PromptCurriculum(params, ctx);
        }

        /** Sets the value model's weights through its snapshot state (features…, groups…, bias). */
        void weights(double... w) {
            SnapshotWriter sw = new SnapshotWriter();
            sw.writeDoubles(w, w.length);
            sw.writeDouble(Double.NaN);
            pcl.readState(new SnapshotReader(sw.toByteArray()));
        }

        void observe(int[] tasks, double[][] rewards) {
            int[] g = new int[tasks.length];
            for (int i = 0; i < tasks.length; i++) g[i] = pool.group(tasks[i]);
            ObservedBatch b = new ObservedBatch(0, tasks, g, rewards, new long[tasks.length], Advantages.Mode.STD);
            rates.observe(b);
            groups.observe(b);
            pcl.observe(b);
        }
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void workedExampleSelectionFromTheValueModel() {
        // one feature f = logit(V_i) and weights [1 (feature), 0 (group), 0 (bias)]: the model's
        // prediction σ(f) is V_i (float features: within 1e-7)
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < V.length; i++) tasks.add(TaskSpec.of("p" + i, "g").withFeatures((float) logit(V[i])));
        Direct d = new Direct(1, tasks, new PromptCurriculum.Params(0.5, 2, 8.0, 0.1, false)); // the paper: candidates spent
        d.weights(1, 0, 0);
        for (int i = 0; i < V.length; i++) {
            assertThat(d.pcl.model(i)).isCloseTo(V[i], within(1e-6));
            assertThat(d.pcl.predict(i)).isCloseTo(V[i], within(1e-6)); // no evidence yet: V' = V
        }
        // k·m = 2·4 = 8 candidates: the whole pool; the 4 nearest τ = .5
        for (int round = 0; round < 5; round++) {
            BatchBuilder batch = new BatchBuilder();
            batch.reset(4);
            d.pcl.pick(0, 4, batch);
            Set<Integer> got = new HashSet<>();
            for (int i = 0; i < batch.size(); i++) got.add(batch.get(i));
            assertThat(got).isEqualTo(PICKED);
        }
        // value loss: observed Y = [.5, .375, .75, .25] for V = [.5, .45, .62, .35]:
        // (0 + .075² + .13² + .1²)/4 = (.005625 + .0169 + .01)/4 = .0081313
        d.observe(new int[] {3, 2, 4, 6}, new double[][] {
                Outcome.binary("", 4, 8).rewards(), Outcome.binary("", 3, 8).rewards(),
                Outcome.binary("", 6, 8).rewards(), Outcome.binary("", 2, 8).rewards()});
        assertThat(d.pcl.lastLoss()).isCloseTo(0.0081313, within(1e-6));
        assertThat(d.pcl.view()).containsKey("pcl.valueMse");
    }

    @Test
    void workedExampleSelectionFromEvidenceThroughTheCurriculum() {
        // modelWeight κ = 0: V'(x) = S_x / n_x, the task's own pass rate; rewards all equal to V_i
        // make S_x / n_x = V_i exactly (fractional successes)
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < V.length; i++) tasks.add(TaskSpec.of("p" + i, "g"));
        Curriculum c = Curriculum.create(io.proxima.core.recipe.CurriculumConfig.fromJson(
                "{\"recipe\":\"pcl\",\"seed\":3,\"itemPolicy\":{\"candidates\":2,\"modelWeight\":0,\"coverage\":false,\"freshShare\":0}}"), tasks);
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < V.length; i++) out.add(Outcome.of("p" + i, V[i], V[i], V[i], V[i], V[i], V[i], V[i], V[i]));
        c.report(out);
        for (int round = 0; round < 5; round++) {
            assertThat(c.next(4).taskIds()).containsExactlyInAnyOrder("p3", "p2", "p4", "p6");
        }
    }

    /** Coverage (the default): the same pool, but each epoch of 8 gives the 4 nearest τ first, then the other 4. */
    @Test
    void withCoverageTheModelOrdersEachEpoch() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < V.length; i++) tasks.add(TaskSpec.of("p" + i, "g"));
        Curriculum c = Curriculum.create(io.proxima.core.recipe.CurriculumConfig.fromJson(
                "{\"recipe\":\"pcl\",\"seed\":3,\"itemPolicy\":{\"candidates\":2,\"modelWeight\":0,\"freshShare\":0}}"), tasks);
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < V.length; i++) out.add(Outcome.of("p" + i, V[i], V[i], V[i], V[i], V[i], V[i], V[i], V[i]));
        c.report(out);
        for (int epoch = 0; epoch < 4; epoch++) {
            assertThat(c.next(4).taskIds()).as("epoch %d, first half", epoch).containsExactlyInAnyOrder("p3", "p2", "p4", "p6");
            assertThat(c.next(4).taskIds()).as("epoch %d, second half", epoch).containsExactlyInAnyOrder("p0", "p1", "p5", "p7");
        }
    }

    /**
     * The fresh floor: with freshShare 1 every slot is the walk's, so the first half of an epoch is
     * a random half of the pool, not the 4 nearest τ; over 50 epochs the nearest four fill the
     * first half about as often as any random four (1 / C(8,4) = 1/70), and never less than once
     * per epoch each.
     */
    @Test
    void freshShareOneWalksThePool() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < V.length; i++) tasks.add(TaskSpec.of("p" + i, "g"));
        for (double share : new double[] {0.0, 0.5, 0.9, 1.0}) {
            Curriculum c = Curriculum.create(io.proxima.core.recipe.CurriculumConfig.fromJson(
                    "{\"recipe\":\"pcl\",\"seed\":3,\"itemPolicy\":{\"candidates\":2,\"modelWeight\":0,\"freshShare\":" + share + "}}"), tasks);
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < V.length; i++) out.add(Outcome.of("p" + i, V[i], V[i], V[i], V[i], V[i], V[i], V[i], V[i]));
            c.report(out);
            int nearestFirst = 0;
            for (int epoch = 0; epoch < 50; epoch++) {
                List<String> first = c.next(4).taskIds();
                List<String> second = c.next(4).taskIds();
                java.util.Set<String> all = new java.util.HashSet<>(first);
                all.addAll(second);
                assertThat(all).as("share %s epoch %d: every task once", share, epoch).hasSize(8);
                if (new java.util.HashSet<>(first).equals(java.util.Set.of("p3", "p2", "p4", "p6"))) nearestFirst++;
            }
            if (share == 0.0) assertThat(nearestFirst).as("the model orders every epoch").isEqualTo(50);
            if (share == 1.0) assertThat(nearestFirst).as("the walk orders every epoch").isLessThan(6);
        }
    }

    @Test
    void oneValueStepMovesPredictionsTowardObservedPassRates() {
        List<TaskSpec> tasks = List.of(TaskSpec.of("a", "A"), TaskSpec.of("a2", "A"), TaskSpec.of("b", "B"));
        Direct d = new Direct(0, tasks, PromptCurriculum.Params.DEFAULTS);
        assertThat(d.pcl.model(0)).isEqualTo(0.5); // w = 0
        // a: Y = 1, b: Y = 0. Gradient of CE in z: V − Y = −.5 (group A), +.5 (group B), bias 0.
        // w ← w − lr·grad/|S| = −.1·(∓.5)/2 → w_A = .025, w_B = −.025
        d.observe(new int[] {0, 2}, new double[][] {{1, 1, 1, 1}, {0, 0, 0, 0}});
        assertThat(d.pcl.lastLoss()).isCloseTo(0.25, within(1e-12)); // (.5² + .5²)/2, before the step
        assertThat(d.pcl.model(0)).isCloseTo(sigmoid(0.025), within(1e-12)).isGreaterThan(0.5);
        assertThat(d.pcl.model(2)).isCloseTo(sigmoid(-0.025), within(1e-12)).isLessThan(0.5);
        // the group weight generalises to a2, never rolled out
        assertThat(d.pcl.model(1)).isCloseTo(sigmoid(0.025), within(1e-12));
        // repeated steps keep reducing the error
        double before = Math.abs(d.pcl.model(0) - 1);
        for (int i = 0; i < 50; i++) d.observe(new int[] {0, 2}, new double[][] {{1, 1, 1, 1}, {0, 0, 0, 0}});
        assertThat(Math.abs(d.pcl.model(0) - 1)).isLessThan(before);
        assertThat(d.pcl.model(2)).isLessThan(sigmoid(-0.025));
    }

    @Test
    void predictionBlendsModelAndEvidence() {
        List<TaskSpec> tasks = List.of(TaskSpec.of("a", "A"), TaskSpec.of("b", "A"));
        Direct d = new Direct(0, tasks, PromptCurriculum.Params.DEFAULTS);
        d.weights(0, 0); // group A, bias: V = .5
        // a: 8 of 8 → S = 8, n = 8; V' = (κ·V + S)/(κ + n) = (8·.5 + 8)/16 = .75 (evidence fed to the
        // pass rates only, so the model stays at V = .5); b: no evidence → V' = V = .5
        d.rates.observe(new ObservedBatch(0, new int[] {0}, new int[] {0}, new double[][] {{1, 1, 1, 1, 1, 1, 1, 1}},
                new long[1], Advantages.Mode.STD));
        assertThat(d.pcl.predict(0)).isCloseTo(0.75, within(1e-12));
        assertThat(d.pcl.predict(1)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void learnedGroupWeightsSurviveTheArrivalOfANewGroup() {
        List<TaskSpec> tasks = List.of(TaskSpec.of("a", "A"), TaskSpec.of("b", "B"));
        Direct d = new Direct(0, tasks, PromptCurriculum.Params.DEFAULTS);
        d.observe(new int[] {0, 1}, new double[][] {{1, 1, 1, 1}, {0, 0, 0, 0}});
        double a = d.pcl.model(0);
        double b = d.pcl.model(1);
        assertThat(a).isCloseTo(sigmoid(0.025), within(1e-12));
        // a task of a new group C arrives: A's and B's weights (and the bias) must stay what was learned
        d.pool.addAll(List.of(TaskSpec.of("c", "C")));
        d.groups.ensureGroups(d.pool.groupCount());
        d.rates.ensureCapacity(d.pool.size());
        assertThat(d.pcl.model(2)).isCloseTo(0.5, within(1e-12)); // bias 0, new group weight 0
        assertThat(d.pcl.model(0)).isEqualTo(a);
        assertThat(d.pcl.model(1)).isEqualTo(b);
    }
}
