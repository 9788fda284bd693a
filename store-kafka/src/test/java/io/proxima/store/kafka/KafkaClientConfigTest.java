package io.proxima.store.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientConfigTest {
    @TempDir
    Path dir;

    @Test
    void aPropertiesFileIsReadAsKafkaWritesIt() throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(f, """
                # TLS and SASL for a managed cluster
                security.protocol = SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="proxima" password="s3cret";
                ssl.truststore.location=/etc/kafka/truststore.jks
                ! a comment too
                """);
        Map<String, Object> c = KafkaClientConfig.read(f);
        assertThat(c).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
        assertThat(c.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(c.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"proxima\" password=\"s3cret\";");
        assertThat(KafkaLogOptions.at("k:9092").withClientOverrides(c).clientOverrides()).isEqualTo(c);
    }

    @Test
    void everyPropertyProximaSetsItselfIsRefusedFromAFileAndFromJava() throws Exception {
        assertThat(KafkaClientConfig.owned()).contains("transactional.id", "acks", "enable.idempotence", "isolation.level", "bootstrap.servers",
                "group.id", "session.timeout.ms", "client.id");
        for (String owned : KafkaClientConfig.owned()) {
            Path f = dir.resolve(owned + ".properties");
            Files.writeString(f, "ssl.keystore.type=PKCS12\n" + owned + "=x\n");
            assertThatThrownBy(() -> KafkaClientConfig.read(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--kafka-config " + f + ": property '" + owned + "' cannot be set here (");
            assertThatThrownBy(() -> KafkaLogOptions.at("k:9092").withClientOverrides(Map.of(owned, "x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("clientOverrides: property '" + owned + "' cannot be set here (");
        }
    }

    @Test
    void anUnreadableFileIsNamedWithTheReason() throws Exception {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaClientConfig.read(missing)).hasMessage("--kafka-config: cannot read '" + missing + "' (no such file)");
        assertThatThrownBy(() -> KafkaClientConfig.read(dir)).hasMessageStartingWith("--kafka-config: cannot read '" + dir + "' (");
        Path latin = dir.resolve("latin1.properties");
        Files.write(latin, new byte[] {'a', '=', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> KafkaClientConfig.read(latin)).hasMessage("--kafka-config: cannot read '" + latin + "' (not UTF-8 text)");
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "a=\\uZZZZ\n");
        assertThatThrownBy(() -> KafkaClientConfig.read(bad)).hasMessageStartingWith("--kafka-config: '" + bad + "' is not a properties file (");
    }
}
