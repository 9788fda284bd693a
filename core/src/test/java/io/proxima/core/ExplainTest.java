package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Curriculum#explain}: reading only — a curriculum that explains every batch draws the
 * same selections and ends in the same state (snapshot bytes) as its twin that never does, for
 * every recipe and piece — and its numbers equal hand-computed ones.
 */
class ExplainTest {
    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (Map.Entry<String, String> e : NewGroupSnapshotTest.configs().entrySet()) {
            for (long seed : new long[] {1, 2, 3}) a.add(Arguments.of(e.getKey(), e.getValue(), seed));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("cases")
    void explainingChangesNeitherSelectionNorState(String name, String json, long seed) {
        CurriculumConfig cfg = CurriculumConfig.fromJson(json.substring(0, json.length() - 1) + (json.length() > 2 ? "," : "") + "\"seed\":" + seed + "}");
        Rng driver = new Rng(seed * 31 + 7);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) tasks.add(TaskSpec.of("t" + i, "g" + (i % 5), i % 3 == 0 ? (i % 10) / 10.0 : Double.NaN));
        Curriculum plain = Curriculum.create(cfg, tasks);
        Curriculum explained = Curriculum.create(cfg, tasks);
        int added = 0;
        for (int step = 0; step < 40; step++) {
            String at = name + " seed " + seed + " step " + step;
            if (step % 13 == 12) {
                List<TaskSpec> more = new ArrayList<>();
                for (int k = 0; k < 4; k++) more.add(TaskSpec.of("new" + added++, "late" + step));
                plain.addTasks(more);
                explained.addTasks(more);
            }
            int n = 1 + driver.nextInt(Math.min(plain.size(), 24));
            Selection a = plain.next(n);
            Selection b = explained.next(n);
            List<TaskExplanation> why = explained.explain(b);
            assertThat(b).as(at).isEqualTo(a);
            assertThat(explained.snapshot()).as(at + ": state after explaining").isEqualTo(plain.snapshot());
            assertThat(why).as(at).hasSize(n);
            for (int i = 0; i < n; i++) {
                TaskExplanation e = why.get(i);
                SelectedTask t = b.tasks().get(i);
                assertThat(e.taskId()).as(at).isEqualTo(t.taskId());
                assertThat(e.rollouts()).as(at).isEqualTo(t.rollouts());
                assertThat(e.group()).as(at).isEqualTo(explained.group(t.taskId()));
                assertThat(e.passRate().mean()).as(at).isEqualTo(explained.passRate(t.taskId()));
                assertThat(e.passRate().mean()).as(at).isCloseTo(e.passRate().alpha() / (e.passRate().alpha() + e.passRate().beta()), within(1e-12));
                assertThat(e.pieces().groupProbability()).as(at + ": a drawn group had a positive probability (or was a fill)").isBetween(0.0, 1.0);
                assertThat(e.pieces().itemPolicy()).as(at).isNotBlank();
                assertThat(e.pieces().allocator()).as(at).isNotBlank();
                assertThat(e.pieces().filter()).as(at).isNotBlank();
                String key = switch (e.pieces().itemPolicy()) {
                    case "odf" -> "bandDistance";
                    case "pcl" -> "predicted";
                    case "plr", "robust-plr" -> "score";
                    case "pacing" -> "competence";
                    case "spl" -> "age";
                    case "greso" -> "keepProbability";
                    default -> null;
                };
                if (key != null) assertThat(e.pieces().item()).as(at).containsKey(key);
                else assertThat(e.pieces().item()).as(at).isEmpty();
                if (name.equals("meta")) assertThat(e.pieces().memberProbability()).as(at).isBetween(0.0, 1.0);
                else assertThat(e.pieces().memberProbability()).as(at).isNaN();
            }
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : a.tasks()) {
                if (driver.nextInt(5) == 0) continue;
                double[] r = new double[t.rollouts()];
                for (int k = 0; k < r.length; k++) r[k] = driver.nextInt(3) == 0 ? 1 : 0;
                out.add(new Outcome(t.taskId(), r, Outcome.NO_LENGTHS, step, Map.of(), driver.nextDouble() * 3));
            }
            if (out.isEmpty()) continue;
            plain.report(out);
            explained.report(out);
        }
        Invariants.check(explained);
        assertThat(explained.snapshot()).isEqualTo(plain.snapshot());
        // restored and replayed onward, the explaining curriculum still draws what the plain one does
        Curriculum restored = Curriculum.restore(explained.snapshot());
        Selection r = restored.next(5);
        restored.explain(r);
        assertThat(r).isEqualTo(plain.next(5));
        assertThat(restored.snapshot()).isEqualTo(plain.snapshot());
    }

    @Test
    void numbersAreTheHandComputedOnes() {
        // a, b: prior difficulty 0.5 → m = 0.5, Beta(1 + 2·0.5, 1 + 2·0.5) = Beta(2, 2); c: difficulty 0.25 → m = 0.75, Beta(2.5, 1.5)
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"uniform\",\"rollouts\":4,\"seed\":5}"),
                List.of(TaskSpec.of("a", "x", 0.5), TaskSpec.of("b", "x", 0.5), TaskSpec.of("c", "y", 0.25)));
        c.next(3);
        c.report(List.of(Outcome.binary("a", 3, 4), Outcome.binary("c", 1, 4)));
        Selection s = c.next(3);
        Map<String, TaskExplanation> by = new java.util.HashMap<>();
        for (TaskExplanation e : c.explain(s)) by.put(e.taskId(), e);
        // a: Beta(2 + 3, 2 + 1) = Beta(5, 3), mean 5/8
        assertThat(by.get("a").passRate()).isEqualTo(new TaskExplanation.PassRate(0.625, 5, 3, 1));
        // b: never reported, the prior Beta(2, 2)
        assertThat(by.get("b").passRate()).isEqualTo(new TaskExplanation.PassRate(0.5, 2, 2, 0));
        // c: Beta(2.5 + 1, 1.5 + 3) = Beta(3.5, 4.5), mean 3.5/8
        assertThat(by.get("c").passRate()).isEqualTo(new TaskExplanation.PassRate(0.4375, 3.5, 4.5, 1));
        // uniform groups: p = group size / pool size (2/3, 1/3); not share-bounded by default
        assertThat(by.get("a").pieces().groupProbability()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(by.get("c").pieces().groupProbability()).isCloseTo(1.0 / 3, within(1e-9));
        CurriculumStats stats = c.stats();
        assertThat(by.get("c").pieces().groupProbability()).isCloseTo(stats.groups().get(1).probability(), within(1e-12));
        assertThat(by.get("a").pieces()).isEqualTo(new TaskExplanation.Pieces("uniform", Double.NaN, "uniform", false, by.get("a").pieces().groupProbability(),
                Double.NaN, "walk", Map.of(), "none", "uniform", Map.of()));
        assertThat(by.get("a").rollouts()).isEqualTo(4);
        assertThat(by.get("a").group()).isEqualTo("x");
    }

    @Test
    void odfExplainsItsBandDistance() {
        // d: difficulty 0 → m = 1, Beta(3, 1); after 4 of 4, Beta(7, 1): mean 0.875, 0.075 above the band [0.2, 0.8]
        // e: difficulty 0.5 → Beta(2, 2); after 2 of 4, Beta(4, 4): mean 0.5, inside the band
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"odf\",\"rollouts\":4,\"seed\":9}"),
                List.of(TaskSpec.of("d", "x", 0.0), TaskSpec.of("e", "x", 0.5)));
        c.next(2);
        c.report(List.of(Outcome.binary("d", 4, 4), Outcome.binary("e", 2, 4)));
        Selection s = c.next(2);
        for (TaskExplanation e : c.explain(s)) {
            Map<String, Double> item = e.pieces().item();
            assertThat(e.pieces().itemPolicy()).isEqualTo("odf");
            assertThat(e.pieces().filter()).isEqualTo("dapo");
            assertThat(item.get("low")).isEqualTo(0.2);
            assertThat(item.get("high")).isEqualTo(0.8);
            assertThat(item.get("bandDistance")).isCloseTo(e.taskId().equals("d") ? 0.075 : 0.0, within(1e-12));
        }
    }

    @Test
    void metaTeacherNamesTheMemberThatProposed() {
        // two members, Q = 0 for both: P = (1 − ε)·1/2 + ε/2 = 1/2. Member 0 weights live 1, dead 0; the share
        // bound lifts dead to its floor 0.25 × share 0.5 = 0.125 and live takes 0.875 (member 1: the reverse)
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) tasks.add(TaskSpec.of("live" + i, "live"));
        for (int i = 0; i < 200; i++) tasks.add(TaskSpec.of("dead" + i, "dead"));
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("""
                {"recipe": "meta", "seed": 3,
                 "members": [
                   {"recipe": "uniform", "groupPolicy": {"type": "mixture", "weights": {"live": 1}, "shareBound": true}},
                   {"recipe": "uniform", "groupPolicy": {"type": "mixture", "weights": {"dead": 1}, "shareBound": true}}
                 ]}"""), tasks);
        Selection s = c.next(8);
        List<TaskExplanation> why = c.explain(s);
        boolean byFirst = c.stats().teacher().get("meta.0.uniform.batches") == 1.0;
        for (TaskExplanation e : why) {
            assertThat(e.pieces().pipeline()).isEqualTo("uniform");
            assertThat(e.pieces().groupPolicy()).isEqualTo("mixture");
            assertThat(e.pieces().shareBound()).isTrue();
            assertThat(e.pieces().memberProbability()).isCloseTo(0.5, within(1e-12));
            boolean favoured = e.group().equals(byFirst ? "live" : "dead");
            assertThat(e.pieces().groupProbability()).as(e.taskId()).isCloseTo(favoured ? 0.875 : 0.125, within(1e-9));
        }
    }

    @Test
    void onlyTheLatestSelectionCanBeExplained() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"sec\",\"seed\":1}"),
                List.of(TaskSpec.of("a", "x"), TaskSpec.of("b", "y"), TaskSpec.of("c", "y")));
        assertThatThrownBy(() -> c.explain(new Selection(0, List.of()))).isInstanceOf(IllegalStateException.class);
        Selection first = c.next(1);
        Selection second = c.next(1);
        assertThatThrownBy(() -> c.explain(first)).isInstanceOf(IllegalStateException.class).hasMessageContaining("batch 0");
        assertThat(c.explain(second)).hasSize(1);
        c.report(List.of(Outcome.binary(second.taskIds().get(0), 1, 8)));
        assertThatThrownBy(() -> c.explain(second)).isInstanceOf(IllegalStateException.class);
        byte[] before = c.snapshot();
        assertThatThrownBy(() -> c.explain(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.snapshot()).isEqualTo(before);
    }
    /** A 3-task pool reported at pass rates 0.5 (2 of 4), 0.125 (1 of 8) and 1 (4 of 4), then drawn whole. */
    private static Map<String, TaskExplanation> explainedAfterReports(String allocator) {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"uniform\",\"rollouts\":4,\"seed\":1,\"allocator\":" + allocator + "}"),
                List.of(TaskSpec.of("a", "x"), TaskSpec.of("b", "x"), TaskSpec.of("c", "x")));
        c.next(3);
        c.report(List.of(Outcome.binary("a", 2, 4), Outcome.binary("b", 1, 8), Outcome.binary("c", 4, 4)));
        Selection s = c.next(3);
        Map<String, TaskExplanation> by = new java.util.HashMap<>();
        for (TaskExplanation e : c.explain(s)) by.put(e.taskId(), e);
        return by;
    }

    @Test
    void knapsackExplainsTheRolloutsItGaveWorkedByHand() {
        // the spec's example: p = [0.5, 0.125, 1.0], n = 4, min_n = 2, max_n = 8 → [5, 5, 2]
        Map<String, TaskExplanation> by = explainedAfterReports("{\"type\":\"knapsack\",\"max\":8}");
        assertThat(by.get("a").rollouts()).isEqualTo(5);
        assertThat(by.get("b").rollouts()).isEqualTo(5);
        assertThat(by.get("c").rollouts()).isEqualTo(2);
        Map<String, Double> a = by.get("a").pieces().allocation();
        assertThat(by.get("a").pieces().allocator()).isEqualTo("knapsack");
        assertThat(a.get("p")).isEqualTo(0.5);
        // cost = ln(1 − 0.9) / ln(0.5) = 3.3219…; value(5, 0.5) = (1 − 2/32)·0.5·0.25 = 0.1171875
        assertThat(a.get("cost")).isCloseTo(Math.log(0.1) / Math.log(0.5), within(1e-12));
        assertThat(a.get("value")).isCloseTo(0.1171875, within(1e-15));
        Map<String, Double> b = by.get("b").pieces().allocation();
        assertThat(b.get("p")).isEqualTo(0.125);
        assertThat(b.get("value")).isCloseTo((1 - Math.pow(0.125, 5) - Math.pow(0.875, 5)) * 0.125 * 0.875 * 0.875, within(1e-15));
        Map<String, Double> c = by.get("c").pieces().allocation();
        assertThat(c.get("p")).isEqualTo(1.0);
        assertThat(c.get("cost")).as("always solved: not eligible, min_n").isNaN();
        assertThat(c.get("value")).isNaN();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gvm", "cures"})
    void shareAllocatorsExplainTheirWeightsAndTheRolloutsFollowThem(String type) {
        Map<String, TaskExplanation> by = explainedAfterReports("{\"type\":\"" + type + "\"}");
        String[] ids = {"a", "b", "c"};
        double[] p = {0.5, 0.125, 1.0};
        double[] w = new double[3];
        int[] expected = new int[3];
        for (int i = 0; i < 3; i++) {
            Map<String, Double> m = by.get(ids[i]).pieces().allocation();
            assertThat(m.get("p")).as(ids[i]).isEqualTo(p[i]);
            // GVM: w = 1 / sqrt(p + a / p) with a = 1e-3, b = 2; CurES: σ = sqrt(p (1 − p))
            w[i] = type.equals("gvm") ? 1 / Math.sqrt(p[i] + 1e-3 / p[i]) : Math.sqrt(p[i] * (1 - p[i]));
            assertThat(m.get("weight")).as(ids[i]).isCloseTo(w[i], within(1e-12));
        }
        // the budget 3 × 4 shared by the weights within [2, 16]
        io.proxima.core.compose.Allocations.roundToBudget(w, 3, 12, 2, 16, expected);
        for (int i = 0; i < 3; i++) assertThat(by.get(ids[i]).rollouts()).as(ids[i]).isEqualTo(expected[i]);
    }
}
