package io.proxima.sim.report;

import io.proxima.sim.learner.LearnerSweep;
import io.proxima.sim.run.Comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The robustness summary of a {@code simulate --vary} sweep: each teacher's final held-out
 * accuracy and AUC on every variant of the learner, as multiples of {@code uniform}'s on that
 * variant, and the worst of them. A teacher to trust is one whose worst ratio stays near 1 or
 * above; a gain at one setting only is a property of that setting.
 */
public final class SweepReport {
    private SweepReport() {}

    /** One variant's comparison, labelled by the value it set. */
    public record Variant(Object value, Comparison comparison) {}

    /** One teacher across the variants: final accuracy and AUC ratios to uniform per variant, and the worst. */
    public record Line(String teacher, double[] finalMean, double[] finalRatio, double[] aucRatio, double worstFinal, double worstAuc) {}

    public static List<Line> lines(List<Variant> variants) {
        Comparison first = variants.get(0).comparison();
        List<Line> out = new ArrayList<>();
        for (String teacher : first.teachers()) {
            int v = variants.size();
            double[] mean = new double[v], fr = new double[v], ar = new double[v];
            double worstF = Double.POSITIVE_INFINITY, worstA = Double.POSITIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                Comparison c = variants.get(k).comparison();
                Comparison.Row r = c.row(c.teacherIndex(teacher));
                Comparison.Row u = c.row(c.teacherIndex("uniform"));
                mean[k] = r.finalAccuracy().mean();
                fr[k] = r.finalAccuracy().mean() / u.finalAccuracy().mean();
                ar[k] = r.auc().mean() / u.auc().mean();
                worstF = Math.min(worstF, fr[k]);
                worstA = Math.min(worstA, ar[k]);
            }
            out.add(new Line(teacher, mean, fr, ar, worstF, worstA));
        }
        return out;
    }

    /** Writes {@code robustness.md} and {@code robustness.csv} into {@code dir}. */
    public static void write(LearnerSweep sweep, String learner, List<Variant> variants, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Line> lines = lines(variants);
        StringBuilder md = new StringBuilder();
        Comparison first = variants.get(0).comparison();
        md.append("# Robustness: ").append(learner).append(" over ").append(sweep.path()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d seeds per teacher and variant, %,d generated rollouts per run. Each cell: final held-out "
                + "accuracy, mean over seeds (× uniform's on the same variant). Worst: the lowest ratio over the variants, for final "
                + "accuracy and for the area under the curve. Each variant's full report is in its own directory.%n%n",
                first.options().seeds(), first.options().budget()));
        md.append("| teacher |");
        for (Variant v : variants) md.append(" `").append(sweep.label(v.value())).append("` |");
        md.append(" worst final | worst AUC |\n|---|");
        for (int k = 0; k < variants.size(); k++) md.append("---|");
        md.append("---|---|\n");
        for (Line l : lines) {
            md.append("| `").append(l.teacher()).append("` |");
            for (int k = 0; k < variants.size(); k++) {
                md.append(String.format(Locale.ROOT, " %.3f (×%.2f) |", l.finalMean()[k], l.finalRatio()[k]));
            }
            md.append(String.format(Locale.ROOT, " ×%.2f | ×%.2f |%n", l.worstFinal(), l.worstAuc()));
        }
        md.append("\nVariant reports: ");
        for (int k = 0; k < variants.size(); k++) {
            String d = sweep.directory(variants.get(k).value());
            md.append(k > 0 ? ", " : "").append("[").append(d).append("](").append(d).append("/report.md)");
        }
        md.append("\n");
        Files.writeString(dir.resolve("robustness.md"), md.toString());

        StringBuilder csv = new StringBuilder("teacher,setting,value,final_mean,final_ratio,auc_ratio\n");
        for (Line l : lines) {
            for (int k = 0; k < variants.size(); k++) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f,%.6f,%.6f%n", l.teacher(), sweep.path(), variants.get(k).value(),
                        l.finalMean()[k], l.finalRatio()[k], l.aucRatio()[k]));
            }
        }
        Files.writeString(dir.resolve("robustness.csv"), csv.toString());
    }
}
