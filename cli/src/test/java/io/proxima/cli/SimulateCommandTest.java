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
    void continuousLearnersRunTheRandomBaseline(@TempDir Path dir) {
        Result r = run("simulate", "--learner", Path.of("..", "examples", "lab", "box-2d.json").toString(), "--teachers", "random",
                "--seeds", "1", "--budget", "500", "--points", "5", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("report.md")).exists();
        assertThat(dir.resolve("mastery.png")).exists();
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
    void helpDocumentsTheOptions() {
        Result r = run("simulate", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--learner", "--teachers", "--seeds", "--budget", "--out", "--config", "oracle", "docs/lab.md");
    }
}
