package io.proxima.core;

import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded invariant suites, one run per (configuration, seed): every recipe and a few
 * combinations, over random pools and random outcome streams. Every test ends with
 * {@link Invariants#check}.
 */
class CurriculumPropertiesTest {
    static Stream<Arguments> cases() {
        return cases(8);
    }

    static Stream<Arguments> fewerCases() {
        return cases(6);
    }

    static Stream<Arguments> cases(int seeds) {
        List<Arguments> a = new ArrayList<>();
        for (String name : Scenario.CONFIGS.keySet()) for (long seed = 1; seed <= seeds; seed++) a.add(Arguments.of(name, seed));
        return a.stream();
    }

    private static int featureDim(String name) {
        return Scenario.config(name, 0).featureDim();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void randomStreamsKeepEveryInvariant(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), true);
        Curriculum c = sc.create(Scenario.config(name, seed), 1);
        String ctx = name + " seed " + seed;
        Invariants.check(c, sc.ids(), ctx + " (fresh)");
        for (int step = 0; step < 60; step++) {
            sc.step(c, ctx + " step " + step);
            if (step % 20 == 19) Invariants.check(c, sc.ids(), ctx + " step " + step);
        }
        Invariants.check(c, sc.ids(), ctx);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("fewerCases")
    void sameSeedSameSelectionsDifferentSeedDifferent(String name, long seed) {
        List<Selection> a = run(name, seed, seed);
        List<Selection> b = run(name, seed, seed);
        List<Selection> other = run(name, seed, seed + 1000);
        assertThat(b).as("%s seed %d: same seed, same selections", name, seed).isEqualTo(a);
        assertThat(other).as("%s seed %d: another curriculum seed, other selections", name, seed).isNotEqualTo(a);
    }

    /** Driver seed fixed, curriculum seed varied; pools of ≥ 30 tasks so that batches can differ. */
    private static List<Selection> run(String name, long driverSeed, long curriculumSeed) {
        Scenario sc = new Scenario(driverSeed, featureDim(name), true);
        Curriculum c = sc.create(Scenario.config(name, curriculumSeed), 30);
        List<Selection> out = new ArrayList<>();
        for (int step = 0; step < 25; step++) out.add(sc.step(c, name + " seed " + driverSeed + "/" + curriculumSeed + " step " + step));
        Invariants.check(c);
        return out;
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("fewerCases")
    void restorePlusReplayEqualsNeverStopped(String name, long seed) {
        Scenario sc = new Scenario(seed, featureDim(name), true);
        Curriculum c = sc.create(Scenario.config(name, seed), 10);
        String ctx = name + " seed " + seed;
        int before = 5 + (int) (seed % 17);
        for (int step = 0; step < before; step++) sc.step(c, ctx);
        byte[] snap = c.snapshot();
        Scenario replay = sc.copy();

        List<Selection> lived = new ArrayList<>();
        for (int step = 0; step < 30; step++) lived.add(sc.step(c, ctx + " lived " + step));

        Curriculum restored = Curriculum.restore(snap);
        assertThat(restored.snapshot()).as(ctx).isEqualTo(snap);
        List<Selection> replayed = new ArrayList<>();
        for (int step = 0; step < 30; step++) replayed.add(replay.step(restored, ctx + " replayed " + step));

        assertThat(replayed).as(ctx + ": selections after restore + replay").isEqualTo(lived);
        assertThat(restored.snapshot()).as(ctx + ": final state after restore + replay").isEqualTo(c.snapshot());
        assertThat(restored.stats()).as(ctx).isEqualTo(c.stats());
        Invariants.check(c, sc.ids(), ctx);
        Invariants.check(restored, replay.ids(), ctx + " restored");
    }
}
