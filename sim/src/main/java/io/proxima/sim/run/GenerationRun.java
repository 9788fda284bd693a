package io.proxima.sim.run;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.recipe.Recipes;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.TaskSpec;
import io.proxima.sim.learner.ScaffoldLearner;
import io.proxima.sim.learner.ScaffoldLearnerSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs core curricula on a {@link ScaffoldLearner} through the public API, as a trainer that
 * honours {@code generate} requests would (issue 16):
 *
 * <pre>
 *   per step:  want = batch
 *              up to maxRounds rounds while want > 0 and budget left:
 *                s = next(want); generate each task's rollouts (all count against the budget)
 *                report them; keep the groups the filter keeps
 *                for each request of s.generate: write the variant (learner.derive) and add it,
 *                  linked to its parent (addTasks with parent and kind)
 *              train on the kept groups
 * </pre>
 * Writing a variant costs no rollouts here (on a real trainer it is one LLM call per request,
 * reported beside the budget as the number of derived tasks). Each recipe runs twice: as
 * configured, and with {@code "generation": {}} (the defaults) added, named {@code recipe+gen} —
 * the same rollout budget, seeds and learner.
 */
public final class GenerationRun {
    /** Default recipes (each also run with generation). */
    public static final List<String> DEFAULT_TEACHERS = List.of("uniform", "odf");
    /** Suffix of a recipe run with generation. */
    public static final String WITH_GENERATION = "+gen";

    private GenerationRun() {}

    /** A teacher: a name and a curriculum configuration without seed. */
    public record Spec(String name, Map<String, Object> config) {
        public Spec {
            if (config.containsKey("seed")) throw new IllegalArgumentException("configuration '" + name + "': remove \"seed\", the lab sets it per run");
            config = new LinkedHashMap<>(config);
            CurriculumConfig.fromMap(withSeed(config, 0, 8), Recipes.standard()); // validate now, not in a worker
        }

        /** A recipe without generation and the same with the default generation. */
        public static List<Spec> pair(String recipe) {
            Recipes.standard().recipe(recipe); // fails with the list of known recipes
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("recipe", recipe);
            gen.put("generation", new LinkedHashMap<>());
            return List.of(new Spec(recipe, Map.of("recipe", recipe)), new Spec(recipe + WITH_GENERATION, gen));
        }

        static Map<String, Object> withSeed(Map<String, Object> config, long seed, int rollouts) {
            Map<String, Object> m = new LinkedHashMap<>(config);
            m.put("seed", seed);
            m.putIfAbsent("rollouts", rollouts);
            return m;
        }
    }

    /**
     * One run.
     *
     * @param accuracy held-out accuracy (all families) at each point
     * @param familyAccuracy held-out accuracy per family at each point: [family][point]
     * @param simplified derived tasks added on {@code simplify} requests
     * @param varied derived tasks added on {@code vary} requests
     * @param derivedShare share of the generated rollouts spent on derived tasks
     */
    public record Curve(String teacher, long seed, long[] x, double[] accuracy, double[][] familyAccuracy, long simplified, long varied,
                        double derivedShare, long generated) {
        public double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }

        public double finalFamily(int f) {
            return familyAccuracy[f][familyAccuracy[f].length - 1];
        }

