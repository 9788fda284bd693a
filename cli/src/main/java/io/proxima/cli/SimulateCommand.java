package io.proxima.cli;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.LearnerSweep;
import io.proxima.sim.learner.StrictJson;
import io.proxima.sim.report.ContinuousReport;
import io.proxima.sim.report.GenerationReport;
import io.proxima.sim.run.GenerationRun;
import io.proxima.sim.report.ReportWriter;
import io.proxima.sim.report.SweepReport;
import io.proxima.sim.report.SupervisedReport;
import io.proxima.sim.run.SupervisedRun;
import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.ContinuousRun;
import io.proxima.sim.run.Lab;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.Metrics;
import io.proxima.sim.teach.TeacherSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code proxima simulate}: compares teachers on a simulated learner described by a JSON file
 * (examples in {@code examples/lab/}) and writes a report (Markdown, PNG plots, CSV). See
 * docs/lab.md.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare teachers on a simulated learner whose true state is known, against the oracle, "
                + "and write a report (report.md, PNG plots, CSV) into --out.",
                "The baselines uniform (walk without replacement) and random (i.i.d.) are always included. See docs/lab.md."})
final class SimulateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--learner", required = true, paramLabel = "FILE",
            description = "Learner description (JSON), e.g. examples/lab/math-mix.json.")
    Path learner;

    /** Default budgets: episodes of a continuous learner, items of a supervised one. */
    static final long CONTINUOUS_BUDGET = 20_000;
    static final long SUPERVISED_BUDGET = 100_000;
    /** Default budget of a neural GRPO learner: its families need ~1M rollouts to separate (3–5 s a run). */
    static final long NEURAL_BUDGET = 1_000_000;
    /** Default budget of a scaffold learner (generated tasks): its hard family moves within ~100k rollouts. */
    static final long SCAFFOLD_BUDGET = 100_000;

    /** Default teachers of a prompt learner. */
    static final String PROMPT_TEACHERS = "uniform,random,odf,dapo,greso,sec,dump,pcl,knapsack,oracle";

    @Option(names = "--teachers", split = ",", paramLabel = "NAME",
            description = "Comma-separated recipes (see 'proxima recipes') and 'oracle'; for a continuous learner: "
                    + "random, alp-gmm, covar-gmm, riac, adr, spdl, recent-alp-gmm. Default: " + PROMPT_TEACHERS + " (continuous: all seven).")
    List<String> teachers;

    @Option(names = "--config", paramLabel = "NAME=FILE",
            description = "Also compare a custom curriculum configuration (JSON, without \"seed\"), reported as NAME. Repeatable.")
    List<String> configs = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "5", description = "Runs per teacher (seeds first-seed, first-seed+1, …). Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "First seed. Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--budget",
            description = "Generated rollouts per run; dropped groups count. Episodes for a continuous learner, items trained on "
                    + "for a supervised one. Default: 200000 (neural: 1000000; continuous: 20000; supervised: 100000).")
    Long budget;

    @Option(names = "--batch", defaultValue = "32", description = "Prompts trained on per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--rollouts", defaultValue = "8", description = "Rollouts per prompt (GRPO group size G). Default: ${DEFAULT-VALUE}.")
    int rollouts;

    @Option(names = "--max-rounds", defaultValue = "10",
            description = "Generation rounds per step when a filter drops groups (DAPO max_num_gen_batches). Default: ${DEFAULT-VALUE}.")
    int maxRounds;

    @Option(names = "--points", defaultValue = "100", description = "Points per curve. Default: ${DEFAULT-VALUE}.")
    int points;

    @Option(names = "--target", paramLabel = "ACC",
            description = "Held-out accuracy for 'rollouts to target'. Default: start + 90%% of uniform's mean gain.")
    Double target;

    @Option(names = "--threads", description = "Worker threads (results do not depend on it). Default: available processors.")
    Integer threads;

    @Option(names = "--vary", paramLabel = "PATH=V1,V2,...",
            description = "Rerun the comparison on variants of the learner file, one per value of one setting (e.g. "
                    + "optimizer.learningRate=0.0015,0.003,0.006), and write robustness.md: each teacher's ratio to uniform on "
                    + "every variant and the worst. Prompt learners (prompts, neural).")
    String vary;

    @Option(names = "--out", defaultValue = "lab-report", paramLabel = "DIR", description = "Report directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public void run() {
        LearnerSweep sweep = vary == null ? null : LearnerSweep.parse(vary);
        java.util.Map<String, Object> raw = LearnerFiles.readObject(learner);
        LearnerFiles.Description d = sweep == null ? LearnerFiles.parse(raw, learner.toString())
                : LearnerFiles.parse(sweep.apply(raw, sweep.values().get(0)), learner + " with " + sweep.label(sweep.values().get(0)));
        long budget = this.budget != null ? this.budget
                : d.box() != null ? CONTINUOUS_BUDGET : d.items() != null ? SUPERVISED_BUDGET
                : d.neural() != null ? NEURAL_BUDGET : d.scaffold() != null ? SCAFFOLD_BUDGET : LabOptions.DEFAULT_BUDGET;
        LabOptions o = new LabOptions(budget, batch, rollouts, maxRounds, points, seeds, firstSeed,
                threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()),
                target == null ? Double.NaN : target);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            if (sweep != null && d.rollouts() == null) {
                throw new IllegalArgumentException("--vary runs on prompt learners (type prompts or neural); " + d.name() + " is not one");
            }
            if (d.scaffold() != null) {
                runScaffold(d, o, err, stdout);
                return;
            }
            if (d.box() != null) {
                runContinuous(d, o, err, stdout);
                return;
            }
            if (d.items() != null) {
                runSupervised(d, o, err, stdout);
                return;
            }
            List<TeacherSpec> specs = new ArrayList<>();
            for (String t : teachers != null ? teachers : List.of(PROMPT_TEACHERS.split(","))) {
                String n = t.trim();
                if (ContinuousRun.TEACHERS.contains(n) && !n.equals("random")) {
                    throw new IllegalArgumentException("teacher '" + n + "' is a continuous-space teacher and does not run on the prompt learner "
                            + d.name() + "; use a recipe of 'proxima recipes' or oracle");
                }
                specs.add(TeacherSpec.named(n));
            }
            for (String c : configs) specs.add(customConfig(c));
            if (batch > d.rollouts().poolSize()) {
                throw new IllegalArgumentException("--batch " + batch + " exceeds the pool of " + d.rollouts().poolSize() + " prompts");
            }
            if (sweep != null) {
                runSweep(sweep, raw, specs, o, err, stdout);
                return;
            }
            err.printf(Locale.ROOT, "simulate: %s, %d teachers × %d seeds, %,d rollouts each%n", d.name(), specs.size(), seeds, o.budget());
            Comparison c = Lab.compare(d.rollouts(), specs, o, err);
            ReportWriter.write(c, out);
            stdout.printf(Locale.ROOT, "%-12s %-16s %-16s %-16s%n", "teacher", "held-out acc.", "AUC", "effective ratio");
            for (int t = 0; t < c.teachers().size(); t++) {
                Comparison.Row r = c.row(t);
                stdout.printf(Locale.ROOT, "%-12s %-16s %-16s %-16s%n", r.teacher(), r.finalAccuracy().format("%.3f"),
                        r.auc().format("%.3f"), r.effective().format("%.3f"));
            }
            stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("report.md"), c.seconds());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the report into " + out + ": " + e.getMessage());
        }
    }

    /** Every variant is parsed before any runs: a bad value fails at once, not after the first comparisons. */
    private void runSweep(LearnerSweep sweep, java.util.Map<String, Object> raw, List<TeacherSpec> specs, LabOptions o,
                          PrintWriter err, PrintWriter stdout) throws IOException {
        List<LearnerFiles.Description> descs = new ArrayList<>();
        for (Object v : sweep.values()) {
            LearnerFiles.Description dv = LearnerFiles.parse(sweep.apply(raw, v), learner + " with " + sweep.label(v));
            if (batch > dv.rollouts().poolSize()) {
                throw new IllegalArgumentException("--batch " + batch + " exceeds the pool of " + dv.rollouts().poolSize() + " prompts ("
                        + sweep.label(v) + ")");
            }
            descs.add(dv);
        }
        long t0 = System.nanoTime();
        List<SweepReport.Variant> variants = new ArrayList<>();
        for (int k = 0; k < descs.size(); k++) {
            Object v = sweep.values().get(k);
            err.printf(Locale.ROOT, "simulate: %s, %d teachers × %d seeds, %,d rollouts each (variant %d of %d)%n", descs.get(k).name(),
                    specs.size(), seeds, o.budget(), k + 1, descs.size());
            Comparison c = Lab.compare(descs.get(k).rollouts(), specs, o, err);
            ReportWriter.write(c, out.resolve(sweep.directory(v)));
            variants.add(new SweepReport.Variant(v, c));
        }
        SweepReport.write(sweep, learner.getFileName().toString(), variants, out);
        stdout.printf(Locale.ROOT, "final held-out accuracy × uniform's, per %s%n", sweep.path());
        stdout.printf(Locale.ROOT, "%-12s", "teacher");
        for (Object v : sweep.values()) stdout.printf(Locale.ROOT, " %-12s", String.valueOf(v));
        stdout.printf(Locale.ROOT, " %-8s%n", "worst");
        for (SweepReport.Line l : SweepReport.lines(variants)) {
            stdout.printf(Locale.ROOT, "%-12s", l.teacher());
            for (double r : l.finalRatio()) stdout.printf(Locale.ROOT, " ×%-11.3f", r);
            stdout.printf(Locale.ROOT, " ×%.3f%n", l.worstFinal());
        }
        stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("robustness.md"), (System.nanoTime() - t0) / 1e9);
    }

    private void runContinuous(LearnerFiles.Description d, LabOptions o, PrintWriter err, PrintWriter stdout) throws IOException {
        List<ContinuousRun.Spec> specs = new ArrayList<>();
        for (String t : teachers != null ? teachers : ContinuousRun.TEACHERS) {
            String n = t.trim();
            if (!ContinuousRun.TEACHERS.contains(n)) {
                throw new IllegalArgumentException("teacher '" + n + "' " + (isRecipe(n) || n.equals(TeacherSpec.ORACLE)
                        ? "is for prompt learners and does not run on the continuous learner " : "is unknown; it does not run on the continuous learner ")
                        + d.name() + "; continuous teachers: " + ContinuousRun.TEACHERS);
            }
            specs.add(ContinuousRun.Spec.named(n));
        }
        for (String c : configs) specs.add(continuousConfig(c, d));
        err.printf(Locale.ROOT, "simulate: %s (continuous), %d teachers × %d seeds, %,d episodes each%n", d.name(), specs.size(),
                o.seeds(), o.budget());
        long t0 = System.nanoTime();
        List<ContinuousRun.Curve> curves = ContinuousRun.compare(d.box(), specs, o, err);
        ContinuousReport.write(d.box(), o, curves, out);
        stdout.printf(Locale.ROOT, "%-12s %-18s %-18s%n", "teacher", "mastered %", "frontier episodes");
        for (ContinuousRun.Spec t : specs) {
            List<ContinuousRun.Curve> cs = curves.stream().filter(c -> c.teacher().equals(t.name())).toList();
            double[] fin = cs.stream().mapToDouble(c -> 100 * c.mastery()[c.mastery().length - 1]).toArray();
            double[] fr = cs.stream().mapToDouble(ContinuousRun.Curve::frontierShare).toArray();
            stdout.printf(Locale.ROOT, "%-12s %-18s %-18s%n", t.name(), Metrics.meanSd(fin).format("%.1f"), Metrics.meanSd(fr).format("%.3f"));
        }
        stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
    }

    private void runSupervised(LearnerFiles.Description d, LabOptions o, PrintWriter err, PrintWriter stdout) throws IOException {
        List<SupervisedRun.Spec> specs = new ArrayList<>();
        for (String t : teachers != null ? teachers : SupervisedRun.DEFAULT_TEACHERS) {
            String n = recipeOnly(t, "the supervised learner " + d.name(), "(e.g. uniform, spl, pacing)");
            specs.add(SupervisedRun.Spec.named(n));
        }
        for (Map.Entry<String, Map<String, Object>> c : configMaps()) specs.add(new SupervisedRun.Spec(c.getKey(), c.getValue()));
        err.printf(Locale.ROOT, "simulate: %s (supervised), %d teachers × %d seeds, %,d items each%n", d.name(), specs.size(),
                o.seeds(), o.budget());
        long t0 = System.nanoTime();
        List<SupervisedRun.Curve> curves = SupervisedRun.compare(d.items(), specs, o, err);
        SupervisedReport.write(d.items(), o, curves, out);
        stdout.printf(Locale.ROOT, "%-12s %-22s %-22s %-22s%n", "teacher", "clean held-out acc.", "mislabelled share", "wrong labels memorised");
        for (SupervisedRun.Spec t : specs) {
            List<SupervisedRun.Curve> cs = curves.stream().filter(c -> c.teacher().equals(t.name())).toList();
            double[] acc = cs.stream().mapToDouble(c -> c.accuracy()[c.accuracy().length - 1]).toArray();
            double[] noisy = cs.stream().mapToDouble(SupervisedRun.Curve::totalNoisyShare).toArray();
            double[] fit = cs.stream().mapToDouble(c -> c.mislabelledFit()[c.mislabelledFit().length - 1]).toArray();
            stdout.printf(Locale.ROOT, "%-12s %-22s %-22s %-22s%n", t.name(), Metrics.meanSd(acc).format("%.3f"),
                    Metrics.meanSd(noisy).format("%.3f"), Metrics.meanSd(fit).format("%.3f"));
        }
        stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
    }

    /** A scaffold learner: each recipe with and without generation (issue 16), plus --config files as they are. */
    private void runScaffold(LearnerFiles.Description d, LabOptions o, PrintWriter err, PrintWriter stdout) throws IOException {
        List<GenerationRun.Spec> specs = new ArrayList<>();
        for (String t : teachers != null ? teachers : GenerationRun.DEFAULT_TEACHERS) {
            String n = recipeOnly(t, "the scaffold learner " + d.name(), "(each runs with and without generation)");
            specs.addAll(GenerationRun.Spec.pair(n));
        }
        for (Map.Entry<String, Map<String, Object>> c : configMaps()) specs.add(new GenerationRun.Spec(c.getKey(), c.getValue()));
        if (o.batch() > d.scaffold().poolSize()) {
            throw new IllegalArgumentException("--batch " + o.batch() + " exceeds the pool of " + d.scaffold().poolSize() + " prompts");
        }
        err.printf(Locale.ROOT, "simulate: %s (scaffold), %d teachers × %d seeds, %,d rollouts each%n", d.name(), specs.size(), o.seeds(), o.budget());
        long t0 = System.nanoTime();
        List<GenerationRun.Curve> curves = GenerationRun.compare(d.scaffold(), specs, o, err);
        GenerationReport.write(d.scaffold(), o, curves, out);
        stdout.print(GenerationReport.table(curves, GenerationRun.teachers(curves), d.scaffold()));
        stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
    }

    /** A teacher name for a learner that runs recipes only (not the oracle, not a continuous teacher). */
    private static String recipeOnly(String teacher, String learner, String hint) {
        String n = teacher.trim();
        if (n.equals(TeacherSpec.ORACLE) || (ContinuousRun.TEACHERS.contains(n) && !n.equals("random"))) {
            throw new IllegalArgumentException("teacher '" + n + "' does not run on " + learner + "; use recipes of 'proxima recipes' " + hint);
        }
        return n;
    }

    /** The --config files as name → configuration map, each validated as a curriculum configuration first. */
    private List<Map.Entry<String, Map<String, Object>>> configMaps() throws IOException {
        List<Map.Entry<String, Map<String, Object>>> maps = new ArrayList<>();
        for (String c : configs) {
            TeacherSpec t = customConfig(c); // validates the file and names it
            int eq = c.indexOf('=');
            maps.add(Map.entry(t.name(), new StrictJson().object(Files.readString(Path.of(c.substring(eq + 1))), "config")));
        }
        return maps;
    }

    private static boolean isRecipe(String name) {
        try {
            io.proxima.core.recipe.Recipes.standard().recipe(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** NAME=FILE holding a continuous teacher: {@code {"type": "alp-gmm", ...}} or {@code {"teacher": {...}}}. */
    @SuppressWarnings("unchecked")
    private static ContinuousRun.Spec continuousConfig(String arg, LearnerFiles.Description d) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) throw new IllegalArgumentException("--config must be NAME=FILE, got '" + arg + "'");
        Path file = Path.of(arg.substring(eq + 1));
        try {
            Map<String, Object> map = new StrictJson().object(Files.readString(file), "config");
            if (map.containsKey("teacher")) {
                if (map.size() > 1) throw new IllegalArgumentException("only \"teacher\" is allowed; the lab sets space and seed");
                map = (Map<String, Object>) map.get("teacher");
            }
            return ContinuousRun.Spec.config(arg.substring(0, eq), map, d.box());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
        }
    }

    private static TeacherSpec customConfig(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) throw new IllegalArgumentException("--config must be NAME=FILE, got '" + arg + "'");
        String name = arg.substring(0, eq);
        Path file = Path.of(arg.substring(eq + 1));
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage());
        }
        try {
            Map<String, Object> map = new StrictJson().object(text, "config");
            return TeacherSpec.config(name, map);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
        }
    }
}
