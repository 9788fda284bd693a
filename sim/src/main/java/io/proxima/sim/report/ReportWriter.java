package io.proxima.sim.report;

import io.proxima.sim.learner.RolloutLearnerSpec;
import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.Metrics;
import io.proxima.sim.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes a comparison into a directory:
 * <pre>
 *   report.md            summary table (mean ± sd over seeds, ratios to uniform and to the oracle),
 *                        where the budget went, the plots, how to read them
 *   learning_curves.png  effective_ratio.png  entropy.png  group_shares.png
 *   curves.csv           every curve point of every run:
 *                        teacher,seed,point,rollouts,heldout_accuracy,pool_accuracy,effective_ratio,
 *                        trained_groups,tokens,entropy,share_&lt;source&gt;...
 *   summary.csv          one line per run: teacher,seed,final_accuracy,auc,rollouts_to_target,
 *                        effective_ratio,trained_effective_ratio,rollouts,groups,trained_groups,tokens,cost,steps,
 *                        truncated,gain_per_100k_rollouts,gain_per_1m_tokens,tokens_to_target
 * </pre>
 * The headline names the best teacher by final accuracy and, because teachers differ in what they
 * spend (filters pay for the groups they drop, token budgets cut rollouts), the cheapest per
 * generated rollout and per generated token: the fewest rollouts (tokens) to reach the target.
 */
public final class ReportWriter {
    /** Columns of curves.csv before the per-source shares. */
    public static final List<String> CURVE_COLUMNS = List.of("teacher", "seed", "point", "rollouts", "heldout_accuracy",
            "pool_accuracy", "effective_ratio", "trained_groups", "tokens", "entropy");
    public static final List<String> SUMMARY_COLUMNS = List.of("teacher", "seed", "final_accuracy", "auc", "rollouts_to_target",
            "effective_ratio", "trained_effective_ratio", "rollouts", "groups", "trained_groups", "tokens", "cost", "steps",
            "truncated", "gain_per_100k_rollouts", "gain_per_1m_tokens", "tokens_to_target");

    private ReportWriter() {}

