package io.proxima.sim.report;

import io.proxima.sim.learner.ContinuousLearnerSpec;
import io.proxima.sim.run.ContinuousRun;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.Metrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report of a continuous-learner run: report.md, curves.csv (teacher,seed,point,episodes,mastery), mastery.png. */
public final class ContinuousReport {
    private ContinuousReport() {}

    public static void write(ContinuousLearnerSpec spec, LabOptions o, List<ContinuousRun.Curve> curves, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("teacher,seed,point,episodes,mastery\n");
        Map<String, List<ContinuousRun.Curve>> by = new LinkedHashMap<>();
        for (ContinuousRun.Curve c : curves) {
            by.computeIfAbsent(c.teacher(), k -> new ArrayList<>()).add(c);
            for (int k = 0; k < c.x().length; k++) {
                csv.append(c.teacher()).append(',').append(c.seed()).append(',').append(k).append(',').append(c.x()[k]).append(',')
                        .append(ReportWriter.num(c.mastery()[k])).append('\n');
            }
        }
        Files.writeString(dir.resolve("curves.csv"), csv.toString());
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).title("Mastery of the test grid (mean over seeds)")
                .xAxisTitle("episodes").yAxisTitle("mastered share").build();
        StringBuilder md = new StringBuilder("# Proxima lab: ").append(spec.name()).append(" (continuous)\n\n");
        if (!spec.description().isEmpty()) md.append(spec.description()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d parameters, %d cells per parameter; budget %,d episodes, %d seeds.%n%n",
                spec.dims(), spec.cells(), o.budget(), o.seeds()));
        md.append("| teacher | final mastery | AUC |\n|---|---|---|\n");
        int i = 0;
        for (Map.Entry<String, List<ContinuousRun.Curve>> e : by.entrySet()) {
            List<ContinuousRun.Curve> cs = e.getValue();
            double[] fin = new double[cs.size()];
            double[] auc = new double[cs.size()];
            int points = cs.get(0).x().length;
            double[] mean = new double[points];
            double[] xs = new double[points];
            for (int s = 0; s < cs.size(); s++) {
                ContinuousRun.Curve c = cs.get(s);
                fin[s] = c.mastery()[points - 1];
                auc[s] = Metrics.auc(c.x(), c.mastery());
                for (int k = 0; k < points; k++) {
                    mean[k] += c.mastery()[k] / cs.size();
                    xs[k] = c.x()[k];
                }
            }
            md.append("| ").append(e.getKey()).append(" | ").append(Metrics.meanSd(fin).format("%.3f")).append(" | ")
                    .append(Metrics.meanSd(auc).format("%.3f")).append(" |\n");
            XYSeries s = chart.addSeries(e.getKey(), xs, mean);
            s.setLineColor(Plots.colour(e.getKey(), i++));
            s.setMarker(SeriesMarkers.NONE);
        }
        md.append("\n![Mastery](mastery.png)\n\nTeachers of the ALP-GMM family for this learner come with a later issue.\n");
        BitmapEncoder.saveBitmap(chart, dir.resolve("mastery.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.writeString(dir.resolve("report.md"), md.toString());
    }
}
