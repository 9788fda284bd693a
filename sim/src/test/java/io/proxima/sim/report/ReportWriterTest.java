package io.proxima.sim.report;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.learner.PromptLearnerSpec;
import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.Lab;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.run.RunResult;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {
    static final PromptLearnerSpec TINY = LearnerFiles.read(Path.of("..", "examples", "lab", "tiny.json")).prompts();

    /**
     * A run by hand: accuracy 0.1 at the start, rising by {@code slope} per point (capped at 1), over 10 points of 1,000
     * rollouts each; {@code tokensPerRollout} tokens per rollout.
     */
    static RunResult run(String teacher, long seed, double slope, long tokensPerRollout) {
        int points = 11;
        long[] x = new long[points], trained = new long[points], tokens = new long[points];
        double[] acc = new double[points], pool = new double[points], eff = new double[points], ent = new double[points];
        double[][] share = new double[points][2];
        for (int k = 0; k < points; k++) {
            x[k] = 1_000L * k;
            tokens[k] = x[k] * tokensPerRollout;
            acc[k] = Math.min(1, 0.1 + slope * k);
            pool[k] = acc[k];
            eff[k] = 0.5;
            ent[k] = 0.69 - 0.05 * k;
            share[k] = new double[]{0.5, 0.5};
        }
        return new RunResult(teacher, seed, x, acc, pool, eff, ent, trained, tokens, share, 10_000, 1_250, 600, 1_250, 600,
                tokens[points - 1], 10_000, 40, new long[]{5_000, 5_000}, new double[]{acc[points - 1], acc[points - 1]}, 0, Map.of());
    }

    static Comparison comparison(double target, List<String> teachers, List<List<RunResult>> runs) {
        LabOptions o = new LabOptions(10_000, 16, 8, 10, 10, runs.get(0).size(), 1, 1, target);
        return new Comparison(TINY, o, teachers, runs, target, 1.0);
    }

    /**
     * Worked by hand, target 0.5: uniform (+0.05 per point) reaches it at point 8 = 8,000 rollouts; "fast" (+0.1) at point 4 =
     * 4,000 rollouts but spends 1,000 tokens per rollout (4.0M tokens); "lean" (+0.08) at point 5 = 5,000 rollouts and 300
     * tokens per rollout (1.5M tokens, against uniform's 8,000 × 500 = 4.0M). So "fast" is cheapest per rollout (0.50×),
     * "lean" per token (0.38×), and the best final accuracy is "fast"'s 1.0 (capped) — three different answers.
     */
    @Test
    void headlineNamesTheCheapestPerRolloutAndPerTokenWorkedByHand() {
        Comparison c = comparison(0.5, List.of("uniform", "fast", "lean", "oracle"), List.of(
                List.of(run("uniform", 1, 0.05, 500)), List.of(run("fast", 1, 0.1, 1_000)), List.of(run("lean", 1, 0.08, 300)),
                List.of(run("oracle", 1, 0.3, 100))));
        String h = ReportWriter.headline(c, 0.1);
        assertThat(h).contains("Best final accuracy: **fast**");
        assertThat(h).contains("Cheapest per generated rollout: **fast**, the target in 4,000 generated rollouts, 0.50× uniform's 8,000.");
        assertThat(h).contains("Cheapest per token: **lean**, the target in 1.50M tokens, 0.38× uniform's 4.00M.");
        assertThat(h).doesNotContain("**oracle**"); // the ceiling reads the true state: never named the cheapest
        String md = ReportWriter.markdown(c);
        String lean = md.lines().filter(l -> l.startsWith("| lean |")).findFirst().orElseThrow();
        assertThat(lean).contains("| 5,000 | 1.60× | 1.50 | 2.67× |");
    }

    /** A teacher that reaches the target on more seeds wins over a faster one that misses it on some; none reaching it falls back to gain per cost. */
    @Test
    void reachingOnMoreSeedsComesFirstAndNoneReachingFallsBackToGain() {
        Comparison c = comparison(0.5, List.of("uniform", "flaky", "steady"), List.of(
                List.of(run("uniform", 1, 0.05, 500), run("uniform", 2, 0.05, 500)),
                List.of(run("flaky", 1, 0.2, 500), run("flaky", 2, 0.01, 500)),
                List.of(run("steady", 1, 0.06, 500), run("steady", 2, 0.06, 500))));
        assertThat(ReportWriter.cheapest(c, 0.1)).contains("Cheapest per generated rollout: **steady**, the target in 7,000 generated rollouts");
        Comparison none = comparison(0.95, List.of("uniform", "slow", "slower"), List.of(
                List.of(run("uniform", 1, 0.03, 500)), List.of(run("slow", 1, 0.05, 500)), List.of(run("slower", 1, 0.01, 500))));
        // slow: final 0.6, gain 0.5 over 10,000 rollouts = +5.000 per 100k; uniform: gain 0.3 = +3.000
        assertThat(ReportWriter.cheapest(none, 0.1)).contains(
                "Per generated rollout: no teacher reaches the target; the largest gain is **slow**'s, +5.000 held-out accuracy per "
                        + "100k generated rollouts (uniform +3.000).");
        // uniform itself the cheapest
        Comparison flat = comparison(0.5, List.of("uniform", "worse"), List.of(
                List.of(run("uniform", 1, 0.05, 500)), List.of(run("worse", 1, 0.04, 500))));
        assertThat(ReportWriter.headline(flat, 0.1)).startsWith("**Headline.** Best final accuracy: **uniform** (no teacher beats it); "
                + "the next is **worse**, held-out accuracy 0.500 vs uniform's 0.600 (gain ×0.80 of uniform's).");
        assertThat(ReportWriter.cheapest(flat, 0.1)).contains("Cheapest per generated rollout: **uniform**, the target in 8,000 generated rollouts "
                + "— no teacher reaches it sooner than uniform.");
    }

    @Test
    void reportFilesExistAndParse(@TempDir Path dir) throws Exception {
        var spec = TINY;
        LabOptions o = new LabOptions(3_000, 16, 8, 10, 10, 2, 1, 2, Double.NaN);
        Comparison c = Lab.compare(spec, List.of(TeacherSpec.named("sec"), TeacherSpec.oracle()), o, null);
        ReportWriter.write(c, dir);

        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        List<String> header = List.of(curves.get(0).split(","));
        assertThat(header).startsWith(ReportWriter.CURVE_COLUMNS.toArray(String[]::new)).endsWith("share_easy", "share_hard");
        assertThat(curves).hasSize(1 + 4 * 2 * 11);
        for (String line : curves.subList(1, curves.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(header.size());
            for (int k = 1; k < f.length; k++) Double.parseDouble(f[k]);
        }
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(summary.get(0)).isEqualTo(String.join(",", ReportWriter.SUMMARY_COLUMNS));
        assertThat(summary).hasSize(1 + 4 * 2);

        String md = Files.readString(dir.resolve("report.md"));
        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && l.contains(" ± ")).toList();
        for (String t : List.of("uniform", "random", "sec", "oracle")) {
            assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| " + t + " |"));
        }
        String tableHeader = md.lines().filter(l -> l.startsWith("| teacher | held-out acc.")).findFirst().orElseThrow();
        long columns = tableHeader.chars().filter(ch -> ch == '|').count();
        assertThat(rows.get(0).chars().filter(ch -> ch == '|').count()).isEqualTo(columns);
        assertThat(md).contains("gain × uniform", "gain × oracle", "learning_curves.png", "**Headline.** Best final accuracy:",
                "Final held-out accuracy per source", "Cheapest per generated rollout: **", "Cheapest per token: **", "entropy.png",
                "tokens to target (M)");
        assertThat(header).contains("entropy");
        int entropy = header.indexOf("entropy");
        for (String line : curves.subList(1, curves.size())) {
            double h = Double.parseDouble(line.split(",")[entropy]);
            assertThat(h).isBetween(0.0, Math.log(2)); // the simulated learner's policy is a coin per prompt: at most ln 2 nats
        }
        assertThat(summary.get(0)).endsWith(",tokens_to_target");

        for (String png : List.of("learning_curves.png", "effective_ratio.png", "entropy.png", "group_shares.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isGreaterThanOrEqualTo(500);
        }
    }
}
