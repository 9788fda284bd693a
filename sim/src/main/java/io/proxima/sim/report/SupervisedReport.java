package io.proxima.sim.report;

import io.proxima.sim.learner.ItemLearnerSpec;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.Metrics;
import io.proxima.sim.run.SupervisedRun;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a supervised-learner comparison (simulated or neural): report.md, curves.csv
 * ({@code teacher,seed,point,items,clean_accuracy,clean_loss,mislabelled_share,mislabelled_fit}),
 * summary.csv and learning_curves.png (clean held-out accuracy, mean ± sd over seeds).
 */
public final class SupervisedReport {
    private SupervisedReport() {}

    /** Index of the highest point (the first on ties). */
    static int peak(double[] v) {
        int k = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
        return k;
    }

    /** Teachers × sources: the mean over seeds of the final clean held-out accuracy of each source. */
    static String perSource(ItemLearnerSpec spec, Map<String, List<SupervisedRun.Curve>> by) {
        StringBuilder b = new StringBuilder("| teacher |");
        for (String s : spec.sourceNames()) b.append(' ').append(s).append(" |");
        b.append("\n|---|").append("---|".repeat(spec.sourceNames().size())).append('\n');
        for (Map.Entry<String, List<SupervisedRun.Curve>> e : by.entrySet()) {
            b.append("| ").append(e.getKey()).append(" |");
            for (int g = 0; g < spec.sourceNames().size(); g++) {
                double[] v = new double[e.getValue().size()];
                for (int s = 0; s < v.length; s++) v[s] = e.getValue().get(s).sourceAccuracy()[g];
                b.append(' ').append(ReportWriter.f("%.3f", Metrics.meanSd(v).mean())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static void write(ItemLearnerSpec spec, LabOptions o, List<SupervisedRun.Curve> curves, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("teacher,seed,point,items,clean_accuracy,clean_loss,mislabelled_share,mislabelled_fit\n");
        StringBuilder sum = new StringBuilder("teacher,seed,final_clean_accuracy,peak_clean_accuracy,items_to_peak,final_clean_loss,auc,mislabelled_share,mislabelled_fit\n");
        Map<String, List<SupervisedRun.Curve>> by = new LinkedHashMap<>();
        for (SupervisedRun.Curve c : curves) {
            by.computeIfAbsent(c.teacher(), k -> new ArrayList<>()).add(c);
            for (int k = 0; k < c.x().length; k++) {
                csv.append(c.teacher()).append(',').append(c.seed()).append(',').append(k).append(',').append(c.x()[k]).append(',')
                        .append(ReportWriter.num(c.accuracy()[k])).append(',').append(ReportWriter.num(c.loss()[k])).append(',')
                        .append(ReportWriter.num(c.noisyShare()[k])).append(',').append(ReportWriter.num(c.mislabelledFit()[k])).append('\n');
            }
            int last = c.x().length - 1;
            int peak = peak(c.accuracy());
            sum.append(c.teacher()).append(',').append(c.seed()).append(',').append(ReportWriter.num(c.accuracy()[last])).append(',')
                    .append(ReportWriter.num(c.accuracy()[peak])).append(',').append(c.x()[peak]).append(',')
                    .append(ReportWriter.num(c.loss()[last])).append(',').append(ReportWriter.num(Metrics.auc(c.x(), c.accuracy())))
                    .append(',').append(ReportWriter.num(c.totalNoisyShare())).append(',')
                    .append(ReportWriter.num(c.mislabelledFit()[last])).append('\n');
        }
        Files.writeString(dir.resolve("curves.csv"), csv.toString());
        Files.writeString(dir.resolve("summary.csv"), sum.toString());

        XYChart chart = Plots.reportChart("Clean held-out accuracy (mean ± sd over seeds)", "items trained on (thousands)",
                "clean held-out accuracy");
        StringBuilder md = new StringBuilder("# Proxima lab: ").append(spec.name()).append(" (supervised)\n\n");
        if (!spec.description().isEmpty()) md.append(spec.description()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%,d items in %d sources, %.0f%% mislabelled; %,d clean held-out items; "
                        + "budget %,d items trained on (%d per step), %d seeds; mean ± sd over seeds.%n%n", spec.poolSize(), spec.sourceNames().size(),
                100 * spec.mislabelledShare(), spec.heldOut(), o.budget(), o.batch(), o.seeds()));
        md.append("| teacher | clean held-out accuracy | gain × uniform | peak accuracy (early stopping) | items to peak | clean held-out loss "
                + "| AUC | mislabelled share of items trained on | wrong labels memorised |\n|---|---|---|---|---|---|---|---|---|\n");
        double uniformGain = Double.NaN;
        List<SupervisedRun.Curve> u = by.get("uniform");
        if (u != null) {
            double g = 0;
            for (SupervisedRun.Curve c : u) g += (c.accuracy()[c.x().length - 1] - c.accuracy()[0]) / u.size();
            uniformGain = g;
        }
        int i = 0;
        for (Map.Entry<String, List<SupervisedRun.Curve>> e : by.entrySet()) {
            List<SupervisedRun.Curve> cs = e.getValue();
            int n = cs.size();
            int points = cs.get(0).x().length;
            double[] acc = new double[n], loss = new double[n], auc = new double[n], noisy = new double[n], pk = new double[n], at = new double[n],
                    fit = new double[n];
            double gain = 0;
            double[][] ys = new double[points][n];
            double[] xs = new double[points];
            for (int s = 0; s < n; s++) {
                SupervisedRun.Curve c = cs.get(s);
                acc[s] = c.accuracy()[points - 1];
                loss[s] = c.loss()[points - 1];
                auc[s] = Metrics.auc(c.x(), c.accuracy());
                noisy[s] = c.totalNoisyShare();
                fit[s] = c.mislabelledFit()[points - 1];
                int p = peak(c.accuracy());
                pk[s] = c.accuracy()[p];
                at[s] = c.x()[p];
                gain += (acc[s] - c.accuracy()[0]) / n;
                for (int k = 0; k < points; k++) {
                    ys[k][s] = c.accuracy()[k];
                    xs[k] = c.x()[k] / 1000.0;
                }
            }
            md.append("| ").append(e.getKey()).append(" | ").append(Metrics.meanSd(acc).format("%.3f")).append(" | ")
                    .append(ReportWriter.f("%.2f", gain / uniformGain)).append(" | ").append(Metrics.meanSd(pk).format("%.3f"))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", Metrics.meanSd(at).mean()))
                    .append(" | ").append(Metrics.meanSd(loss).format("%.3f"))
                    .append(" | ").append(Metrics.meanSd(auc).format("%.3f")).append(" | ").append(Metrics.meanSd(noisy).format("%.3f"))
                    .append(" | ").append(Metrics.meanSd(fit).format("%.3f")).append(" |\n");
            Plots.meanOverSeeds(chart, e.getKey(), xs, ys, Plots.colour(e.getKey(), i++));
        }
        md.append("\n*gain* = final − start clean held-out accuracy, as a ratio of uniform's. The metric is measured on clean "
                + "held-out items. *Peak* = the best point of each run's curve (what early stopping on a clean validation set would keep). "
                + "*Wrong labels memorised* = share of mislabelled pool items on which the learner gives their wrong training label at the end "
                + "(chance = 1/classes: nothing memorised).\n\n");
        md.append("## Final clean held-out accuracy per source (mean over seeds)\n\n").append(perSource(spec, by)).append('\n');
        md.append(spec.sourceTable()).append("\n![Learning curves](learning_curves.png)\n");
        BitmapEncoder.saveBitmap(chart, dir.resolve("learning_curves.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.writeString(dir.resolve("report.md"), md.toString());
    }
}
