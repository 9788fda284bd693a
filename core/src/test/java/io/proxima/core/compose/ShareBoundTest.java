package io.proxima.core.compose;

import io.proxima.core.Curriculum;
import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.GroupStats;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ShareBoundTest {
    /** A context over groups of the given sizes (group k named "g" + k). */
    static TeacherContext context(int... sizes) {
        TaskPool pool = new TaskPool(0);
        List<TaskSpec> specs = new ArrayList<>();
        for (int k = 0; k < sizes.length; k++) for (int i = 0; i < sizes[k]; i++) specs.add(TaskSpec.of("g" + k + "/" + i, "g" + k));
        pool.addAll(specs);
        GroupStats gs = new GroupStats();
        gs.ensureGroups(sizes.length);
        PassRates pr = new PassRates(pool, gs, PassRates.Params.DEFAULTS);
        return new TeacherContext(pool, new EpochWalk(pool), pr, gs, new Rng(1), 8, Advantages.Mode.STD);
    }

    static GroupPolicy fixed(double... p) {
        return out -> System.arraycopy(p, 0, out, 0, p.length);
    }

    /**
     * Pool shares (¼, ¼, ½), the policy wants (0.9, 0.1, 0), bounds [¼, 2]× the share:
     * A is capped at 2·¼ = ½, C is floored at ¼·½ = ⅛, and B takes the rest, 1 − ½ − ⅛ = ⅜
     * (λ = 3.75 scales B's 0.1 to 0.375, inside B's [1/16, ½]).
     */
    @Test
    void workedExample() {
        TeacherContext ctx = context(10, 10, 20);
        double[] q = new double[3];
        new ShareBound(ShareBound.Params.DEFAULTS, ctx, fixed(0.9, 0.1, 0.0)).probabilities(q);
        assertThat(q[0]).isCloseTo(0.5, within(1e-12));
        assertThat(q[1]).isCloseTo(0.375, within(1e-12));
        assertThat(q[2]).isCloseTo(0.125, within(1e-12));
    }

    /**
     * One group of ten wants everything: its cap (2 × 0.1) and the others' floors (9 × 0.025) hold
     * only 0.425, so the other nine share the rest in proportion to their pool shares: 0.8 / 9 each.
     */
    @Test
    void whatTheCapsCannotHoldGoesToTheOthersByPoolShare() {
        TeacherContext ctx = context(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        double[] want = new double[10];
        want[0] = 1.0;
        double[] q = new double[10];
        new ShareBound(ShareBound.Params.DEFAULTS, ctx, fixed(want)).probabilities(q);
        assertThat(q[0]).isCloseTo(0.2, within(1e-9));
        for (int k = 1; k < 10; k++) assertThat(q[k]).isCloseTo(0.8 / 9, within(1e-9));
    }

    /** Inside the bounds nothing moves; the walk's own shares pass unchanged. */
    @Test
    void probabilitiesInsideTheBoundsPassUnchanged() {
        TeacherContext ctx = context(10, 30, 60);
        double[] q = new double[3];
        new ShareBound(ShareBound.Params.DEFAULTS, ctx, fixed(0.15, 0.35, 0.5)).probabilities(q);
        assertThat(q).containsExactly(new double[]{0.15, 0.35, 0.5}, within(1e-12));
    }

    /** Seeded random policies and pools: the result sums to 1, respects every bound, and keeps the policy's order where it is free. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void boundsHoldOverRandomPoliciesAndPools(long seed) {
        Rng rng = new Rng(seed);
        for (int round = 0; round < 50; round++) {
            int g = 2 + rng.nextInt(9);
            int[] sizes = new int[g];
            int total = 0;
            for (int k = 0; k < g; k++) total += sizes[k] = 1 + rng.nextInt(50); // (an empty group has no index in a pool: it holds no task)
            if (total == 0) continue;
            double[] p = new double[g];
            double s = 0;
            for (int k = 0; k < g; k++) s += p[k] = sizes[k] == 0 ? 0 : Math.pow(rng.nextDouble(), 4);
            for (int k = 0; k < g; k++) p[k] = s == 0 ? 0 : p[k] / s;
            double min = rng.nextDouble(), max = 1 + 3 * rng.nextDouble();
            double[] q = new double[g];
            new ShareBound(new ShareBound.Params(min, max), context(sizes), fixed(p)).probabilities(q);
            double sum = 0;
            for (int k = 0; k < g; k++) {
                double share = (double) sizes[k] / total;
                sum += q[k];
                if (sizes[k] == 0) assertThat(q[k]).isZero();
                else assertThat(q[k]).as("seed %d round %d group %d", seed, round, k).isBetween(min * share - 1e-9, max * share + 1e-9);
            }
            if (s > 0) assertThat(sum).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void adaptivePoliciesAreBoundedByDefaultAndThePaperIsOneSettingAway() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) tasks.add(TaskSpec.of("a" + i, "A"));
        for (int i = 0; i < 50; i++) tasks.add(TaskSpec.of("b" + i, "B"));
        // SEC with a cold temperature: after A carries all the advantage, the paper's policy puts ~all of the batch on A.
        String base = "{\"recipe\":\"sec\",\"seed\":3,\"groupPolicy\":{\"tau\":0.01,\"progressGate\":false";
        Curriculum bounded = Curriculum.create(CurriculumConfig.fromJson(base + "}}"), tasks);
        Curriculum paper = Curriculum.create(CurriculumConfig.fromJson(base + ",\"shareBound\":false}}"), tasks);
        for (Curriculum c : List.of(bounded, paper)) {
            c.next(4);
            c.report(List.of(Outcome.of("a0", 1, 0, 1, 0), Outcome.of("b0", 1, 1, 1, 1)));
        }
        // bounded: B keeps its floor ¼·½ = ⅛, so A gets ⅞ (its cap 2·½ = 1 does not bind)
        assertThat(bounded.stats().group("A").probability()).isCloseTo(0.875, within(1e-9));
        assertThat(paper.stats().group("A").probability()).isCloseTo(1.0, within(1e-9));
        Curriculum tight = Curriculum.create(CurriculumConfig.fromJson(base + ",\"shareBound\":{\"min\":0.5,\"max\":1.5}}}"), tasks);
        tight.next(4);
        tight.report(List.of(Outcome.of("a0", 1, 0, 1, 0), Outcome.of("b0", 1, 1, 1, 1)));
        assertThat(tight.stats().group("A").probability()).isCloseTo(0.75, within(1e-9));
        assertThat(tight.stats().group("B").probability()).isCloseTo(0.25, within(1e-9));
        // A fixed mixture is the user's choice: not bounded unless asked.
        Curriculum mixture = Curriculum.create(CurriculumConfig.fromJson(
                "{\"seed\":1,\"groupPolicy\":{\"type\":\"mixture\",\"weights\":{\"A\":0.9,\"B\":0.1}}}"), tasks);
        assertThat(mixture.stats().group("A").probability()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void badBoundsNameTheirField() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":1,\"groupPolicy\":{\"shareBound\":{\"max\":0.5}}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("groupPolicy.shareBound.max");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":1,\"groupPolicy\":{\"shareBound\":{\"mn\":0.5}}}"))
                .hasMessageContaining("groupPolicy.shareBound.mn");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":1,\"groupPolicy\":{\"shareBound\":3}}"))
                .hasMessageContaining("groupPolicy.shareBound");
    }
}
