package io.proxima.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ProximaCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("serve", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--data-dir", "--port", "--token", "--durability", "--snapshot-every", "--keep-events", "PROXIMA_TOKEN",
                "--allowed-hosts", "--access-log", "--body-timeout-s", "--max-waiting-bodies", "--tokens");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Run r = run("serve", "--data-dir", dir.toString(), "--durability", "fast");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: durability must be 'sync', 'group' or 'process', got 'fast'");
        r = run("serve", "--data-dir", dir.toString(), "--port", "70000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("proxima: port must be in [0, 65535]");
        assertThat(r.err().lines()).hasSize(1);
        r = run("serve", "--data-dir", dir.toString(), "--keep-events", "lots");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --keep-events must be 'all' or a number of events, got 'lots'");
        r = run("serve", "--data-dir", dir.toString(), "--keep-events", "-5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: keepEvents must be >= 0, got -5");
    }

    @Test
    void aBackendWithoutWhatItNeedsIsAOneLineError() {
        Run r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--backend", "kafka");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --backend kafka needs --bootstrap HOST:PORT (the Kafka cluster)");
        r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--bootstrap", "localhost:9092");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --bootstrap is for --backend kafka; the sqlite backend keeps its log in --data-dir");
        r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--backend", "cassandra");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --backend must be 'sqlite' or 'kafka', got 'cassandra'");
        assertThat(run("serve", "--help").out()).contains("--backend", "--bootstrap", "--topic-prefix", "--partitions", "--replication",
                "--scale-out", "--advertise", "--owner-session-ms");
        r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--scale-out");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --scale-out and --advertise are for --backend kafka");
        r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--advertise", "http://h:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --advertise is for --scale-out");
        r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--scale-out", "--advertise", "h:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --advertise must be a URL like http://HOST:PORT (no path), got 'h:1'");
        r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--scale-out", "--owner-session-ms", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --owner-session-ms must be >= 100, got 5");
        assertThat(ServeCommand.advertisedUrl(" http://proxima-1:7300/ ")).isEqualTo("http://proxima-1:7300");
    }

    @Test
    void aKafkaConfigFileThatCannotBeUsedIsAOneLineError() throws Exception {
        Path missing = dir.resolve("missing.properties");
        Run r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--kafka-config", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --kafka-config: cannot read '" + missing + "' (no such file)");
        Path owned = dir.resolve("owned.properties");
        java.nio.file.Files.writeString(owned, "# a cluster's settings\nsecurity.protocol=SSL\ntransactional.id=mine\n");
        r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--kafka-config", owned.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --kafka-config " + owned + ": property 'transactional.id' cannot be set here (it is "
                + "PREFIX.owner[.N], the id that fences a previous owner (--topic-prefix))");
        assertThat(r.err().lines()).hasSize(1);
        r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--kafka-config", owned.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proxima: --kafka-config is for --backend kafka");
        // the file's settings reach the clients: SASL without a JAAS entry is refused by the Kafka client itself, before any connection
        Path sasl = dir.resolve("sasl.properties");
        java.nio.file.Files.writeString(sasl, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
        r = run("serve", "--port", "0", "--backend", "kafka", "--bootstrap", "localhost:1", "--kafka-config", sasl.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("proxima: the Kafka client settings are refused: ").contains("JAAS");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(run("serve", "--help").out()).contains("--kafka-config");
    }

    @Test
    void anEmptyTokenIsRefusedNotRunOpen() {
        Run r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--token", "");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("proxima: the token must not be empty");
        r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--allowed-hosts", "a b");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("proxima: allowed host 'a b'");
    }

    @Test
    void aBadTokenFileIsRefusedAtStartInOneLine() throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        java.nio.file.Files.writeString(tokens, "tok-a alpha\ntok-a beta\n");
        Run r = run("serve", "--data-dir", dir.resolve("d").toString(), "--port", "0", "--tokens", tokens.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("proxima: token file " + tokens + ": a token is given twice");
        java.nio.file.Files.writeString(tokens, "tok-a alpha\n");
        r = run("serve", "--data-dir", dir.resolve("d").toString(), "--port", "0", "--tokens", tokens.toString(), "--token", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("proxima: --tokens and --token (or PROXIMA_TOKEN) are mutually exclusive");
        r = run("serve", "--data-dir", dir.resolve("d").toString(), "--port", "0", "--tokens", dir.resolve("missing").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("proxima: token file " + dir.resolve("missing") + ": cannot be read");
    }

    @Test
    void aPortInUseIsOneLineAtOnce() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run r = run("serve", "--data-dir", dir.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).startsWith("proxima: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use");
        }
    }

    @Test
    void theCommandIsListed() {
        assertThat(run("--help").out()).contains("serve");
    }
}
