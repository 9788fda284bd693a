package io.proxima.sim.run;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.recipe.Recipes;
import io.proxima.core.space.TaskSpec;
import io.proxima.sim.learner.ItemLearner;
import io.proxima.sim.learner.ItemLearnerSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs core curricula on an {@link ItemLearner} (the simulated {@code SupervisedLearner} or the
 * neural {@code NeuralSupervisedLearner}) through the public API: per step {@code next(batch)},
 * the loss of each item (the forward pass), training on each item, the end of the step (a neural
 * learner's optimizer step on the batch), then {@code report} of {@code Outcome.ofLoss(id, loss)}
 * at the step — until {@code budget} items were trained on. Tasks carry their source as group
 * and, as prior difficulty, the rank in [0, 1] of the learner's {@link ItemLearner#difficulty}
 * (what {@code pacing} orders by); ids are {@code source/index}.
 */
public final class SupervisedRun {
    /** Default teachers of a supervised learner. */
    public static final List<String> DEFAULT_TEACHERS = List.of("uniform", "spl", "pacing");

    private SupervisedRun() {}

    /** A teacher: a name and a curriculum configuration without seed. */
    public record Spec(String name, Map<String, Object> config) {
        public Spec {
            if (config.containsKey("seed")) throw new IllegalArgumentException("configuration '" + name + "': remove \"seed\", the lab sets it per run");
            config = new LinkedHashMap<>(config);
            CurriculumConfig.fromMap(withSeed(config, 0), Recipes.standard()); // validate now, not in a worker
        }

        public static Spec named(String recipe) {
            Recipes.standard().recipe(recipe); // fails with the list of known recipes
            return new Spec(recipe, Map.of("recipe", recipe));
        }

        static Map<String, Object> withSeed(Map<String, Object> config, long seed) {
            Map<String, Object> m = new LinkedHashMap<>(config);
            m.put("seed", seed);
            m.putIfAbsent("rollouts", 1);
            return m;
        }
    }

    /**
     * One run: clean held-out accuracy and loss at each point, the share of mislabelled items among those trained on (per
     * window and in all), how far wrong labels are memorised ({@link ItemLearner#mislabelledFit}) at each point, and the
     * clean held-out accuracy per source at the end.
     */
    public record Curve(String teacher, long seed, long[] x, double[] accuracy, double[] loss, double[] noisyShare, double totalNoisyShare,
                        double[] mislabelledFit, double[] sourceAccuracy) {}

    public static Curve run(ItemLearnerSpec spec, Spec teacher, LabOptions o, long seed) {
        ItemLearner learner = spec.create(seed);
        int n = learner.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(learner.difficulty(a), learner.difficulty(b)));
        double[] rank = new double[n];
        for (int r = 0; r < n; r++) rank[order[r]] = n == 1 ? 0.5 : (double) r / (n - 1);
        String[] ids = new String[n];
        List<TaskSpec> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String src = spec.sourceNames().get(learner.group(i));
            ids[i] = src + "/" + i;
            tasks.add(TaskSpec.of(ids[i], src, rank[i]));
        }
        Curriculum c = Curriculum.create(CurriculumConfig.fromMap(Spec.withSeed(teacher.config(), seed), Recipes.standard()), tasks);
        int points = o.evalPoints() + 1;
        long[] x = new long[points];
        double[] acc = new double[points], loss = new double[points], noisy = new double[points], fit = new double[points];
        acc[0] = learner.testScore();
        loss[0] = learner.testLoss();
        fit[0] = learner.mislabelledFit();
        noisy[0] = Double.NaN;
        int next = 1;
        long trained = 0, noisyTrained = 0, window = 0, windowNoisy = 0, step = 0;
        int batch = Math.min(o.batch(), n);
        while (trained < o.budget()) {
            Selection s = c.next((int) Math.min(batch, o.budget() - trained));
            List<Outcome> outs = new ArrayList<>(s.size());
            for (SelectedTask t : s.tasks()) {
                int i = Integer.parseInt(t.taskId(), t.taskId().lastIndexOf('/') + 1, t.taskId().length(), 10);
                outs.add(Outcome.ofLoss(t.taskId(), learner.loss(i)).atStep(step));
                learner.train(i);
                if (learner.mislabelled(i)) {
                    noisyTrained++;
                    windowNoisy++;
                }
                window++;
            }
            if (!outs.isEmpty()) c.report(outs);
            trained += s.size();
            learner.endStep();
            step++;
            if (s.size() == 0) throw new IllegalStateException(teacher.name() + " selected no item");
            while (next < points && trained >= o.x(next)) {
                x[next] = o.x(next);
                acc[next] = learner.testScore();
                loss[next] = learner.testLoss();
                fit[next] = learner.mislabelledFit();
                noisy[next] = window == 0 ? noisy[next - 1] : (double) windowNoisy / window;
                window = windowNoisy = 0;
                next++;
            }
        }
        noisy[0] = points > 1 ? noisy[1] : Double.NaN;
        double[] sourceAcc = new double[spec.sourceNames().size()];
        for (int g = 0; g < sourceAcc.length; g++) sourceAcc[g] = learner.testScore(g);
        return new Curve(teacher.name(), seed, x, acc, loss, noisy, trained == 0 ? Double.NaN : (double) noisyTrained / trained, fit, sourceAcc);
    }

    /** Teachers × seeds in parallel; results in the order asked (teacher-major), independent of threads. */
    public static List<Curve> compare(ItemLearnerSpec spec, List<Spec> teachers, LabOptions o, PrintWriter progress) {
        List<String> names = ParallelRuns.names(teachers.stream().map(Spec::name).toList());
        List<List<Curve>> runs = ParallelRuns.run(names, o, (k, seed) -> run(spec, teachers.get(k), o, seed), "clean held-out accuracy",
                c -> c.accuracy()[c.accuracy().length - 1], progress);
        List<Curve> out = new ArrayList<>();
        for (List<Curve> row : runs) out.addAll(row);
        return out;
    }
}
