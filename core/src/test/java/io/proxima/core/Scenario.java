package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.TaskSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded driver for property tests: builds a random pool and plays a random but reproducible
 * stream of calls against a curriculum — next(n) of random sizes, reports from a simulated learner
 * (true pass rate per task; binary or real rewards; sometimes fewer rollouts than asked, sometimes
 * outcomes for tasks it was not given), additions of tasks (to old and new groups) mid-run.
 *
 * <p>The driver's randomness is its own (seeded apart from the curriculum's), and {@link #copy()}
 * clones its whole state, so a test can replay the same calls against a restored curriculum.
 */
public final class Scenario {
    /** The configurations every suite runs: each recipe and a few combinations. */
    public static final Map<String, String> CONFIGS = configs();

    private static Map<String, String> configs() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String r : List.of("uniform", "random", "odf", "dapo", "sec", "dump", "pcl")) m.put(r, "{\"recipe\":\"" + r + "\"}");
        m.put("sec+odf", "{\"recipe\":\"sec\",\"itemPolicy\":{\"type\":\"odf\"}}");
        m.put("dump+pcl", "{\"recipe\":\"dump\",\"featureDim\":2,\"itemPolicy\":{\"type\":\"pcl\"}}");
        m.put("sec+dapo", "{\"recipe\":\"sec\",\"filter\":{\"type\":\"dapo\"},\"groupPolicy\":{\"tau\":0.4}}");
        m.put("pcl+odf-filter", "{\"recipe\":\"pcl\",\"rollouts\":4,\"advantage\":\"mean\",\"filter\":{\"type\":\"odf\"}}");
        m.put("dump+random+forgetting", "{\"recipe\":\"dump\",\"itemPolicy\":{\"type\":\"random\"},\"passRate\":{\"forgetting\":0.7}}");
        return m;
    }

    public static CurriculumConfig config(String name, long seed) {
        String json = CONFIGS.get(name);
        if (json == null) throw new IllegalArgumentException("no config " + name);
        return CurriculumConfig.fromJson(json.substring(0, json.length() - 1) + ",\"seed\":" + seed + "}");
    }

    private final Rng rng;
    private final int featureDim;
    private final List<String> ids;
    private final Map<String, Double> truth;
    private int nextId;
    private int nextGroup;
    private final boolean additions;

    /** {@code additions}: whether {@link #step} may add tasks mid-run. */
    public Scenario(long seed, int featureDim, boolean additions) {
        this.rng = new Rng(seed * 0x9E3779B97F4A7C15L + 17);
        this.featureDim = featureDim;
        this.ids = new ArrayList<>();
        this.truth = new HashMap<>();
        this.additions = additions;
    }

    private Scenario(Scenario o) {
        rng = new Rng(0);
        rng.setState(o.rng.state());
        featureDim = o.featureDim;
        ids = new ArrayList<>(o.ids);
        truth = new HashMap<>(o.truth);
        nextId = o.nextId;
        nextGroup = o.nextGroup;
        additions = o.additions;
    }

    public Scenario copy() {
        return new Scenario(this);
    }

    public List<String> ids() {
        return ids;
    }

    public Set<String> idSet() {
        return new LinkedHashSet<>(ids);
    }

    /** A random initial pool: 1..8 groups of 1..60 tasks (at least {@code min} tasks in all). */
    public List<TaskSpec> initialPool(int min) {
        List<TaskSpec> specs = new ArrayList<>();
        int groups = 1 + rng.nextInt(8);
        for (int g = 0; g < groups; g++) specs.addAll(newTasks("g" + nextGroup++, 1 + rng.nextInt(rng.nextInt(4) == 0 ? 5 : 60)));
        while (specs.size() < min) specs.addAll(newTasks("g" + rng.nextInt(nextGroup), min - specs.size()));
        return specs;
    }

    /** A pool of exactly the given group sizes. */
    public List<TaskSpec> pool(int... sizes) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int size : sizes) specs.addAll(newTasks("g" + nextGroup++, size));
        return specs;
    }

    private List<TaskSpec> newTasks(String group, int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = group + "/t" + nextId++;
            double prior = rng.nextInt(3) == 0 ? rng.nextDouble() : Double.NaN;
            TaskSpec s = TaskSpec.of(id, group, prior);
            if (featureDim > 0 && rng.nextInt(4) != 0) {
                float[] f = new float[featureDim];
                for (int k = 0; k < featureDim; k++) f[k] = (float) rng.nextGaussian();
                s = s.withFeatures(f);
            }
            // true pass rate: many hopeless or saturated tasks, as on real pools
            int kind = rng.nextInt(4);
            truth.put(id, kind == 0 ? 0.0 : kind == 1 ? 1.0 : rng.nextDouble());
            ids.add(id);
            specs.add(s);
        }
        return specs;
    }

    /** Creates the curriculum over a random initial pool. */
    public Curriculum create(CurriculumConfig config, int minTasks) {
        return Curriculum.create(config, initialPool(minTasks));
    }

    /** The learner's report on the given tasks. */
    public List<Outcome> outcomes(List<SelectedTask> tasks) {
        List<Outcome> out = new ArrayList<>();
        for (SelectedTask t : tasks) {
            int g = t.rollouts();
            if (rng.nextInt(8) == 0) g = 1 + rng.nextInt(g + 2); // the trainer ran fewer/more rollouts
            double p = truth.get(t.taskId());
            double[] r = new double[g];
            boolean real = rng.nextInt(6) == 0;
            for (int i = 0; i < g; i++) r[i] = real ? Math.min(1, Math.max(0, p + 0.3 * rng.nextGaussian())) : rng.nextDouble() < p ? 1 : 0;
            int[] len = Outcome.NO_LENGTHS;
            if (rng.nextInt(3) == 0) {
                len = new int[g];
                for (int i = 0; i < g; i++) len[i] = rng.nextInt(4096);
            }
            out.add(new Outcome(t.taskId(), r, len, rng.nextInt(2) == 0 ? -1 : rng.nextInt(1000), Map.of()));
        }
        return out;
    }

    /**
     * One round: maybe add tasks, next(n) (checked), report on a random non-empty part of the batch
     * (sometimes plus a task not in it). Returns the selection.
     */
    public Selection step(Curriculum c, String context) {
        if (additions && rng.nextInt(12) == 0) {
            List<TaskSpec> more = newTasks(rng.nextInt(3) == 0 ? "g" + nextGroup++ : "g" + rng.nextInt(nextGroup), 1 + rng.nextInt(10));
            c.addTasks(more);
        }
        int size = c.size();
        int n = rng.nextInt(10) == 0 ? size : 1 + rng.nextInt(Math.min(size, 32));
        Selection sel = c.next(n);
        Invariants.checkSelection(sel, n, idSet(), context);
        if (n == size) assertThat(new java.util.HashSet<>(sel.taskIds())).as(context + ": next(size) is the whole pool").isEqualTo(idSet());
        List<SelectedTask> reported = new ArrayList<>();
        for (SelectedTask t : sel.tasks()) if (rng.nextInt(5) != 0) reported.add(t);
        if (reported.isEmpty()) reported.add(sel.tasks().get(0));
        if (rng.nextInt(10) == 0) reported.add(new SelectedTask(ids.get(rng.nextInt(ids.size())), 8, Map.of()));
        List<Outcome> out = outcomes(reported);
        ReportResult r = c.report(out);
        assertThat(r.accepted()).as(context).isEqualTo(out.size());
        assertThat(r.kept() + r.dropped()).as(context).isEqualTo(out.size());
        assertThat(r.verdicts()).as(context).hasSize(out.size());
        for (int i = 0; i < out.size(); i++) {
            if (!r.verdicts().get(i).taskId().equals(out.get(i).taskId())) throw new AssertionError(context + ": verdict " + i + " out of order");
            if (r.filterBypassed() && !r.verdicts().get(i).keep()) throw new AssertionError(context + ": a bypassed filter dropped " + i);
        }
        return sel;
    }
}
