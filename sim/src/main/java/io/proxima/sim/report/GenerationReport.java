package io.proxima.sim.report;

import io.proxima.sim.learner.ScaffoldLearnerSpec;
import io.proxima.sim.run.GenerationRun;
import io.proxima.sim.run.LabOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The report of a scaffold learner's comparison (with and without generation): {@code report.md}
 * (per teacher mean ± sd over seeds: held-out accuracy overall and per family, AUC, derived tasks,
 * share of rollouts on them), {@code summary.csv} (one line per run) and {@code curves.csv} (every point).
 */
public final class GenerationReport {
    private GenerationReport() {}

    public static void write(ScaffoldLearnerSpec spec, LabOptions o, List<GenerationRun.Curve> curves, Path out) throws IOException {
        Files.createDirectories(out);
        List<String> teachers = GenerationRun.teachers(curves);
        int nf = spec.families().size();
        StringBuilder md = new StringBuilder();
        md.append("# Generated tasks on ").append(spec.name()).append("\n\n");
        if (!spec.description().isEmpty()) md.append(spec.description()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%,d generated rollouts per run, batch %d, G = %d, %d seeds (first %d). "
                + "`+gen`: the same recipe with `\"generation\": {}` (defaults); the trainer writes a variant per request.%n%n",
                o.budget(), o.batch(), o.rollouts(), o.seeds(), o.firstSeed()));
        md.append(table(curves, teachers, spec)).append('\n');
        md.append("## Families\n\n").append(spec.familyTable());
        Files.writeString(out.resolve("report.md"), md.toString());

        StringBuilder sum = new StringBuilder("teacher,seed,final_accuracy,auc");
        for (int f = 0; f < nf; f++) sum.append(",final_accuracy_").append(spec.families().get(f).name());
        sum.append(",simplified,varied,derived_rollout_share,generated\n");
        for (GenerationRun.Curve c : curves) {
            sum.append(c.teacher()).append(',').append(c.seed()).append(',').append(num(c.finalAccuracy())).append(',').append(num(c.auc()));
            for (int f = 0; f < nf; f++) sum.append(',').append(num(c.finalFamily(f)));
            sum.append(',').append(c.simplified()).append(',').append(c.varied()).append(',').append(num(c.derivedShare()))
                    .append(',').append(c.generated()).append('\n');
        }
        Files.writeString(out.resolve("summary.csv"), sum.toString());

        StringBuilder cur = new StringBuilder("teacher,seed,point,rollouts,heldout_accuracy");
        for (int f = 0; f < nf; f++) cur.append(",heldout_").append(spec.families().get(f).name());
        cur.append('\n');
        for (GenerationRun.Curve c : curves) {
            for (int k = 0; k < c.x().length; k++) {
                cur.append(c.teacher()).append(',').append(c.seed()).append(',').append(k).append(',').append(c.x()[k]).append(',')
                        .append(num(c.accuracy()[k]));
                for (int f = 0; f < nf; f++) cur.append(',').append(num(c.familyAccuracy()[f][k]));
                cur.append('\n');
            }
        }
        Files.writeString(out.resolve("curves.csv"), cur.toString());
    }

    /** The Markdown table of the comparison (also printed by the CLI). */
    public static String table(List<GenerationRun.Curve> curves, List<String> teachers, ScaffoldLearnerSpec spec) {
        int nf = spec.families().size();
        StringBuilder b = new StringBuilder("| teacher | held-out accuracy | AUC |");
        for (int f = 0; f < nf; f++) b.append(' ').append(spec.families().get(f).name()).append(" |");
        b.append(" derived tasks (simplify / vary) | rollouts on derived |\n|---|---|---|");
        for (int f = 0; f < nf; f++) b.append("---|");
        b.append("---|---|\n");
        for (String t : teachers) {
            b.append("| ").append(t).append(" | ").append(GenerationRun.over(curves, t, GenerationRun.Curve::finalAccuracy).format("%.3f"))
                    .append(" | ").append(GenerationRun.over(curves, t, GenerationRun.Curve::auc).format("%.3f")).append(" |");
            for (int f = 0; f < nf; f++) {
                int k = f;
                b.append(' ').append(GenerationRun.over(curves, t, c -> c.finalFamily(k)).format("%.3f")).append(" |");
            }
            b.append(String.format(Locale.ROOT, " %.0f / %.0f | %.1f%% |%n", GenerationRun.over(curves, t, c -> c.simplified()).mean(),
                    GenerationRun.over(curves, t, c -> c.varied()).mean(), 100 * GenerationRun.over(curves, t, GenerationRun.Curve::derivedShare).mean()));
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }
}
