package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract every configuration keeps: group shares, all-or-nothing rejection, additions. */
class CurriculumContractTest {
    private static final List<String> UNIFORM_GROUPS = List.of("uniform", "random", "odf", "dapo", "pcl", "pcl+odf-filter");
    private static final List<String> BANDITS = List.of("sec", "dump", "sec+odf", "dump+pcl", "sec+dapo", "dump+random+forgetting");

    static Stream<Arguments> all() {
        List<Arguments> a = new ArrayList<>();
        for (String name : Scenario.CONFIGS.keySet()) for (long seed = 1; seed <= 3; seed++) a.add(Arguments.of(name, seed));
        return a.stream();
    }

    static Stream<Arguments> uniformGroups() {
        return UNIFORM_GROUPS.stream().flatMap(n -> Stream.of(Arguments.of(n, 1L), Arguments.of(n, 2L), Arguments.of(n, 3L)));
    }

    static Stream<Arguments> bandits() {
        return BANDITS.stream().flatMap(n -> Stream.of(Arguments.of(n, 1L), Arguments.of(n, 2L), Arguments.of(n, 3L)));
    }

    private static int featureDim(String name) {
        return Scenario.config(name, 0).featureDim();
    }

    private static String groupOf(String id) {
        return id.substring(0, id.indexOf('/'));
    }