    public static void write(Comparison c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("curves.csv"), curvesCsv(c));
        Files.writeString(dir.resolve("summary.csv"), summaryCsv(c));
        Plots.write(c, dir);
        Files.writeString(dir.resolve("report.md"), markdown(c));
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "NaN";
    }

    public static String curvesCsv(Comparison c) {
        StringBuilder b = new StringBuilder(String.join(",", CURVE_COLUMNS));
        for (String s : c.learner().sourceNames()) b.append(",share_").append(s);
        b.append('\n');
        for (List<RunResult> rs : c.runs()) {
            for (RunResult r : rs) {
                for (int k = 0; k < r.x().length; k++) {
                    b.append(r.teacher()).append(',').append(r.seed()).append(',').append(k).append(',').append(r.x()[k]).append(',')
                            .append(num(r.accuracy()[k])).append(',').append(num(r.poolAccuracy()[k])).append(',')
                            .append(num(r.effective()[k])).append(',').append(r.trained()[k]).append(',').append(r.tokens()[k])
                            .append(',').append(num(r.entropy()[k]));
                    for (double s : r.share()[k]) b.append(',').append(num(s));
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    public static String summaryCsv(Comparison c) {
        StringBuilder b = new StringBuilder(String.join(",", SUMMARY_COLUMNS)).append('\n');
        for (List<RunResult> rs : c.runs()) {
            for (RunResult r : rs) {
                b.append(r.teacher()).append(',').append(r.seed()).append(',').append(num(r.finalAccuracy())).append(',')
                        .append(num(Metrics.auc(r.x(), r.accuracy()))).append(',')
                        .append(num(Metrics.rolloutsToTarget(r.x(), r.accuracy(), c.target()))).append(',')
                        .append(num(r.effectiveRatio())).append(',').append(num(r.trainedEffectiveRatio())).append(',')
                        .append(r.rollouts()).append(',').append(r.groups()).append(',').append(r.trainedGroups()).append(',')
                        .append(r.totalTokens()).append(',').append(num(r.cost())).append(',').append(r.steps()).append(',')
                        .append(r.truncated()).append(',').append(num(gainPerRollout(r) * 1e5)).append(',')
                        .append(num(gainPerToken(r) * 1e6)).append(',')
                        .append(num(Metrics.tokensToTarget(r.tokens(), r.accuracy(), c.target()))).append('\n');
            }
        }
        return b.toString();
    }

    /** Held-out accuracy gained (final − start) per generated rollout. */
    static double gainPerRollout(RunResult r) {
        return r.rollouts() == 0 ? Double.NaN : (r.finalAccuracy() - r.accuracy()[0]) / r.rollouts();
    }

    /** Held-out accuracy gained (final − start) per generated token. */
    static double gainPerToken(RunResult r) {
        return r.totalTokens() == 0 ? Double.NaN : (r.finalAccuracy() - r.accuracy()[0]) / r.totalTokens();
    }

    /** Accuracy per unit of cost: per rollout, per token, and the truncated share (token budgets). */
    static String costs(Comparison c) {
        StringBuilder b = new StringBuilder("## Accuracy per rollout and per token (mean ± sd over seeds)\n\n"
                + "| teacher | gain per 100k rollouts | gain per 10M tokens | tokens per rollout | truncated rollouts | effective ratio |\n"
                + "|---|---|---|---|---|---|\n");
        for (int t = 0; t < c.teachers().size(); t++) {
            List<RunResult> rs = c.runs().get(t);
            int n = rs.size();
            double[] pr = new double[n], pt = new double[n], tpr = new double[n], tr = new double[n];
            for (int s = 0; s < n; s++) {
                RunResult r = rs.get(s);
                pr[s] = gainPerRollout(r) * 1e5;
                pt[s] = gainPerToken(r) * 1e7;
                tpr[s] = r.rollouts() == 0 ? Double.NaN : (double) r.totalTokens() / r.rollouts();
                tr[s] = r.rollouts() == 0 ? Double.NaN : (double) r.truncated() / r.rollouts();
            }
            b.append("| ").append(c.teachers().get(t)).append(" | ").append(Metrics.meanSd(pr).format("%.3f")).append(" | ")
                    .append(Metrics.meanSd(pt).format("%.4f")).append(" | ").append(Metrics.meanSd(tpr).format("%.0f")).append(" | ")
                    .append(Metrics.meanSd(tr).format("%.3f")).append(" | ").append(c.row(t).effective().format("%.3f")).append(" |\n");
        }
        b.append("\n*gain* = final − start held-out accuracy. A rollout longer than its `max_tokens` directive is cut there and "
                + "fails (reward 0); it counts `max_tokens` tokens.\n\n");
        return b.toString();
    }

    /**
     * A meta-teacher's member probabilities ({@code meta.<i>.<recipe>.probability}): at the end of
     * the run and averaged over its curve points, mean ± sd over seeds.
     */
    static String metaMembers(Comparison c) {
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < c.teachers().size(); t++) {
            List<RunResult> rs = c.runs().get(t);
            java.util.TreeMap<String, double[][]> probs = new java.util.TreeMap<>();
            for (int s = 0; s < rs.size(); s++) {
                for (java.util.Map.Entry<String, Double> e : rs.get(s).teacherStats().entrySet()) {
                    String k = e.getKey();
                    if (!k.startsWith("meta.")) continue;
                    boolean mean = k.endsWith(".probability" + io.proxima.sim.run.PromptRun.MEAN);
                    if (!mean && !k.endsWith(".probability")) continue;
                    String member = k.substring(5, k.indexOf(".probability"));
                    probs.computeIfAbsent(member, x -> new double[2][rs.size()])[mean ? 1 : 0][s] = e.getValue();
                }
            }
            if (probs.isEmpty()) continue;
            if (b.length() == 0) {
                b.append("## Meta-teacher: member probabilities (mean ± sd over seeds)\n\n"
                        + "| teacher | member | at the end | mean over the run |\n|---|---|---|---|\n");
            }
            for (java.util.Map.Entry<String, double[][]> e : probs.entrySet()) {
                b.append("| ").append(c.teachers().get(t)).append(" | ").append(e.getKey()).append(" | ")
                        .append(Metrics.meanSd(e.getValue()[0]).format("%.3f")).append(" | ")
                        .append(Metrics.meanSd(e.getValue()[1]).format("%.3f")).append(" |\n");
            }
        }
        return b.length() == 0 ? "" : b.append('\n').toString();
    }

    static String f(String pattern, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "—";
    }

    public static String markdown(Comparison c) {
        RolloutLearnerSpec l = c.learner();
        LabOptions o = c.options();
        int u = c.teacherIndex("uniform");
        int or = c.teacherIndex("oracle");
        Comparison.Row uni = c.row(u);
        Comparison.Row ora = or < 0 ? null : c.row(or);
        double start = startAccuracy(c);
        StringBuilder b = new StringBuilder();
        b.append("# Proxima lab: ").append(l.name()).append("\n\n");
        if (!l.description().isEmpty()) b.append(l.description()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%,d prompts in %d sources, %,d held-out prompts; budget %,d generated rollouts per run; "
                        + "%d prompts × %d rollouts per step (up to %d generation rounds per step when a filter drops groups); "
                        + "%d seeds (%d–%d); %.1f s.%n%n", l.poolSize(), l.sourceNames().size(), l.heldOut(), o.budget(), o.batch(), o.rollouts(),
                o.maxRounds(), o.seeds(), o.firstSeed(), o.firstSeed() + o.seeds() - 1, c.seconds()));
        b.append(String.format(Locale.ROOT, "Held-out accuracy at the start: %.3f. Target for \"rollouts to target\": %.3f%s.%n%n",
                start, c.target(), Double.isNaN(o.target()) ? " (start + 90% of uniform's mean gain)" : ""));

        b.append(headline(c, start)).append("\n\n");
        b.append("## Summary (mean ± sd over seeds)\n\n");
        b.append("| teacher | held-out acc. | gain × uniform | gain × oracle | AUC | rollouts to target | speed-up vs uniform "
                + "| tokens to target (M) | token speed-up vs uniform "
                + "| effective ratio (generated) | effective ratio (trained) | groups trained | tokens (M) | memorisation gap |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        ToTarget uTokens = tokensToTarget(c, u);
        for (int t = 0; t < c.teachers().size(); t++) {
            Comparison.Row r = c.row(t);
            double gain = r.finalAccuracy().mean() - start;
            double uGain = uni.finalAccuracy().mean() - start;
            double oGain = ora == null ? Double.NaN : ora.finalAccuracy().mean() - start;
            double speed = uni.toTarget().mean() / r.toTarget().mean();
            b.append("| ").append(r.teacher())
                    .append(" | ").append(r.finalAccuracy().format("%.3f"))
                    .append(" | ").append(f("%.2f", gain / uGain))
                    .append(" | ").append(f("%.2f", gain / oGain))
                    .append(" | ").append(r.auc().format("%.3f"))
                    .append(" | ").append(r.reached() == 0 ? "not reached" : String.format(Locale.ROOT, "%,.0f", r.toTarget().mean())
                            + (r.reached() < o.seeds() ? " (" + r.reached() + "/" + o.seeds() + " seeds)" : ""))
                    .append(" | ").append(r.reached() == 0 || uni.reached() == 0 ? "—" : f("%.2f×", speed))
                    .append(" | ").append(tokensCell(tokensToTarget(c, t), o.seeds()))
                    .append(" | ").append(tokensToTarget(c, t).reached() == 0 || uTokens.reached() == 0 ? "—"
                            : f("%.2f×", uTokens.mean() / tokensToTarget(c, t).mean()))
                    .append(" | ").append(r.effective().format("%.3f"))
                    .append(" | ").append(r.trainedEffective().format("%.3f"))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.trainedGroups().mean()))
                    .append(" | ").append(f("%.1f", r.tokens().mean() / 1e6))
                    .append(" | ").append(r.memorisationGap().format("%.3f")).append(" |\n");
        }
        b.append("\n*gain* = final − start held-out accuracy, as a ratio of uniform's (resp. the oracle's) mean gain. "
                + "*AUC* = mean held-out accuracy over the budget. *Speed-up* = uniform's rollouts to target / the teacher's (seeds that reached it); "
                + "*tokens to target* and *token speed-up* read the same first crossing on the tokens generated so far. "
                + "*Effective ratio* = share of groups whose rewards are not all equal, among generated groups and among the groups trained on "
                + "(filters drop the others after paying for them). *Memorisation gap* = accuracy on the training pool (memorisation included) − held-out accuracy.\n\n");

        b.append(costs(c));
        b.append(metaMembers(c));

        b.append("## Where the budget went (share of generated rollouts per source, whole run, mean over seeds)\n\n");
        b.append(perSource(c, Comparison.Row::sourceShare));
        b.append("\n## Final held-out accuracy per source (mean over seeds)\n\n");
        b.append(perSource(c, Comparison.Row::sourceAccuracy));
        b.append('\n').append(l.sourceTable());
        b.append("\n## Plots\n\n");
        b.append("![Held-out accuracy](learning_curves.png)\n\n![Effective ratio](effective_ratio.png)\n\n"
                + "![Policy entropy](entropy.png)\n\n![Share of rollouts per source](group_shares.png)\n\n");
        b.append("## Files\n\n- `curves.csv`: every curve point of every run (").append(String.join(", ", CURVE_COLUMNS))
                .append(", share_<source>…); shares and effective ratio cover the window since the previous point; entropy is the mean "
                        + "entropy (nats) of the policy on the held-out prompts at the point.\n")
                .append("- `summary.csv`: one line per run (").append(String.join(", ", SUMMARY_COLUMNS)).append(").\n");
        return b.toString();
    }

    /** One paragraph: the best teacher against uniform and the oracle, and who falls below uniform. */
    /** A table of one number per teacher (rows) and source (columns), {@code value} giving a row's numbers in source order. */
    static String perSource(Comparison c, Function<Comparison.Row, double[]> value) {
        StringBuilder b = new StringBuilder("| teacher |");
        for (String s : c.learner().sourceNames()) b.append(' ').append(s).append(" |");
        b.append("\n|---|");
        for (int s = 0; s < c.learner().sourceNames().size(); s++) b.append("---|");
        b.append('\n');
        for (int t = 0; t < c.teachers().size(); t++) {
            Comparison.Row r = c.row(t);
            b.append("| ").append(r.teacher()).append(" |");
            for (double v : value.apply(r)) b.append(' ').append(f("%.3f", v)).append(" |");
            b.append('\n');
        }
        return b.toString();
    }

    static String headline(Comparison c, double start) {
        int u = c.teacherIndex("uniform");
        int or = c.teacherIndex("oracle");
        double uGain = c.row(u).finalAccuracy().mean() - start;
        int best = -1;
        double bestAcc = Double.NEGATIVE_INFINITY;
        StringBuilder below = new StringBuilder();
        for (int t = 0; t < c.teachers().size(); t++) {
            if (t == or || t == u) continue;
            Comparison.Row r = c.row(t);
            double acc = r.finalAccuracy().mean();
            if (acc > bestAcc) {
                bestAcc = acc;
                best = t;
            }
            // Below uniform by more than the seeds' spread of the difference of means (2 standard errors).
            double se = Math.sqrt((sq(r.finalAccuracy().sd()) + sq(c.row(u).finalAccuracy().sd())) / Math.max(1, r.finalAccuracy().n()));
            if (acc < c.row(u).finalAccuracy().mean() - 2 * se) {
                below.append(below.length() == 0 ? "" : ", ").append(r.teacher())
                        .append(String.format(Locale.ROOT, " (gain ×%.2f)", (acc - start) / uGain));
            }
        }
        StringBuilder b = new StringBuilder("**Headline.** ");
        if (best >= 0) {
            Comparison.Row r = c.row(best);
            double uAcc = c.row(u).finalAccuracy().mean();
            // The best is searched among the other teachers; say so when none of them beats the walk itself.
            String lead = r.finalAccuracy().mean() >= uAcc ? String.format(Locale.ROOT, "Best final accuracy: **%s**", r.teacher())
                    : String.format(Locale.ROOT, "Best final accuracy: **uniform** (no teacher beats it); the next is **%s**", r.teacher());
            b.append(String.format(Locale.ROOT, "%s, held-out accuracy %.3f vs uniform's %.3f (gain ×%.2f of uniform's)",
                    lead, r.finalAccuracy().mean(), uAcc, (r.finalAccuracy().mean() - start) / uGain));
            if (or >= 0) {
                double oGain = c.row(or).finalAccuracy().mean() - start;
                b.append(String.format(Locale.ROOT, ", %.0f%% of the oracle's gain (oracle %.3f; uniform gets %.0f%%)",
                        100 * (r.finalAccuracy().mean() - start) / oGain, c.row(or).finalAccuracy().mean(), 100 * uGain / oGain));
            }
            b.append(". ");
        }
        b.append(cheapest(c, start)).append(' ');
        b.append(below.length() == 0 ? "No teacher ends clearly below uniform." : "Clearly below uniform (by more than 2 standard errors): " + below + ".");
        return b.toString();
    }

    /** Rollouts (or tokens) to target of one teacher: mean over the seeds that reached the target, and how many did. */
    record ToTarget(double mean, int reached) {}

    static ToTarget rolloutsToTarget(Comparison c, int t) {
        return toTarget(c, t, r -> Metrics.rolloutsToTarget(r.x(), r.accuracy(), c.target()));
    }

    static ToTarget tokensToTarget(Comparison c, int t) {
        return toTarget(c, t, r -> Metrics.tokensToTarget(r.tokens(), r.accuracy(), c.target()));
    }

    private static ToTarget toTarget(Comparison c, int t, java.util.function.ToDoubleFunction<RunResult> at) {
        List<RunResult> rs = c.runs().get(t);
        double[] v = new double[rs.size()];
        for (int s = 0; s < v.length; s++) v[s] = at.applyAsDouble(rs.get(s));
        Metrics.MeanSd m = Metrics.meanSd(v);
        return new ToTarget(m.mean(), m.n());
    }

    private static String tokensCell(ToTarget t, int seeds) {
        if (t.reached() == 0) return "not reached";
        return f("%.2f", t.mean() / 1e6) + (t.reached() < seeds ? " (" + t.reached() + "/" + seeds + " seeds)" : "");
    }

    /**
     * The teacher (the oracle aside) that reaches the target soonest: the most seeds reaching it
     * first, then the fewest rollouts (tokens) on the seeds that did; -1 when none reaches it.
     */
    static int soonest(Comparison c, java.util.function.IntFunction<ToTarget> cost) {
        int best = -1;
        ToTarget b = null;
        for (int t = 0; t < c.teachers().size(); t++) {
            if (c.teachers().get(t).equals("oracle")) continue;
            ToTarget x = cost.apply(t);
            if (x.reached() == 0) continue;
            if (b == null || x.reached() > b.reached() || (x.reached() == b.reached() && x.mean() < b.mean())) {
                best = t;
                b = x;
            }
        }
        return best;
    }

    /** The teacher (the oracle aside) with the highest mean of {@code value} over its seeds, -1 if none is finite. */
    static int highest(Comparison c, java.util.function.ToDoubleFunction<RunResult> value) {
        int best = -1;
        double bv = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < c.teachers().size(); t++) {
            if (c.teachers().get(t).equals("oracle")) continue;
            double[] v = c.runs().get(t).stream().mapToDouble(value).toArray();
            double m = Metrics.meanSd(v).mean();
            if (Double.isFinite(m) && m > bv) {
                bv = m;
                best = t;
            }
        }
        return best;
    }

    /**
     * Which teacher is cheapest per generated rollout and per generated token: the fewest to reach
     * the target, against uniform's; when no teacher reaches it, the largest gain per 100k
     * rollouts (per 1M tokens).
     */
    static String cheapest(Comparison c, double start) {
        int u = c.teacherIndex("uniform");
        int seeds = c.options().seeds();
        StringBuilder b = new StringBuilder();
        String[] unit = {"generated rollout", "token"};
        for (int k = 0; k < 2; k++) {
            boolean tokens = k == 1;
            if (tokens && c.runs().stream().flatMap(List::stream).allMatch(r -> r.totalTokens() == 0)) continue;
            java.util.function.IntFunction<ToTarget> cost = t -> tokens ? tokensToTarget(c, t) : rolloutsToTarget(c, t);
            int best = soonest(c, cost);
            if (best < 0) {
                java.util.function.ToDoubleFunction<RunResult> gain = tokens ? r -> gainPerToken(r) * 1e6 : r -> gainPerRollout(r) * 1e5;
                int g = highest(c, gain);
                if (g < 0) continue;
                String per = tokens ? "1M tokens" : "100k generated rollouts";
                b.append(String.format(Locale.ROOT, "Per %s: no teacher reaches the target; the largest gain is **%s**'s, %+.3f held-out "
                                + "accuracy per %s (uniform %+.3f). ", unit[k], c.teachers().get(g),
                        Metrics.meanSd(c.runs().get(g).stream().mapToDouble(gain).toArray()).mean(), per,
                        Metrics.meanSd(c.runs().get(u).stream().mapToDouble(gain).toArray()).mean()));
                continue;
            }
            ToTarget t = cost.apply(best);
            ToTarget uni = cost.apply(u);
            String amount = tokens ? String.format(Locale.ROOT, "%.2fM tokens", t.mean() / 1e6) : String.format(Locale.ROOT, "%,.0f generated rollouts", t.mean());
            b.append(String.format(Locale.ROOT, "Cheapest per %s: **%s**, the target in %s", unit[k], c.teachers().get(best), amount));
            if (t.reached() < seeds) b.append(String.format(Locale.ROOT, " (%d/%d seeds)", t.reached(), seeds));
            if (best == u) {
                b.append(" — no teacher reaches it sooner than uniform");
            } else if (uni.reached() > 0) {
                b.append(String.format(Locale.ROOT, ", %.2f× uniform's %s", t.mean() / uni.mean(),
                        tokens ? String.format(Locale.ROOT, "%.2fM", uni.mean() / 1e6) : String.format(Locale.ROOT, "%,.0f", uni.mean())));
                if (uni.reached() < seeds) b.append(String.format(Locale.ROOT, " (%d/%d seeds)", uni.reached(), seeds));
            } else {
                b.append("; uniform does not reach it");
            }
            b.append(". ");
        }
        return b.toString().trim();
    }

    private static double sq(double x) {
        return x * x;
    }

    static double startAccuracy(Comparison c) {
        double s = 0;
        int n = 0;
        for (List<RunResult> rs : c.runs()) {
            for (RunResult r : rs) {
                s += r.accuracy()[0];
                n++;
            }
        }
        return s / n;
    }
}
