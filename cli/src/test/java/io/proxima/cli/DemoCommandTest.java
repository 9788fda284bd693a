package io.proxima.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    /** A row of the closing table: teacher, generated rollouts, steps, groups trained, effective ratio, true accuracy. */
    record Row(String teacher, long generated, int steps, long trained, double effective, double accuracy) {}

    static List<Row> table(String out) {
        List<String> lines = out.lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("At equal generated rollouts")) at = i;
        assertThat(at).as("the closing table is printed").isPositive();
        assertThat(lines.get(at + 1)).contains("generated rollouts", "steps", "groups trained", "true accuracy");
        return lines.subList(at + 2, lines.size()).stream().filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.trim().split("\\s+");
            return new Row(f[0], Long.parseLong(f[1].replace(",", "")), Integer.parseInt(f[2]), Long.parseLong(f[3].replace(",", "")),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        }).toList();
    }

    /**
     * A filtering teacher and the baseline both stop at the default budget, uniform's 40 steps × 16 tasks × 8 rollouts:
     * the filter pays for the groups it drops, so it trains on fewer groups in fewer steps.
     */
    @ParameterizedTest
    @ValueSource(strings = {"odf", "dapo"})
    void filteringTeachersStopAtTheBaselinesGeneratedRollouts(String recipe) {
        SimulateCommandTest.Result r = SimulateCommandTest.run("demo", "--recipe", recipe, "--steps", "40", "--batch", "16", "--every", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("budget 5,120 generated rollouts per teacher");
        List<Row> rows = table(r.out());
        assertThat(rows).extracting(Row::teacher).containsExactly(recipe, "uniform");
        Row teacher = rows.get(0), uniform = rows.get(1);
        assertThat(teacher.generated()).isEqualTo(5_120);
        assertThat(uniform.generated()).isEqualTo(5_120);
        assertThat(uniform.steps()).isEqualTo(40);
        assertThat(uniform.trained()).isEqualTo(40 * 16);
        assertThat(teacher.trained()).isLessThan(uniform.trained()); // groups dropped after generation are paid for, not trained on
        assertThat(teacher.steps()).isLessThan(uniform.steps());
        for (Row row : rows) assertThat(row.accuracy()).isBetween(0.0, 1.0);
    }

    /** A teacher that keeps every group spends the budget in the same steps as uniform; an explicit --budget that is not a whole step ends mid-step. */
    @Test
    void anExplicitBudgetIsSpentExactly() {
        SimulateCommandTest.Result r = SimulateCommandTest.run("demo", "--recipe", "sec", "--budget", "1000", "--batch", "8", "--every", "1");
        assertThat(r.code()).as(r.err()).isZero();
        List<Row> rows = table(r.out());
        assertThat(rows).extracting(Row::generated).containsExactly(1_000L, 1_000L);
        // 1000 rollouts = 15 full steps of 8 × 8 and a last step of 5 tasks
        assertThat(rows).extracting(Row::steps).containsExactly(16, 16);
        assertThat(rows).extracting(Row::trained).containsExactly(125L, 125L);
        List<String> steps = r.out().lines().filter(l -> l.matches("\\s*\\d+ \\|.*")).toList();
        assertThat(steps).hasSize(16);
        assertThat(steps.get(15)).endsWith("1,000");
    }

    @Test
    void aConfigFileIsComparedWithTheSameGroupSizeAndBudget(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("odf4.json");
        Files.writeString(cfg, "{\"recipe\": \"odf\", \"seed\": 3, \"rollouts\": 4}");
        SimulateCommandTest.Result r = SimulateCommandTest.run("demo", "--config", cfg.toString(), "--steps", "10", "--batch", "8", "--every", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("× 4 rollouts", "budget 320 generated rollouts");
        assertThat(table(r.out())).extracting(Row::generated).containsExactly(320L, 320L);
    }

    @Test
    void uniformAloneHasNoBaselineRow() {
        SimulateCommandTest.Result r = SimulateCommandTest.run("demo", "--recipe", "uniform", "--steps", "5", "--every", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(table(r.out())).extracting(Row::teacher).containsExactly("uniform");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        for (String[] args : new String[][] {
                {"demo", "--budget", "0"},
                {"demo", "--steps", "0"},
                {"demo", "--batch", "2000"},
                {"demo", "--recipe", "nope"}}) {
            SimulateCommandTest.Result r = SimulateCommandTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isNotZero();
            assertThat(r.err().lines().toList()).hasSize(1);
            assertThat(r.err()).startsWith("proxima: ");
        }
        assertThat(SimulateCommandTest.run("demo", "--budget", "-5").err()).contains("--budget must be >= 1");
    }
}
