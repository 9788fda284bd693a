package io.proxima.store.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings a user gives for a real cluster — TLS, SASL, tuning — passed to every
 * producer, consumer and admin client of the log ({@link KafkaLogOptions#clientOverrides}).
 *
 * <p>Proxima's guarantees rest on some settings it makes itself (the transactional id that fences
 * an old owner, idempotence and {@code acks=all}, {@code read_committed}, the owners' group and its
 * session, record size limits): a user value for one of those would be overridden without a word,
 * or would break a guarantee, so it is refused, naming the property and the option that sets it.
 */
public final class KafkaClientConfig {
    /** Properties Proxima sets itself, and what sets them. */
    private static final Map<String, String> OWNED = ownedWithReasons();

    private KafkaClientConfig() {}

    private static Map<String, String> ownedWithReasons() {
        Map<String, String> m = new TreeMap<>();
        m.put("bootstrap.servers", "--bootstrap sets it");
        m.put("transactional.id", "it is PREFIX.owner[.N], the id that fences a previous owner (--topic-prefix)");
        m.put("enable.idempotence", "every write is idempotent: Proxima sets it");
        m.put("acks", "an acknowledged write is on every in-sync replica (acks=all): Proxima sets it");
        m.put("isolation.level", "readers never see an aborted transaction (read_committed): Proxima sets it");
        m.put("transaction.timeout.ms", "Proxima sets it from its own timeout");
        m.put("enable.auto.commit", "Proxima commits no consumer offsets");
        m.put("auto.offset.reset", "Proxima seeks where it reads itself");
        m.put("group.id", "the owners' group is PREFIX.owners (--topic-prefix)");
        m.put("group.instance.id", "an owner's membership must end with its session (--owner-session-ms)");
        m.put("group.protocol", "the owners' group uses the classic protocol: Proxima sets it");
        m.put("partition.assignment.strategy", "the owners' group uses the cooperative-sticky assignor: Proxima sets it");
        m.put("session.timeout.ms", "--owner-session-ms sets it");
        m.put("heartbeat.interval.ms", "Proxima sets it from --owner-session-ms");
        m.put("max.poll.interval.ms", "Proxima sets it");
        m.put("client.id", "an owner's client id is its advertised URL (--advertise)");
        m.put("key.serializer", "records are bytes: Proxima sets it");
        m.put("value.serializer", "records are bytes: Proxima sets it");
        m.put("key.deserializer", "records are bytes: Proxima sets it");
        m.put("value.deserializer", "records are bytes: Proxima sets it");
        m.put("max.request.size", "a snapshot may take 64 MiB: Proxima sets it");
        m.put("max.partition.fetch.bytes", "a snapshot may take 64 MiB: Proxima sets it");
        m.put("buffer.memory", "a snapshot may take 64 MiB: Proxima sets it");
        m.put("linger.ms", "each commit sends at once: Proxima sets it");
        m.put("max.block.ms", "Proxima sets it from its own timeout");
        m.put("request.timeout.ms", "Proxima sets it from its own timeout");
        m.put("delivery.timeout.ms", "Proxima sets it from its own timeout");
        m.put("default.api.timeout.ms", "Proxima sets it from its own timeout");
        return Map.copyOf(m);
    }

    /** Names of the properties Proxima sets itself. */
    public static Set<String> owned() {
        return OWNED.keySet();
    }

    /** Throws naming the first property of {@code config} that Proxima sets itself, or one that is blank. */
    static void check(Map<String, Object> config, String where) {
        for (Map.Entry<String, Object> e : new TreeMap<>(config).entrySet()) {
            String why = OWNED.get(e.getKey());
            if (why != null) throw new IllegalArgumentException(where + ": property '" + e.getKey() + "' cannot be set here (" + why + ")");
            if (e.getKey().isBlank()) throw new IllegalArgumentException(where + ": a property has an empty name");
            if (e.getValue() == null) throw new IllegalArgumentException(where + ": property '" + e.getKey() + "' has no value");
        }
    }

    /**
     * Reads a Kafka client properties file (the {@code java.util.Properties} format Kafka's own tools
     * read, UTF-8), refusing one that cannot be read or that sets a property Proxima owns.
     */
    public static Map<String, Object> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--kafka-config: cannot read '" + file + "' (" + describe(e) + ")");
        } catch (IllegalArgumentException e) { // a malformed \\uXXXX escape
            throw new IllegalArgumentException("--kafka-config: '" + file + "' is not a properties file (" + e.getMessage() + ")");
        }
        Map<String, Object> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) out.put(k.strip(), p.getProperty(k).strip());
        check(out, "--kafka-config " + file);
        return Map.copyOf(out);
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.charset.MalformedInputException) return "not UTF-8 text";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
