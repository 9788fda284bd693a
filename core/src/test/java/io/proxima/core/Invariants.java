package io.proxima.core;

import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Deep validity check of a curriculum (style.md §3, after Caffeine's IsValidBoundedLocalCache):
 * recounts everything {@link Curriculum#stats()} says from its parts, and checks that a snapshot
 * restores to the same state. Call it at the end of every seeded test.
 */
public final class Invariants {
    private static final double TOL = 1e-9;

    private Invariants() {}

    public static void check(Curriculum c) {
        check(c, null, "");
    }

    /** Also checks every id of {@code taskIds} (the ids the test added) against the pool. */
    public static void check(Curriculum c, Collection<String> taskIds, String context) {
        CurriculumStats s = checkCounts(c, context);
        String at = context.isEmpty() ? "" : context + ": ";
        if (taskIds != null) {
            assertThat(taskIds).as(at + "ids known to the test").hasSize(c.size());
            for (String id : taskIds) {
                double p = c.passRate(id);
                if (!(p >= 0 && p <= 1)) throw new AssertionError(at + "pass rate of " + id + " = " + p);
            }
        }
        checkSnapshot(c, s, at);
    }

    /** The recount from {@link Curriculum#stats()} alone (cheap at any pool size). */
    public static CurriculumStats checkCounts(Curriculum c, String context) {
        CurriculumStats s = c.stats();
        String at = context.isEmpty() ? "" : context + ": ";
        assertThat(s.tasks()).as(at + "tasks").isEqualTo(c.size());
        assertThat(s.recipe()).as(at + "recipe").isEqualTo(c.config().recipe());

        long size = 0, selections = 0, reports = 0;
        double probability = 0, share = 0;
        Set<String> names = new HashSet<>();
        for (CurriculumStats.Group g : s.groups()) {
            String gat = at + "group '" + g.name() + "'";
            assertThat(names.add(g.name())).as(gat + " listed twice").isTrue();
            assertThat(g.size()).as(gat + " size").isPositive(); // groups exist only through their tasks
            size += g.size();
            assertThat(g.selections()).as(gat + " selections").isGreaterThanOrEqualTo(0);
            selections += g.selections();
            assertThat(g.reports()).as(gat + " reports").isGreaterThanOrEqualTo(0);
            reports += g.reports();
            assertThat(g.probability()).as(gat + " probability").isBetween(0.0, 1.0);
            probability += g.probability();
            if (s.selections() == 0) {
                assertThat(g.selectionShare()).as(gat + " share before any selection").isNaN();
            } else {
                assertThat(g.selectionShare()).as(gat + " share").isBetween(0.0, 1.0)
                        .isCloseTo((double) g.selections() / s.selections(), within(TOL));
                share += g.selectionShare();
            }
            if (g.reports() == 0) {
                assertThat(g.meanPassRate()).as(gat + " pass rate before reports").isNaN();
                assertThat(g.meanAbsAdvantage()).as(gat + " mean|A| before reports").isNaN();
                assertThat(g.effectiveRatio()).as(gat + " effective ratio before reports").isNaN();
            } else {
                assertThat(g.meanPassRate()).as(gat + " mean pass rate").isFinite();
                assertThat(g.meanAbsAdvantage()).as(gat + " mean|A|").isFinite().isGreaterThanOrEqualTo(0);
                assertThat(g.effectiveRatio()).as(gat + " effective ratio").isBetween(0.0, 1.0);
            }
            assertThat(g.score()).as(gat + " score").satisfiesAnyOf(x -> assertThat(x).isNaN(), x -> assertThat(x).isFinite());
            assertThat(g.epochs()).as(gat + " epochs").isGreaterThanOrEqualTo(0);
        }
        assertThat(size).as(at + "group sizes sum to the pool size").isEqualTo(c.size());
        assertThat(selections).as(at + "group selections sum to the total").isEqualTo(s.selections());
        assertThat(reports).as(at + "group reports sum to the total").isEqualTo(s.reports());
        if (!s.groups().isEmpty()) assertThat(probability).as(at + "probabilities sum to 1").isCloseTo(1.0, within(TOL));
        if (s.selections() > 0) assertThat(share).as(at + "selection shares sum to 1").isCloseTo(1.0, within(TOL));
        assertThat(s.rollouts()).as(at + "rollouts ≥ reports (each outcome has ≥ 1 rollout)").isGreaterThanOrEqualTo(s.reports());
        assertThat(s.batches()).as(at + "batches").isGreaterThanOrEqualTo(0);
        assertThat(s.selections()).as(at + "a batch holds ≥ 1 task").isGreaterThanOrEqualTo(s.batches());
        if (s.reports() == 0) {
            assertThat(s.effectiveRatio()).as(at + "effective ratio before reports").isNaN();
            assertThat(s.lastEffectiveRatio()).as(at + "last effective ratio before reports").isNaN();
        } else {
            assertThat(s.effectiveRatio()).as(at + "effective ratio").isBetween(0.0, 1.0);
            assertThat(s.lastEffectiveRatio()).as(at + "last effective ratio").isBetween(0.0, 1.0);
        }
        for (Map.Entry<String, Double> e : s.teacher().entrySet()) {
            assertThat(e.getValue()).as(at + "teacher." + e.getKey()).isNotNull()
                    .satisfiesAnyOf(x -> assertThat(x).isNaN(), x -> assertThat(x).isFinite());
        }
        Double kept = s.teacher().get("filter.keptShare");
        if (kept != null && !kept.isNaN()) assertThat(kept).as(at + "kept share").isBetween(0.0, 1.0);
        assertThat(c.events()).as(at + "events").isGreaterThanOrEqualTo(s.batches());
        return s;
    }

    /** A snapshot is a pure read and restores to the same state, stats included. */
    public static void checkSnapshot(Curriculum c, CurriculumStats s, String at) {
        // the snapshot is a pure read and restores to the same state, stats included
        byte[] snap = c.snapshot();
        assertThat(c.snapshot()).as(at + "snapshot twice").isEqualTo(snap);
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).as(at + "snapshot → restore → snapshot").isEqualTo(snap);
        assertThat(back.stats()).as(at + "stats after restore").isEqualTo(s);
        assertThat(back.events()).isEqualTo(c.events());
        assertThat(back.config().canonicalJson()).isEqualTo(c.config().canonicalJson());
    }

    /** A selection is valid: n distinct known tasks, each with ≥ 1 rollout. Plain loops: it runs per step. */
    public static void checkSelection(Selection sel, int n, Set<String> known, String context) {
        assertThat(sel.size()).as(context + ": batch size").isEqualTo(n);
        Set<String> ids = new HashSet<>();
        for (SelectedTask t : sel.tasks()) {
            if (!known.contains(t.taskId())) throw new AssertionError(context + ": selected id " + t.taskId() + " is not in the pool");
            if (!ids.add(t.taskId())) throw new AssertionError(context + ": duplicate id " + t.taskId() + " in " + sel.taskIds());
            if (t.rollouts() < 1) throw new AssertionError(context + ": rollouts of " + t.taskId() + " = " + t.rollouts());
            if (t.directives() == null) throw new AssertionError(context + ": null directives");
        }
    }
}
