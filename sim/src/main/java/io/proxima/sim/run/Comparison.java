package io.proxima.sim.run;

import io.proxima.sim.learner.RolloutLearnerSpec;

import java.util.List;

/**
 * The result of a comparison: every run of every teacher, in the order asked (teachers, then
 * seeds), and the summary metrics derived from them.
 *
 * @param learner the learner's description
 * @param options how it ran
 * @param teachers teacher names, in order
 * @param runs {@code runs.get(t).get(s)}: teacher t, seed s
 * @param target the held-out accuracy used for "rollouts to target"
 * @param seconds wall-clock time of the runs
 */
public record Comparison(RolloutLearnerSpec learner, LabOptions options, List<String> teachers, List<List<RunResult>> runs,
                         double target, double seconds) {

    public int teacherIndex(String name) {
        return teachers.indexOf(name);
    }

    /** One summary row per teacher. */
    public record Row(String teacher, Metrics.MeanSd finalAccuracy, Metrics.MeanSd auc, Metrics.MeanSd toTarget, int reached,
                      Metrics.MeanSd effective, Metrics.MeanSd trainedEffective, Metrics.MeanSd trainedGroups,
                      Metrics.MeanSd tokens, Metrics.MeanSd cost, Metrics.MeanSd memorisationGap, double[] sourceShare,
                      double[] sourceAccuracy) {}

    public Row row(int t) {
        List<RunResult> rs = runs.get(t);
        int n = rs.size();
        double[] fin = new double[n], auc = new double[n], tt = new double[n], eff = new double[n], teff = new double[n],
                tg = new double[n], tok = new double[n], cost = new double[n], gap = new double[n];
        int sources = learner.sourceNames().size();
        double[] share = new double[sources];
        double[] sourceAcc = new double[sources];
        int reached = 0;
        for (int s = 0; s < n; s++) {
            RunResult r = rs.get(s);
            fin[s] = r.finalAccuracy();
            auc[s] = Metrics.auc(r.x(), r.accuracy());
            tt[s] = Metrics.rolloutsToTarget(r.x(), r.accuracy(), target);
            if (!Double.isNaN(tt[s])) reached++;
            eff[s] = r.effectiveRatio();
            teff[s] = r.trainedEffectiveRatio();
            tg[s] = r.trainedGroups();
            tok[s] = r.totalTokens();
            cost[s] = r.cost();
            gap[s] = r.poolAccuracy()[r.poolAccuracy().length - 1] - r.finalAccuracy();
            for (int g = 0; g < sources; g++) {
                share[g] += (double) r.sourceRollouts()[g] / Math.max(1, r.rollouts()) / n;
                sourceAcc[g] += r.sourceAccuracy()[g] / n;
            }
        }
        return new Row(teachers.get(t), Metrics.meanSd(fin), Metrics.meanSd(auc), Metrics.meanSd(tt), reached,
                Metrics.meanSd(eff), Metrics.meanSd(teff), Metrics.meanSd(tg), Metrics.meanSd(tok), Metrics.meanSd(cost),
                Metrics.meanSd(gap), share, sourceAcc);
    }

    /** Mean over seeds of a curve of teacher t, point by point. */
    public double[][] meanSdCurve(int t, java.util.function.Function<RunResult, double[]> curve) {
        List<RunResult> rs = runs.get(t);
        int points = options.evalPoints() + 1;
        double[][] out = new double[2][points];
        double[] v = new double[rs.size()];
        for (int k = 0; k < points; k++) {
            for (int s = 0; s < rs.size(); s++) v[s] = curve.apply(rs.get(s))[k];
            Metrics.MeanSd m = Metrics.meanSd(v);
            out[0][k] = m.mean();
            out[1][k] = m.sd();
        }
        return out;
    }
}
