package io.proxima.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {
    static final String TINY = Path.of("..", "examples", "lab", "tiny.json").toString();

    static final String BOX50 = Path.of("..", "examples", "lab", "box-50.json").toString();

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ProximaCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void writesAReport(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("sec-hot.json");
        Files.writeString(cfg, "{\"recipe\": \"sec\", \"groupPolicy\": {\"tau\": 0.2}}");
        Result r = run("simulate", "--learner", TINY, "--teachers", "sec,oracle", "--config", "sec-hot=" + cfg, "--seeds", "2",
                "--budget", "2000", "--points", "10", "--out", dir.resolve("rep").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("simulate: 10/10 runs done");
        assertThat(r.out()).contains("uniform", "random", "sec-hot", "oracle", "report.md");
        assertThat(Files.readString(dir.resolve("rep/report.md"))).contains("| sec-hot |");
        assertThat(dir.resolve("rep/curves.csv")).exists();
    }

    @Test
    void continuousLearnersRunTheContinuousTeachers(@TempDir Path dir) throws Exception {
        Result r = run("simulate", "--learner", BOX50, "--teachers", "random,alp-gmm,covar-gmm,riac",
                "--seeds", "1", "--budget", "600", "--points", "5", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| alp-gmm |", "| covar-gmm |", "| riac |", "| random |");
        assertThat(dir.resolve("learning_curves.png")).exists();
        assertThat(Files.readAllLines(dir.resolve("summary.csv"))).hasSize(5);
    }

    @Test
    void theToyEnvironmentRunsTheContinuousTeachersAndPrintsMasteredPercent(@TempDir Path dir) throws Exception {
        Result r = run("simulate", "--learner", Path.of("..", "examples", "lab", "toy-2d-useless10.json").toString(),
                "--teachers", "random,riac", "--seeds", "2", "--budget", "640", "--points", "4", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("toy-2d-useless10 (continuous), 2 teachers × 2 seeds");
        assertThat(r.out()).contains("mastered %", "random", "riac");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| riac |", "12 parameters (2 used, 10 useless)");
        assertThat(Files.readAllLines(dir.resolve("summary.csv"))).hasSize(5);
    }

    @Test
    void supervisedLearnersRunSplAndPacing(@TempDir Path dir) throws Exception {
        Result r = run("simulate", "--learner", Path.of("..", "examples", "lab", "supervised-noisy.json").toString(),
                "--config", "spld=" + Path.of("..", "examples", "lab", "configs", "spld.json"),
                "--seeds", "1", "--budget", "2000", "--points", "5", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| uniform |", "| spl |", "| pacing |", "| spld |");
        Result bad = run("simulate", "--learner", Path.of("..", "examples", "lab", "supervised-noisy.json").toString(), "--teachers", "oracle");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().lines().toList()).hasSize(1);
    }

    @Test
    void neuralSupervisedLearnersRunThroughTheSamePath(@TempDir Path dir) throws Exception {
        Result r = run("simulate", "--learner", Path.of("..", "examples", "lab", "neural-supervised-noisy.json").toString(),
                "--seeds", "1", "--budget", "1000", "--points", "4", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("(supervised), 3 teachers");
        assertThat(r.out()).contains("clean held-out acc.", "uniform", "spl", "pacing");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| uniform |", "| spl |", "| pacing |", "Neural classifier");
    }

    @Test
    void teachersOfTheOtherKindAreRejectedInOneLine() {
        Result a = run("simulate", "--learner", BOX50, "--teachers", "random,odf");
        assertThat(a.code()).isNotZero();
        assertThat(a.err().lines().toList()).hasSize(1);
        assertThat(a.err()).contains("'odf' is for prompt learners", "continuous teachers: [random, alp-gmm, covar-gmm, riac, adr, spdl, recent-alp-gmm]");
        Result b = run("simulate", "--learner", TINY, "--teachers", "uniform,alp-gmm");
        assertThat(b.code()).isNotZero();
        assertThat(b.err().lines().toList()).hasSize(1);
        assertThat(b.err()).contains("'alp-gmm' is a continuous-space teacher");
    }

    @Test
    void errorsAreOneLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"sources\": [{\"name\": \"a\", \"size\": 10, \"sise\": 3}]}");
        for (Result r : new Result[] {
                run("simulate", "--learner", bad.toString(), "--out", dir.toString()),
                run("simulate", "--learner", TINY, "--teachers", "uniform,nope", "--out", dir.toString()),
                run("simulate", "--learner", dir.resolve("missing.json").toString()),
                run("simulate", "--learner", TINY, "--budget", "0"),
                run("simulate", "--learner", TINY, "--config", "x")}) {
            assertThat(r.code()).isNotZero();
            assertThat(r.err().lines().toList()).hasSize(1);
            assertThat(r.err()).startsWith("proxima: ");
        }
        assertThat(run("simulate", "--learner", bad.toString()).err()).contains("sources[0].sise: unknown key");
    }

    @Test
    void aSweepRunsEveryVariantAndEachEqualsARunOnItsOwnFile(@TempDir Path dir) throws Exception {
        Result r = run("simulate", "--learner", TINY, "--teachers", "sec", "--vary", "sources.1.noisy=0.0,0.5", "--seeds", "2",
                "--budget", "2000", "--points", "10", "--out", dir.resolve("rep").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("per sources.1.noisy", "uniform", "sec", "robustness.md");
        String md = Files.readString(dir.resolve("rep/robustness.md"));
        assertThat(md).contains("`sources.1.noisy=0.0`", "`sources.1.noisy=0.5`", "| `sec` |");
        assertThat(md.lines().filter(l -> l.startsWith("| `uniform` |")).findFirst().orElseThrow()).contains("(×1.00)", "| ×1.00 | ×1.00 |");
        assertThat(Files.readAllLines(dir.resolve("rep/robustness.csv"))).hasSize(1 + 3 * 2);

        // the variant is the learner file with that one value changed: the same numbers as a run on such a file
        String text = Files.readString(Path.of(TINY)).replace("\"noisy\": 0.1", "\"noisy\": 0.5");
        Path edited = dir.resolve("tiny-noisy.json");
        Files.writeString(edited, text);
        Result alone = run("simulate", "--learner", edited.toString(), "--teachers", "sec", "--seeds", "2", "--budget", "2000",
                "--points", "10", "--out", dir.resolve("alone").toString());
        assertThat(alone.code()).as(alone.err()).isZero();
        assertThat(Files.readString(dir.resolve("rep/sources.1.noisy=0.5/curves.csv"))).isEqualTo(Files.readString(dir.resolve("alone/curves.csv")));
        assertThat(Files.readString(dir.resolve("rep/sources.1.noisy=0.0/curves.csv"))).isNotEqualTo(Files.readString(dir.resolve("alone/curves.csv")));
        assertThat(Files.readString(dir.resolve("rep/sources.1.noisy=0.5/report.md"))).contains("tiny [sources.1.noisy=0.5]");
    }

    @Test
    void aBadSweepIsRefusedInOneLineBeforeAnyRun(@TempDir Path dir) {
        String out = dir.resolve("rep").toString();
        Result noEq = run("simulate", "--learner", TINY, "--vary", "heldOut", "--out", out);
        Result notIndex = run("simulate", "--learner", TINY, "--vary", "sources.hard.noisy=0.1", "--out", out);
        Result unknown = run("simulate", "--learner", TINY, "--vary", "sources.1.nosy=0.1,0.2", "--out", out);
        Result badValue = run("simulate", "--learner", TINY, "--vary", "sources.1.noisy=0.1,2.0", "--out", out);
        Result empty = run("simulate", "--learner", TINY, "--vary", "heldOut=100,", "--out", out);
        Result box = run("simulate", "--learner", BOX50, "--vary", "learningRate=0.1,0.2", "--out", out);
        for (Result r : new Result[] {noEq, notIndex, unknown, badValue, empty, box}) {
            assertThat(r.code()).isNotZero();
            assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("proxima: ");
        }
        assertThat(noEq.err()).contains("PATH=V1,V2");
        assertThat(notIndex.err()).contains("sources is an array", "'hard'");
        assertThat(unknown.err()).contains("with sources.1.nosy=0.1", "nosy");
        assertThat(badValue.err()).contains("with sources.1.noisy=2.0", "noisy");
        assertThat(empty.err()).contains("an empty value");
        assertThat(box.err()).contains("--vary runs on prompt learners");
        assertThat(dir.resolve("rep")).doesNotExist();
    }

    @Test
    void helpDocumentsTheOptions() {
        Result r = run("simulate", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--learner", "--teachers", "--seeds", "--budget", "--out", "--config", "--vary", "oracle", "docs/lab.md");
    }
}
