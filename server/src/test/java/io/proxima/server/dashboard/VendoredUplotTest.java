package io.proxima.server.dashboard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vendored uPlot files are the ones published on npm as uplot@1.6.32 (docs/dashboard.md): a
 * changed byte fails here, so an upgrade is a deliberate edit of the version and these digests.
 */
class VendoredUplotTest {
    @ParameterizedTest
    @CsvSource({
            "uPlot.iife.min.js, 19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
            "uPlot.min.css, df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
            "uPlot.LICENSE, 8f989229699b4fe2f1a0432d0e9edc338a8a911e250e2d1b01ecd770a5f5b1bd"})
    void theFileIsThePublishedOne(String name, String sha256) throws Exception {
        byte[] bytes;
        try (InputStream in = Dashboard.class.getResourceAsStream("web/" + name)) {
            assertThat(in).as(name).isNotNull();
            bytes = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(sha256);
        if (name.endsWith(".js")) assertThat(new String(bytes, 0, 80, java.nio.charset.StandardCharsets.UTF_8)).contains("(v1.6.32)");
    }
}
