package io.proxima.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token file of --tokens: both formats read, and every malformed file refused with one line naming where. */
class TenantsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void linesNameATenantPerTokenWithAnOptionalAdminRole() {
        Tenants t = Tenants.parse("# lab tokens\n\ntok-a  alpha\n tok-b\tbeta \nroot-1 ops admin\n", "f");
        assertThat(t.find(b("tok-a"))).isEqualTo(new Tenants.Caller("alpha", false));
        assertThat(t.find(b("tok-b"))).isEqualTo(new Tenants.Caller("beta", false));
        assertThat(t.find(b("root-1"))).isEqualTo(new Tenants.Caller("ops", true));
        assertThat(t.find(b("tok-"))).isNull();
        assertThat(t.find(b("tok-ab"))).isNull();
        assertThat(t.names()).containsExactly("alpha", "beta", "ops");
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void jsonReadsTheSameEitherAsAnObjectOrAnArray() {
        String entries = "[{\"token\":\"tok-a\",\"tenant\":\"alpha\"},{\"token\":\"root\",\"tenant\":\"ops\",\"admin\":true},"
                + "{\"token\":\"tok-c\",\"tenant\":\"gamma\",\"admin\":false}]";
        for (String text : new String[] {entries, "{\"tokens\":" + entries + "}"}) {
            Tenants t = Tenants.parse(text, "f");
            assertThat(t.find(b("tok-a"))).isEqualTo(new Tenants.Caller("alpha", false));
            assertThat(t.find(b("root"))).isEqualTo(new Tenants.Caller("ops", true));
            assertThat(t.find(b("tok-c"))).isEqualTo(new Tenants.Caller("gamma", false));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tok-a alpha\\ntok-b|line 2: expected 'token tenant [admin]', got 1 fields",
            "tok-a alpha admin extra|line 1: expected 'token tenant [admin]', got 4 fields",
            "tok-a alpha root|line 1: the third field may only be 'admin', got 'root'",
            "tok-a alpha\\ntok-a beta|a token is given twice",
            "tok-a al~pha|line 1: tenant must be 1-64 letters",
            "tok-a -alpha|line 1: tenant must be 1-64 letters",
            "tok-é alpha|line 1: the token must be visible ASCII",
            "# only a comment|holds no token",
            "[{\"token\":\"\",\"tenant\":\"alpha\"}]|tokens[0]: the token must not be empty",
            "[{\"token\":\"x\",\"tenant\":\"alpha\",\"role\":\"admin\"}]|tokens[0]: unknown fields [role]",
            "[{\"token\":\"x\",\"tenant\":\"alpha\",\"admin\":\"yes\"}]|tokens[0].admin: must be true or false",
            "[{\"token\":\"x\"}]|tokens[0].tenant: must be a string",
            "[{\"token\":\"x\",\"tenant\":\"a\"},{\"token\":\"x\",\"tenant\":\"b\"}]|a token is given twice",
            "{\"tokens\":[{\"token\":\"x\",\"tenant\":\"a\"}],\"more\":1}|expected {\"tokens\": [...]}",
            "{\"tokens\":{}}|tokens must be an array",
            "[{\"token\":\"x\",\"tenant\":\"a\"}|not valid JSON",
            "[]|holds no token",
    })
    void aMalformedFileIsRefusedWithOneLineSayingWhere(String text, String expected) throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, text.replace("\\n", "\n"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Tenants.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token file " + f + ": ").hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileIsRefusedAndTokensExcludeOneToken() {
        assertThatThrownBy(() -> Tenants.read(dir.resolve("nope"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be read");
        Tenants t = Tenants.parse("a x", "f");
        assertThatThrownBy(() -> ServerOptions.of(dir, 0).withTenants(t).withToken("secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void aTenantsScrapeKeepsItsOwnAndServerWideSamplesOnly() {
        String scrape = String.join("\n",
                "# HELP proxima_curricula curricula held",
                "# TYPE proxima_curricula gauge",
                "proxima_curricula{tenant=\"a\"} 2",
                "proxima_curricula{tenant=\"ab\"} 1",
                "proxima_curricula{tenant=\"\"} 4",
                "proxima_outcomes_ingested_total{curriculum=\"c\",tenant=\"a\"} 8",
                "proxima_outcomes_ingested_total{curriculum=\"c\",tenant=\"b\"} 9",
                "proxima_outcomes_ingested_total{curriculum=\"x\"} 3",
                "proxima_store_commits_total 7",
                "proxima_requests_seconds_count{method=\"GET\",route=\"/v1/curricula\",status=\"200\"} 1",
                "");
        assertThat(TenantMetrics.only(scrape, "a")).isEqualTo(String.join("\n",
                "# HELP proxima_curricula curricula held",
                "# TYPE proxima_curricula gauge",
                "proxima_curricula{tenant=\"a\"} 2",
                "proxima_outcomes_ingested_total{curriculum=\"c\",tenant=\"a\"} 8",
                "proxima_store_commits_total 7",
                "proxima_requests_seconds_count{method=\"GET\",route=\"/v1/curricula\",status=\"200\"} 1",
                ""));
    }
}