    private static long[] selectionsByGroup(Curriculum c) {
        return c.stats().groups().stream().mapToLong(CurriculumStats.Group::selections).toArray();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("uniformGroups")
    void uniformGroupPolicySharesAreProportionalToGroupSizes(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), false);
        int[] sizes = {10, 15, 25, 40, 60, 12};
        Curriculum c = Curriculum.create(Scenario.config(name, seed), sc.pool(sizes));
        int batches = 500, n = 6; // n < every group: no cap, slots are i.i.d. multinomial draws
        for (int b = 0; b < batches; b++) {
            Selection s = c.next(n);
            c.report(sc.outcomes(s.tasks()));
        }
        long[] got = selectionsByGroup(c);
        double chi2 = 0;
        for (int g = 0; g < sizes.length; g++) {
            double e = (double) batches * n * sizes[g] / c.size();
            chi2 += (got[g] - e) * (got[g] - e) / e;
        }
        double critical = new ChiSquaredDistribution(sizes.length - 1).inverseCumulativeProbability(1 - 1e-4);
        assertThat(chi2).as("%s seed %d: counts %s for sizes %s", name, seed, Arrays.toString(got), Arrays.toString(sizes))
                .isLessThan(critical);
        for (CurriculumStats.Group g : c.stats().groups()) {
            assertThat(g.probability()).as("%s seed %d", name, seed).isEqualTo((double) g.size() / c.size());
        }
        Invariants.check(c, sc.ids(), name + " seed " + seed);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("bandits")
    void aFixedBanditStateIsFollowedInTheLongRun(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), false);
        Curriculum c = Curriculum.create(Scenario.config(name, seed), sc.pool(20, 30, 12, 50, 25));
        // learn for a while, then freeze (no more reports): the policy must stay put and be followed
        for (int step = 0; step < 25; step++) sc.step(c, name + " seed " + seed + " warm-up");
        double[] p = c.stats().groups().stream().mapToDouble(CurriculumStats.Group::probability).toArray();
        long[] before = selectionsByGroup(c);
        int batches = 600, n = 6;
        for (int b = 0; b < batches; b++) c.next(n);
        double[] after = c.stats().groups().stream().mapToDouble(CurriculumStats.Group::probability).toArray();
        assertThat(after).as("%s seed %d: probabilities without reports", name, seed).containsExactly(p);
        long[] got = selectionsByGroup(c);
        double slots = (double) batches * n;
        for (int g = 0; g < p.length; g++) {
            double share = (got[g] - before[g]) / slots;
            double tol = 4.5 * Math.sqrt(p[g] * (1 - p[g]) / slots) + 0.002;
            assertThat(share).as("%s seed %d group %d: share vs probability %s", name, seed, g, Arrays.toString(p))
                    .isCloseTo(p[g], org.assertj.core.api.Assertions.within(tol));
        }
        Invariants.check(c, sc.ids(), name + " seed " + seed);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("all")
    void rejectedCallsLeaveTheStateByteIdentical(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), true);
        Curriculum c = sc.create(Scenario.config(name, seed), 5);
        String ctx = name + " seed " + seed;
        for (int step = 0; step < 10; step++) sc.step(c, ctx);
        byte[] before = c.snapshot();
        long events = c.events();
        String known = sc.ids().get(0);
        Outcome ok = Outcome.of(known, 1, 0, 1);

        Map<String, ThrowingCallable> bad = new java.util.LinkedHashMap<>();
        bad.put("outcomes[1].taskId 'nope'", () -> c.report(List.of(ok, Outcome.of("nope", 1, 0))));
        bad.put("outcomes[1].taskId is missing", () -> c.report(List.of(ok, Outcome.of(null, 1, 0))));
        bad.put("outcomes[1].rewards[1] must be finite", () -> c.report(List.of(ok, Outcome.of(known, 1, Double.NaN))));
        bad.put("outcomes[0].rewards[0] must be finite", () -> c.report(List.of(Outcome.of(known, Double.POSITIVE_INFINITY))));
        bad.put("outcomes[1].rewards must hold at least one", () -> c.report(List.of(ok, Outcome.of(known))));
        bad.put("outcomes[0].rewards must hold at least one", () -> c.report(List.of(new Outcome(known, null, null, -1, null))));
        bad.put("outcomes[1].tokenLengths has 2 values for 3 rewards",
                () -> c.report(List.of(ok, new Outcome(known, new double[] {1, 0, 1}, new int[] {5, 6}, -1, null))));
        bad.put("outcomes[0].tokenLengths[1] must be >= 0",
                () -> c.report(List.of(new Outcome(known, new double[] {1, 0}, new int[] {5, -6}, -1, null))));
        bad.put("outcomes[1].step must be >= 0", () -> c.report(List.of(ok, ok.atStep(-2))));
        bad.put("outcomes[1] is null", () -> c.report(Arrays.asList(ok, null)));
        bad.put("outcomes must not be null", () -> c.report(null));
        bad.put("outcomes must hold at least one outcome", () -> c.report(List.of()));
        bad.put("more than " + CurriculumConfig.MAX_ROLLOUTS, () -> c.report(List.of(ok, Outcome.of(known, new double[CurriculumConfig.MAX_ROLLOUTS + 1]))));
        bad.put("n must be >= 1, got 0", () -> c.next(0));
        bad.put("n must be >= 1, got -1", () -> c.next(-1));
        bad.put("n must be >= 1, got " + Integer.MIN_VALUE, () -> c.next(Integer.MIN_VALUE));
        bad.put("exceeds the " + c.size() + " tasks", () -> c.next(c.size() + 1));
        bad.put("n=" + Integer.MAX_VALUE + " exceeds", () -> c.next(Integer.MAX_VALUE));
        TaskSpec fresh = TaskSpec.of("fresh-task", "g0");
        bad.put("tasks[1] (id '" + known + "'): id is already in the pool", () -> c.addTasks(List.of(fresh, TaskSpec.of(known, "g0"))));
        bad.put("tasks[2] (id 'x'): id repeats tasks[1]", () -> c.addTasks(List.of(fresh, TaskSpec.of("x"), TaskSpec.of("x"))));
        bad.put("tasks[1].id must be a non-empty string", () -> c.addTasks(List.of(fresh, TaskSpec.of(""))));
        bad.put("tasks[0].id must be a non-empty string", () -> c.addTasks(List.of(TaskSpec.of(null))));
        bad.put("tasks[1] is null", () -> c.addTasks(Arrays.asList(fresh, null)));
        bad.put("tasks must not be null", () -> c.addTasks(null));
        bad.put("tasks[1] (id 'y').priorDifficulty must be in [0, 1], got 1.5", () -> c.addTasks(List.of(fresh, TaskSpec.of("y", "g", 1.5))));
        bad.put("priorDifficulty must be in [0, 1], got -0.1", () -> c.addTasks(List.of(TaskSpec.of("y", "g", -0.1))));
        bad.put(".features has 3 values but the pool's featureDim is " + c.config().featureDim(),
                () -> c.addTasks(List.of(fresh, TaskSpec.of("y").withFeatures(1, 2, 3))));
        if (c.config().featureDim() > 0) {
            bad.put("tasks[0] (id 'y').features[1] must be finite",
                    () -> c.addTasks(List.of(TaskSpec.of("y").withFeatures(0, Float.NaN))));
        }
        bad.forEach((message, call) -> {
            assertThatThrownBy(call).as("%s: %s", ctx, message).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
            assertThat(c.snapshot()).as("%s: state after rejected call '%s'", ctx, message).isEqualTo(before);
            assertThat(c.events()).as(ctx).isEqualTo(events);
        });
        // and the future is the one the curriculum would have had without the rejected calls
        Curriculum twin = Curriculum.restore(before);
        Scenario replay = sc.copy();
        for (int step = 0; step < 10; step++) {
            assertThat(sc.step(c, ctx)).as("%s step %d", ctx, step).isEqualTo(replay.step(twin, ctx + " twin"));
        }
        assertThat(c.snapshot()).as(ctx).isEqualTo(twin.snapshot());
        Invariants.check(c, sc.ids(), ctx);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("all")
    void tasksAddedMidRunAreSelectable(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), false);
        Curriculum c = Curriculum.create(Scenario.config(name, seed), sc.pool(40, 30, 20));
        String ctx = name + " seed " + seed;
        for (int step = 0; step < 15; step++) sc.step(c, ctx);
        List<String> ids = new ArrayList<>(sc.ids());
        List<TaskSpec> old = new ArrayList<>(), neu = new ArrayList<>();
        for (int i = 0; i < 6; i++) old.add(TaskSpec.of("g1/late" + i, "g1"));
        for (int i = 0; i < 4; i++) neu.add(TaskSpec.of("late/t" + i, "late"));
        c.addTasks(old);
        c.addTasks(neu);
        CurriculumStats.Group late = c.stats().group("late");
        assertThat(late.size()).isEqualTo(4);
        assertThat(late.probability()).as(ctx).isPositive();
        assertThat(c.stats().group("g1").size()).isEqualTo(36);
        Map<String, Integer> seen = new HashMap<>();
        for (int b = 0; b < 300; b++) {
            for (String id : c.next(5).taskIds()) seen.merge(id, 1, Integer::sum);
        }
        assertThat(seen.keySet()).as(ctx + ": a late task of an old group was selected")
                .containsAnyElementsOf(old.stream().map(TaskSpec::id).toList());
        assertThat(seen.keySet()).as(ctx + ": a task of the new group was selected")
                .containsAnyElementsOf(neu.stream().map(TaskSpec::id).toList());
        // report on them, then the whole pool is one batch away
        List<Outcome> out = new ArrayList<>();
        for (TaskSpec t : old) out.add(Outcome.binary(t.id(), 4, 8));
        for (TaskSpec t : neu) out.add(Outcome.binary(t.id(), 2, 8));
        c.report(out);
        ids.addAll(old.stream().map(TaskSpec::id).toList());
        ids.addAll(neu.stream().map(TaskSpec::id).toList());
        assertThat(c.next(c.size()).taskIds()).as(ctx).containsExactlyInAnyOrderElementsOf(ids);
        Invariants.check(c, ids, ctx);
    }
}
