package io.proxima.server;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Where a {@link ProximaServer} registers its meters: a registry, and tags added to each of its
 * meters. A server alone has a registry of its own and no tags ({@link #own()}). Several servers
 * in one process that answer as one instance — the partition servers of a scaled-out Kafka
 * instance, docs/scale-out.md — share one registry, each with a tag that tells its meters apart
 * ({@code partition="N"}), so every server's {@code /metrics} shows all of them, and a server that
 * closes takes exactly its own meters out ({@link #removeOwn}).
 *
 * <p>Every meter of a shared registry carries the same tag keys (Prometheus requires one label set
 * per metric name), which holds as long as every server on it has a scope of the same keys.
 *
 * @param registry the registry the meters go to
 * @param tags tags on every meter this scope registers (empty: the registry is the server's own)
 */
public record MeterScope(PrometheusMeterRegistry registry, Tags tags) {
    public MeterScope {
        if (registry == null) throw new IllegalArgumentException("registry must not be null");
        if (tags == null) tags = Tags.empty();
    }

    /** A registry of the server's own, no tags. */
    public static MeterScope own() {
        return new MeterScope(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Tags.empty());
    }

    /** A registry to share between the servers of one process (give each a {@link #within} scope). */
    public static PrometheusMeterRegistry sharedRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** A scope on a shared registry whose meters carry {@code key=value}. */
    public static MeterScope within(PrometheusMeterRegistry shared, String key, String value) {
        return new MeterScope(shared, Tags.of(key, value));
    }

    /** Whether {@code m} was registered through this scope (all its tags match); with no tags, every meter is. */
    boolean owns(Meter m) {
        for (Tag t : tags) if (!t.getValue().equals(m.getId().getTag(t.getKey()))) return false;
        return true;
    }

    /** Removes the meters registered through this scope from a shared registry (its server stops); an own registry goes with its server. */
    void removeOwn() {
        if (!tags.iterator().hasNext()) return; // the registry is the server's own: it goes with it
        for (Meter m : registry.getMeters()) if (owns(m)) registry.remove(m);
    }
}
