package io.proxima.sim.report;

import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.Metrics;
import io.proxima.sim.run.RunResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The report's PNG plots (XChart): learning curves with their spread over seeds, the effective
 * ratio over the budget, the policy's entropy on the held-out prompts over the budget (a collapse
 * shows a policy gone confident everywhere), and the share of the budget per source over time (one
 * panel per teacher).
 */
public final class Plots {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;
    static final int PANEL_WIDTH = 500;
    static final int PANEL_HEIGHT = 320;
    /** Teacher colours, in order; the oracle is black, the baselines grey. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22)};
    private static final Color[] SOURCE_PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2),
            new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)};

    /** Points on each side of the centred moving average that smooths the share panels. */
    static final int SMOOTHING = 2;

    private Plots() {}

    /** Centred moving average over 2·half + 1 points (fewer at the ends). */
    static double[] smooth(double[] v, int half) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            double s = 0;
            int n = 0;
            for (int j = Math.max(0, k - half); j <= Math.min(v.length - 1, k + half); j++) {
                s += v[j];
                n++;
            }
            out[k] = s / n;
        }
        return out;
    }

    static Color colour(String teacher, int index) {
        return switch (teacher) {
            case "oracle" -> Color.BLACK;
            case "uniform" -> new Color(0x555555);
            case "random" -> new Color(0xaaaaaa);
            default -> PALETTE[index % PALETTE.length];
        };
    }

    /** Writes learning_curves.png, effective_ratio.png, entropy.png and group_shares.png into dir. */
    public static void write(Comparison c, Path dir) throws IOException {
        BitmapEncoder.saveBitmap(curves(c, "Held-out accuracy over the rollout budget (mean ± sd over seeds)", "held-out accuracy",
                RunResult::accuracy, true), dir.resolve("learning_curves.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(curves(c, "Effective ratio of generated groups (share with non-zero advantage), per window, mean over seeds",
                "effective ratio", RunResult::effective, false), dir.resolve("effective_ratio.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(curves(c, "Policy entropy on the held-out prompts (nats, mean ± sd over seeds)", "entropy (nats)",
                RunResult::entropy, true), dir.resolve("entropy.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        ImageIO.write(shares(c), "png", dir.resolve("group_shares.png").toFile());
    }

    static XYChart curves(Comparison c, String title, String yTitle, Function<RunResult, double[]> curve, boolean band) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("generated rollouts (thousands)").yAxisTitle(yTitle).build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double[] x = xs(c);
        for (int t = 0; t < c.teachers().size(); t++) {
            String name = c.teachers().get(t);
            double[][] m = c.meanSdCurve(t, curve);
            Color col = colour(name, t);
            double[] lo = new double[x.length], hi = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                lo[k] = m[0][k] - m[1][k];
                hi[k] = m[0][k] + m[1][k];
            }
            XYSeries s = meanWithBand(chart, name, x, clean(m[0]), lo, hi, col, band && c.options().seeds() > 1);
            s.setLineStyle(name.equals("random") ? SeriesLines.DASH_DASH : new BasicStroke(name.equals("oracle") ? 2.5f : 2f));
        }
        return chart;
    }

    /** A chart of the continuous and supervised reports: white, legend outside on the right. */
    static XYChart reportChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }

    /**
     * The mean over seeds of one teacher's curves, {@code ys[point][seed]} at {@code x[point]}, with a
     * ±sd band when there are several seeds.
     */
    static void meanOverSeeds(XYChart chart, String name, double[] x, double[][] ys, Color col) {
        int points = x.length;
        double[] mean = new double[points], lo = new double[points], hi = new double[points];
        for (int k = 0; k < points; k++) {
            Metrics.MeanSd m = Metrics.meanSd(ys[k]);
            mean[k] = m.mean();
            lo[k] = m.mean() - m.sd();
            hi[k] = m.mean() + m.sd();
        }
        meanWithBand(chart, name, x, mean, lo, hi, col, points > 0 && ys[0].length > 1);
    }

    /** A mean line in {@code col} and, with {@code band}, a translucent band from {@code lo} to {@code hi}; returns the line. */
    static XYSeries meanWithBand(XYChart chart, String name, double[] x, double[] mean, double[] lo, double[] hi, Color col, boolean band) {
        if (band) {
            int n = x.length;
            double[] bx = new double[2 * n];
            double[] by = new double[2 * n];
            for (int k = 0; k < n; k++) {
                bx[k] = x[k];
                by[k] = hi[k];
                bx[2 * n - 1 - k] = x[k];
                by[2 * n - 1 - k] = lo[k];
            }
            XYSeries b = chart.addSeries(name + " ±sd", bx, by);
            b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            b.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 50));
            b.setLineColor(new Color(0, 0, 0, 0));
            b.setMarker(SeriesMarkers.NONE);
            b.setShowInLegend(false);
        }
        XYSeries s = chart.addSeries(name, x, mean);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(col);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    static BufferedImage shares(Comparison c) {
        int teachers = c.teachers().size();
        int cols = 2;
        int rows = (teachers + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double[] x = xs(c);
        int sources = c.learner().sourceNames().size();
        for (int t = 0; t < teachers; t++) {
            XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                    .title(c.teachers().get(t) + ": share of rollouts per source").xAxisTitle("generated rollouts (thousands)").build();
            style(chart);
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setLegendVisible(t == 0);
            for (int s = 0; s < sources; s++) {
                final int src = s;
                double[][] m = c.meanSdCurve(t, r -> column(r.share(), src));
                XYSeries series = chart.addSeries(c.learner().sourceNames().get(s), x, smooth(clean(m[0]), SMOOTHING));
                series.setLineColor(SOURCE_PALETTE[s % SOURCE_PALETTE.length]);
                series.setMarker(SeriesMarkers.NONE);
            }
            BufferedImage panel = BitmapEncoder.getBufferedImage(chart);
            g.drawImage(panel, (t % cols) * PANEL_WIDTH, (t / cols) * PANEL_HEIGHT, null);
        }
        g.dispose();
        return img;
    }

    private static void style(XYChart chart) {
        org.knowm.xchart.style.XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xdddddd));
        st.setLegendBorderColor(new Color(0xcccccc));
        chart.getStyler().setXAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisDecimalPattern("0.00");
    }

    static double[] column(double[][] m, int j) {
        double[] out = new double[m.length];
        for (int k = 0; k < m.length; k++) out[k] = m[k][j];
        return out;
    }

    private static double[] xs(Comparison c) {
        double[] x = new double[c.options().evalPoints() + 1];
        for (int k = 0; k < x.length; k++) x[k] = c.options().x(k) / 1000.0;
        return x;
    }

    /** XChart rejects NaN: carry the nearest finite value (curves start with a window value). */
    private static double[] clean(double[] v) {
        double[] out = v.clone();
        double last = Double.NaN;
        for (int k = 0; k < out.length; k++) {
            if (Double.isFinite(out[k])) last = out[k];
            else out[k] = last;
        }
        for (int k = out.length - 1; k >= 0; k--) if (!Double.isFinite(out[k])) out[k] = k + 1 < out.length ? out[k + 1] : 0.0;
        return out;
    }
}
