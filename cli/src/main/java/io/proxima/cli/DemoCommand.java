package io.proxima.cli;

import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.recipe.CurriculumConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code proxima demo}: a curriculum over a small built-in pool drives a scripted learner for a
 * few hundred steps, printing each step's batch composition, effective ratio and pass rates, then
 * a summary beside the same learner trained with the uniform baseline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Drive a scripted learner with a curriculum and print what the teacher does.")
final class DemoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", defaultValue = "sec", description = "Recipe to run (see 'proxima recipes'). Default: ${DEFAULT-VALUE}.")
    String recipe;

    @Option(names = "--config", description = "A JSON configuration file instead of --recipe.")
    Path config;

    @Option(names = "--steps", defaultValue = "200", description = "Training steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Tasks per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--tasks-per-group", defaultValue = "250", description = "Pool size per group (4 groups). Default: ${DEFAULT-VALUE}.")
    int tasksPerGroup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the curriculum and the learner. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--every", defaultValue = "1", description = "Print one step line every N steps (0: summary only). Default: ${DEFAULT-VALUE}.")
    int every;

    /** Rounds of replacements a trainer asks for when the filter drops groups (DAPO-style refill). */
    static final int MAX_REFILL_ROUNDS = 3;

    record Run(Curriculum curriculum, DemoLearner learner, long generatedRollouts, long trainedGroups) {}

    @Override
    public void run() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (tasksPerGroup < 1) throw new IllegalArgumentException("--tasks-per-group must be >= 1, got " + tasksPerGroup);
        if (every < 0) throw new IllegalArgumentException("--every must be >= 0, got " + every);
        CurriculumConfig cfg = configuration();
        if (batch > 4 * tasksPerGroup) throw new IllegalArgumentException("--batch " + batch + " exceeds the pool of " + 4 * tasksPerGroup + " tasks");
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Proxima demo: recipe %s, %d tasks in %d groups, %d steps of %d tasks, seed %d%n",
                cfg.recipe(), 4 * tasksPerGroup, DemoLearner.GROUPS.length, steps, batch, seed);
        out.println("step | tasks per group (arith alg geo olymp) | kept/asked | effective | true accuracy per group");
        Run run = drive(cfg, out);
        Run baseline = cfg.recipe().equals("uniform") && isPlain() ? null
                : drive(CurriculumConfig.builder().recipe("uniform").seed(seed).build(), null);
        summary(out, run, baseline);
    }

    private boolean isPlain() {
        return config == null;
    }

    private CurriculumConfig configuration() {
        if (config == null) return CurriculumConfig.builder().recipe(recipe).seed(seed).build();
        try {
            return CurriculumConfig.fromJson(Files.readString(config));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + config + ": " + e.getMessage());
        }
    }

    private Run drive(CurriculumConfig cfg, PrintWriter out) {
        DemoLearner learner = new DemoLearner(tasksPerGroup, seed);
        Curriculum c = Curriculum.create(cfg, learner.tasks());
        long generated = 0;
        long trained = 0;
        for (int step = 1; step <= steps; step++) {
            int[] perGroup = new int[DemoLearner.GROUPS.length];
            int asked = 0;
            int kept = 0;
            int effective = 0;
            int reported = 0;
            int want = batch;
            for (int round = 0; round <= MAX_REFILL_ROUNDS && want > 0; round++) {
                Selection s = c.next(Math.min(want, c.size()));
                List<Outcome> outcomes = new ArrayList<>(s.size());
                for (SelectedTask t : s.tasks()) {
                    int task = DemoLearner.index(t.taskId());
                    perGroup[task % DemoLearner.GROUPS.length]++;
                    outcomes.add(Outcome.of(t.taskId(), learner.rollout(task, t.rollouts())).atStep(step));
                    generated += t.rollouts();
                }
                ReportResult r = c.report(outcomes);
                asked += s.size();
                for (Verdict v : r.verdicts()) {
                    reported++;
                    if (v.effective()) effective++;
                    if (v.keep() && kept < batch) {
                        learner.train(DemoLearner.index(v.taskId()), v.passRate());
                        kept++;
                        trained++;
                    }
                }
                want = batch - kept;
            }
            if (out != null && every > 0 && (step % every == 0 || step == 1)) {
                StringBuilder acc = new StringBuilder();
                for (int g = 0; g < DemoLearner.GROUPS.length; g++) acc.append(String.format(" %.2f", learner.accuracy(g)));
                out.printf("%4d | %4d %4d %4d %4d | %3d/%-3d | %5.2f |%s%n", step, perGroup[0], perGroup[1], perGroup[2], perGroup[3],
                        kept, asked, (double) effective / reported, acc);
            }
        }
        return new Run(c, learner, generated, trained);
    }

    private void summary(PrintWriter out, Run run, Run baseline) {
        CurriculumStats st = run.curriculum().stats();
        out.println();
        out.printf("Summary (%s)%n", st.recipe());
        out.printf("  %-11s %6s %8s %9s %8s %9s %10s %8s%n", "group", "tasks", "share", "est.pass", "mean|A|", "effective", "true acc.", "policy p");
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < DemoLearner.GROUPS.length; g++) index.put(DemoLearner.GROUPS[g], g);
        for (CurriculumStats.Group g : st.groups()) {
            out.printf("  %-11s %6d %8.3f %9.3f %8.3f %9.3f %10.3f %8.3f%n", g.name(), g.size(), g.selectionShare(), g.meanPassRate(),
                    g.meanAbsAdvantage(), g.effectiveRatio(), run.learner().accuracy(index.get(g.name())), g.probability());
        }
        out.printf("  effective ratio %.3f over %d reported groups; %d rollouts generated, %d groups trained on%n",
                st.effectiveRatio(), st.reports(), run.generatedRollouts(), run.trainedGroups());
        if (!st.teacher().isEmpty()) out.printf("  teacher: %s%n", st.teacher());
        out.printf("  final true accuracy over the pool: %.3f%n", run.learner().accuracy());
        if (baseline != null) {
            CurriculumStats b = baseline.curriculum().stats();
            out.printf("  uniform baseline, same learner and seed: accuracy %.3f, effective ratio %.3f, %d rollouts generated%n",
                    baseline.learner().accuracy(), b.effectiveRatio(), baseline.generatedRollouts());
        }
    }
}