        /** Mean held-out accuracy over the points (area under the curve per rollout). */
        public double auc() {
            double s = 0;
            for (double a : accuracy) s += a;
            return s / accuracy.length;
        }
    }

    public static Curve run(ScaffoldLearnerSpec spec, Spec teacher, LabOptions o, long seed) {
        ScaffoldLearner learner = spec.create(seed);
        List<String> ids = new ArrayList<>();
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < learner.size(); i++) {
            String fam = learner.familyName(learner.family(i));
            ids.add(fam + "/" + i);
            tasks.add(TaskSpec.of(ids.get(i), fam));
        }
        Curriculum c = Curriculum.create(CurriculumConfig.fromMap(Spec.withSeed(teacher.config(), seed, o.rollouts()), Recipes.standard()), tasks);
        int points = o.evalPoints() + 1;
        int nf = learner.families();
        long[] x = new long[points];
        double[] acc = new double[points];
        double[][] fam = new double[nf][points];
        acc[0] = learner.testScore();
        for (int f = 0; f < nf; f++) fam[f][0] = learner.testScore(f);
        int next = 1;
        long generated = 0, onDerived = 0, simplified = 0, varied = 0;
        List<double[]> keptRewards = new ArrayList<>();
        List<int[]> keptTask = new ArrayList<>();
        while (generated < o.budget()) {
            keptRewards.clear();
            keptTask.clear();
            for (int round = 0; round < o.maxRounds() && keptTask.size() < o.batch() && generated < o.budget(); round++) {
                Selection s = c.next(Math.min(o.batch() - keptTask.size(), c.size()));
                List<Outcome> out = new ArrayList<>(s.size());
                List<double[]> rewards = new ArrayList<>(s.size());
                List<Integer> picked = new ArrayList<>(s.size());
                for (SelectedTask t : s.tasks()) {
                    int g = t.rollouts();
                    if (g == 0) continue;
                    int task = index(t.taskId());
                    double[] r = new double[g];
                    learner.rollout(task, g, r);
                    generated += g;
                    if (learner.derived(task)) onDerived += g;
                    out.add(Outcome.of(t.taskId(), r));
                    rewards.add(r);
                    picked.add(task);
                }
                if (!out.isEmpty()) {
                    ReportResult res = c.report(out);
                    for (int i = 0; i < out.size() && keptTask.size() < o.batch(); i++) {
                        if (!res.verdicts().get(i).keep()) continue;
                        keptRewards.add(rewards.get(i));
                        keptTask.add(new int[] {picked.get(i)});
                    }
                }
                if (!s.generate().isEmpty()) {
                    List<TaskSpec> born = new ArrayList<>(s.generate().size());
                    for (GenerateRequest r : s.generate()) {
                        int child = learner.derive(index(r.from()), r.kind());
                        String id = learner.familyName(learner.family(child)) + "/" + child;
                        ids.add(id);
                        born.add(TaskSpec.derived(id, r.from(), r.kind()));
                        if (r.kind() == Derivation.SIMPLIFY) simplified++;
                        else varied++;
                    }
                    c.addTasks(born);
                }
            }
            for (int i = 0; i < keptTask.size(); i++) learner.train(keptTask.get(i)[0], keptRewards.get(i), keptRewards.get(i).length);
            while (next < points && generated >= o.x(next)) {
                x[next] = o.x(next);
                acc[next] = learner.testScore();
                for (int f = 0; f < nf; f++) fam[f][next] = learner.testScore(f);
                next++;
            }
        }
        return new Curve(teacher.name(), seed, x, acc, fam, simplified, varied, generated == 0 ? 0 : (double) onDerived / generated, generated);
    }

    static int index(String id) {
        return Integer.parseInt(id, id.lastIndexOf('/') + 1, id.length(), 10);
    }

    /** Every teacher × seed, in parallel; results in the order of {@code specs}, then seeds. */
    public static List<Curve> compare(ScaffoldLearnerSpec spec, List<Spec> specs, LabOptions o, PrintWriter progress) {
        List<String> names = specs.stream().map(Spec::name).toList();
        List<List<Curve>> runs = ParallelRuns.run(names, o, (k, seed) -> run(spec, specs.get(k), o, seed), "held-out accuracy",
                Curve::finalAccuracy, progress);
        List<Curve> out = new ArrayList<>();
        for (List<Curve> r : runs) out.addAll(r);
        return out;
    }

    /** Mean ± sd over a teacher's runs of {@code value}. */
    public static Metrics.MeanSd over(List<Curve> curves, String teacher, java.util.function.ToDoubleFunction<Curve> value) {
        return Metrics.meanSd(curves.stream().filter(c -> c.teacher().equals(teacher)).mapToDouble(value).toArray());
    }

    /** The teachers of {@code curves}, in order of first appearance. */
    public static List<String> teachers(List<Curve> curves) {
        List<String> t = new ArrayList<>();
        for (Curve c : curves) if (!t.contains(c.teacher())) t.add(c.teacher());
        return t;
    }
}
