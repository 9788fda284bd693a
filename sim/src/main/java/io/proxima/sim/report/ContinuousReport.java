package io.proxima.sim.report;

import io.proxima.sim.learner.BoxLearnerSpec;
import io.proxima.sim.run.ContinuousRun;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.Metrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a continuous-learner comparison: report.md, curves.csv
 * ({@code teacher,seed,point,episodes,mastery}), summary.csv (one line per run) and
 * learning_curves.png (mastery of the test grid, mean ± sd over seeds).
 */
public final class ContinuousReport {
    /** Shares of the learnable test grid whose first crossing the report gives in episodes. */
    static final double[] MILESTONES = {0.5, 0.9};

    private ContinuousReport() {}

    public static void write(BoxLearnerSpec spec, LabOptions o, List<ContinuousRun.Curve> curves, Path dir) throws IOException {
        Files.createDirectories(dir);
        double learnable = spec.learner(0).learnableTestShare();
        StringBuilder csv = new StringBuilder("teacher,seed,point,episodes,mastery\n");
        StringBuilder sum = new StringBuilder("teacher,seed,final_mastery,final_learnable_mastery,auc,episodes_to_50pct_learnable,"
                + "episodes_to_90pct_learnable,unlearnable_share,mastered_share,unreached_share,frontier_share\n");
        Map<String, List<ContinuousRun.Curve>> by = new LinkedHashMap<>();
        for (ContinuousRun.Curve c : curves) {
            by.computeIfAbsent(c.teacher(), k -> new ArrayList<>()).add(c);
            for (int k = 0; k < c.x().length; k++) {
                csv.append(c.teacher()).append(',').append(c.seed()).append(',').append(k).append(',').append(c.x()[k]).append(',')
                        .append(ReportWriter.num(c.mastery()[k])).append('\n');
            }
            double fin = c.mastery()[c.mastery().length - 1];
            sum.append(c.teacher()).append(',').append(c.seed()).append(',').append(ReportWriter.num(fin)).append(',')
                    .append(ReportWriter.num(learnable > 0 ? fin / learnable : Double.NaN)).append(',')
                    .append(ReportWriter.num(Metrics.auc(c.x(), c.mastery())));
            for (double ms : MILESTONES) sum.append(',').append(ReportWriter.num(Metrics.rolloutsToTarget(c.x(), c.mastery(), ms * learnable - 1e-12)));
            sum.append(',').append(ReportWriter.num(c.unlearnableShare())).append(',').append(ReportWriter.num(c.masteredShare()))
                    .append(',').append(ReportWriter.num(c.unreachedShare())).append(',').append(ReportWriter.num(c.frontierShare())).append('\n');
        }
        Files.writeString(dir.resolve("curves.csv"), csv.toString());
        Files.writeString(dir.resolve("summary.csv"), sum.toString());

        XYChart chart = Plots.reportChart("Share of the test grid mastered (mean ± sd over seeds)", "episodes (thousands)", "mastered share");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        StringBuilder md = new StringBuilder("# Proxima lab: ").append(spec.name()).append(" (continuous)\n\n");
        if (!spec.description().isEmpty()) md.append(spec.description()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s; %.0f%% of the test grid is learnable; "
                + "budget %,d episodes (%d per step), %d seeds; mean ± sd over seeds.%n%n", spec.shape(), 100 * learnable,
                o.budget(), o.batch(), o.seeds()));
        md.append("| teacher | final mastery | of the learnable area | AUC | episodes to 50% of it | episodes to 90% of it "
                + "| episodes: unlearnable / mastered / out of reach / frontier |\n|---|---|---|---|---|---|---|\n");
        int i = 0;
        for (Map.Entry<String, List<ContinuousRun.Curve>> e : by.entrySet()) {
            List<ContinuousRun.Curve> cs = e.getValue();
            int n = cs.size();
            int points = cs.get(0).x().length;
            double[] fin = new double[n], rel = new double[n], auc = new double[n];
            double[][] to = new double[MILESTONES.length][n];
            double[] un = new double[n], ma = new double[n], ur = new double[n], fr = new double[n];
            double[][] ys = new double[points][n];
            double[] xs = new double[points];
            for (int s = 0; s < n; s++) {
                ContinuousRun.Curve c = cs.get(s);
                fin[s] = c.mastery()[points - 1];
                rel[s] = learnable > 0 ? fin[s] / learnable : Double.NaN;
                auc[s] = Metrics.auc(c.x(), c.mastery());
                for (int j = 0; j < MILESTONES.length; j++) to[j][s] = Metrics.rolloutsToTarget(c.x(), c.mastery(), MILESTONES[j] * learnable - 1e-12);
                un[s] = c.unlearnableShare();
                ma[s] = c.masteredShare();
                ur[s] = c.unreachedShare();
                fr[s] = c.frontierShare();
                for (int k = 0; k < points; k++) {
                    ys[k][s] = c.mastery()[k];
                    xs[k] = c.x()[k] / 1000.0;
                }
            }
            md.append("| ").append(e.getKey()).append(" | ").append(Metrics.meanSd(fin).format("%.3f")).append(" | ")
                    .append(Metrics.meanSd(rel).format("%.3f")).append(" | ").append(Metrics.meanSd(auc).format("%.3f"));
            for (double[] t : to) md.append(" | ").append(reached(t));
            md.append(String.format(Locale.ROOT, " | %.2f / %.2f / %.2f / %.2f |%n", Metrics.meanSd(un).mean(), Metrics.meanSd(ma).mean(),
                    Metrics.meanSd(ur).mean(), Metrics.meanSd(fr).mean()));
            Plots.meanOverSeeds(chart, e.getKey(), xs, ys, Plots.colour(e.getKey(), i++));
        }
        XYSeries cap = chart.addSeries("learnable share", new double[] {0, o.budget() / 1000.0}, new double[] {learnable, learnable});
        cap.setLineColor(Color.BLACK);
        cap.setMarker(SeriesMarkers.NONE);
        cap.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DOT_DOT);
        md.append("\nEpisodes to x% of the learnable area: mean over the seeds that reached it (k/n when some did not). "
                + "Episode shares: where each episode was played, judged when it was played — only frontier episodes "
                + "(learnable, not yet mastered) teach anything.\n\n![Learning curves](learning_curves.png)\n");
        BitmapEncoder.saveBitmap(chart, dir.resolve("learning_curves.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.writeString(dir.resolve("report.md"), md.toString());
    }

    private static String reached(double[] v) {
        Metrics.MeanSd m = Metrics.meanSd(v);
        if (m.n() == 0) return "not reached";
        String s = String.format(Locale.ROOT, "%,.0f", m.mean());
        return m.n() < v.length ? s + " (" + m.n() + "/" + v.length + ")" : s;
    }
}
