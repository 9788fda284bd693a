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
import java.util.Locale;
import java.util.Map;

/**
 * {@code proxima demo}: a curriculum over a small built-in pool drives a scripted learner, printing
 * each step's batch composition, effective ratio and pass rates, then a summary beside the same
 * learner trained with the uniform baseline.
 *
 * <p>Every compared teacher, the baseline included, stops at the same budget of <b>generated</b>
 * rollouts: a filter's dropped groups count (they were generated and paid for), so a teacher that
 * filters trains on fewer groups in fewer steps, and the comparison is at equal cost. The default
 * budget is what the uniform walk spends in {@code --steps} steps: steps × batch × rollouts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Drive a scripted learner with a curriculum and print what the teacher does.",
                "The teacher and the uniform baseline stop at the same number of generated rollouts (dropped groups count)."})
final class DemoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", defaultValue = "sec", description = "Recipe to run (see 'proxima recipes'). Default: ${DEFAULT-VALUE}.")
    String recipe;

    @Option(names = "--config", description = "A JSON configuration file instead of --recipe.")
    Path config;

    @Option(names = "--steps", defaultValue = "200",
            description = "Sets the default budget: what the uniform walk generates in this many steps (steps × batch × rollouts). "
                    + "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--budget", paramLabel = "ROLLOUTS",
            description = "Generated rollouts per teacher, dropped groups included; every teacher stops there. "
                    + "Default: steps × batch × rollouts per task (51200 with the defaults).")
    Long budget;

    @Option(names = "--batch", defaultValue = "32", description = "Tasks trained on per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--tasks-per-group", defaultValue = "250", description = "Pool size per group (4 groups). Default: ${DEFAULT-VALUE}.")
    int tasksPerGroup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the curriculum and the learner. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--every", defaultValue = "1", description = "Print one step line every N steps (0: summary only). Default: ${DEFAULT-VALUE}.")
    int every;

    /** Rounds of replacements a trainer asks for when the filter drops groups (DAPO-style refill). */
    static final int MAX_REFILL_ROUNDS = 3;

    /** One teacher's run: its curriculum and learner at the end, and what it cost. */
    record Run(String teacher, Curriculum curriculum, DemoLearner learner, long generatedRollouts, long trainedGroups, int steps) {}

    @Override
    public void run() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (tasksPerGroup < 1) throw new IllegalArgumentException("--tasks-per-group must be >= 1, got " + tasksPerGroup);
        if (every < 0) throw new IllegalArgumentException("--every must be >= 0, got " + every);
        if (budget != null && budget < 1) throw new IllegalArgumentException("--budget must be >= 1 generated rollout, got " + budget);
        CurriculumConfig cfg = configuration();
        if (batch > 4 * tasksPerGroup) throw new IllegalArgumentException("--batch " + batch + " exceeds the pool of " + 4 * tasksPerGroup + " tasks");
        long rollouts = budget != null ? budget : (long) steps * batch * cfg.rollouts();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Proxima demo: recipe %s, %d tasks in %d groups, batches of %d tasks × %d rollouts, "
                        + "budget %,d generated rollouts per teacher (dropped groups count), seed %d%n",
                cfg.recipe(), 4 * tasksPerGroup, DemoLearner.GROUPS.length, batch, cfg.rollouts(), rollouts, seed);
        out.println("step | tasks per group (arith alg geo olymp) | kept/asked | effective | true accuracy per group | generated");
        Run run = drive(cfg.recipe(), cfg, rollouts, out);
        Run baseline = cfg.recipe().equals("uniform") && isPlain() ? null
                : drive("uniform", CurriculumConfig.builder().recipe("uniform").seed(seed).rollouts(cfg.rollouts()).build(), rollouts, null);
        summary(out, run, baseline, rollouts);
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

    /**
     * Trains until {@code budget} rollouts were generated. Per step: ask for a batch, generate and
     * report, refill what the filter dropped (up to {@link #MAX_REFILL_ROUNDS} rounds), train on
     * the kept groups. A request never asks for more tasks than the budget left can pay for at the
     * configured rollouts per task, so a teacher with a fixed group size ends exactly on the budget;
     * the last step may train on a partial batch.
     */
    Run drive(String name, CurriculumConfig cfg, long budget, PrintWriter out) {
        DemoLearner learner = new DemoLearner(tasksPerGroup, seed);
        Curriculum c = Curriculum.create(cfg, learner.tasks());
        long generated = 0;
        long trained = 0;
        int step = 0;
        while (generated < budget) {
            step++;
            int[] perGroup = new int[DemoLearner.GROUPS.length];
            int asked = 0;
            int kept = 0;
            int effective = 0;
            int reported = 0;
            int want = batch;
            long before = generated;
            for (int round = 0; round <= MAX_REFILL_ROUNDS && want > 0 && generated < budget; round++) {
                long affordable = (budget - generated + cfg.rollouts() - 1) / cfg.rollouts();
                Selection s = c.next((int) Math.min(Math.min(want, affordable), c.size()));
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
            if (generated == before) throw new IllegalStateException(name + " generated no rollout in step " + step + "; the demo cannot spend its budget");
            if (out != null && every > 0 && (step % every == 0 || step == 1 || generated >= budget)) {
                StringBuilder acc = new StringBuilder();
                for (int g = 0; g < DemoLearner.GROUPS.length; g++) acc.append(String.format(Locale.ROOT, " %.2f", learner.accuracy(g)));
                out.printf(Locale.ROOT, "%4d | %4d %4d %4d %4d | %3d/%-3d | %5.2f |%s | %,9d%n", step, perGroup[0], perGroup[1], perGroup[2],
                        perGroup[3], kept, asked, reported == 0 ? Double.NaN : (double) effective / reported, acc, generated);
            }
        }
        return new Run(name, c, learner, generated, trained, step);
    }

    private void summary(PrintWriter out, Run run, Run baseline, long budget) {
        CurriculumStats st = run.curriculum().stats();
        out.println();
        out.printf("Summary (%s)%n", st.recipe());
        out.printf("  %-11s %6s %8s %9s %8s %9s %10s %8s%n", "group", "tasks", "share", "est.pass", "mean|A|", "effective", "true acc.", "policy p");
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < DemoLearner.GROUPS.length; g++) index.put(DemoLearner.GROUPS[g], g);
        for (CurriculumStats.Group g : st.groups()) {
            out.printf(Locale.ROOT, "  %-11s %6d %8.3f %9.3f %8.3f %9.3f %10.3f %8.3f%n", g.name(), g.size(), g.selectionShare(), g.meanPassRate(),
                    g.meanAbsAdvantage(), g.effectiveRatio(), run.learner().accuracy(index.get(g.name())), g.probability());
        }
        out.printf(Locale.ROOT, "  effective ratio %.3f over %d reported groups%n", st.effectiveRatio(), st.reports());
        if (!st.teacher().isEmpty()) out.printf("  teacher: %s%n", st.teacher());
        out.println();
        out.printf(Locale.ROOT, "At equal generated rollouts (budget %,d per teacher; a filter's dropped groups count):%n", budget);
        out.printf(Locale.ROOT, "  %-10s %18s %6s %15s %16s %14s%n", "teacher", "generated rollouts", "steps", "groups trained",
                "effective ratio", "true accuracy");
        row(out, run);
        if (baseline != null) row(out, baseline);
    }

    private static void row(PrintWriter out, Run r) {
        out.printf(Locale.ROOT, "  %-10s %,18d %6d %,15d %16.3f %14.3f%n", r.teacher(), r.generatedRollouts(), r.steps(), r.trainedGroups(),
                r.curriculum().stats().effectiveRatio(), r.learner().accuracy());
    }
}
