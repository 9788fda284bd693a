package io.proxima.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request latency by method, route and status as a Prometheus histogram
 * ({@code proxima_requests_seconds_bucket{le=...}}), and the optional access log.
 *
 * <p>Histogram, not client-side quantiles: a quantile computed in the server covers a sliding
 * window and falls to 0 a minute after traffic stops; cumulative buckets keep their counts, and
 * {@code histogram_quantile()} computes any quantile over any range, summed across servers.
 */
final class RequestMetrics {
    /** Bucket bounds: 0.5 ms to 10 s, about 2.5× apart (14 buckets per series, cheap to scrape). */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Logger ACCESS = LoggerFactory.getLogger("io.proxima.access");

    private record Key(String method, String route, int status) {}

    private final MeterRegistry registry;
    private final Iterable<io.micrometer.core.instrument.Tag> tags;
    private final boolean accessLog;
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, Iterable<io.micrometer.core.instrument.Tag> tags, boolean accessLog) {
        this.registry = registry;
        this.tags = tags;
        this.accessLog = accessLog;
    }

    /**
     * Records one answered request. Timers are looked up in our own map: building and
     * registering one per request costs more than the request's JSON.
     */
    void record(String method, String route, int status, long nanos, String path, String remote) {
        timers.computeIfAbsent(new Key(method, route, status), k -> Timer.builder("proxima.requests")
                        .description("HTTP requests by route and status")
                        .tags(tags).tag("method", k.method()).tag("route", k.route()).tag("status", Integer.toString(k.status()))
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (accessLog) ACCESS.info("{} {} {} {} {} us", remote, method, path, status, nanos / 1000);
    }
}
