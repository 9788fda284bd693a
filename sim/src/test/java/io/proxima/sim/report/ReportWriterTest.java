package io.proxima.sim.report;

import io.proxima.sim.learner.LearnerFiles;
import io.proxima.sim.run.Comparison;
import io.proxima.sim.run.Lab;
import io.proxima.sim.run.LabOptions;
import io.proxima.sim.teach.TeacherSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {
    @Test
    void reportFilesExistAndParse(@TempDir Path dir) throws Exception {
        var spec = LearnerFiles.read(Path.of("..", "examples", "lab", "tiny.json")).prompts();
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
        assertThat(md).contains("gain × uniform", "gain × oracle", "learning_curves.png", "**Headline.** Best teacher:",
                "Final held-out accuracy per source");

        for (String png : List.of("learning_curves.png", "effective_ratio.png", "group_shares.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isGreaterThanOrEqualTo(500);
        }
    }
}
