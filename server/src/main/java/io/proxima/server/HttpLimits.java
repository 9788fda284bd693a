package io.proxima.server;

/**
 * How much of the server one slow client may hold (see docs/api.md, "Slow clients").
 *
 * <p>A request body is read by a blocked handler thread, so a client that trickles its body holds
 * a thread for as long as it trickles. Two bounds keep such clients from starving the others:
 * <ul>
 *   <li><b>time</b>: a body may take {@code bodyTimeoutMillis} plus one second per
 *       {@code minBodyBytesPerSecond} bytes received, and never more than {@code bodyTimeoutMillis}
 *       without a byte; past either, 408. The allowance is what makes the rate fair to small
 *       bodies: a 200-byte report split over two packets is not "slow", a body trickled a byte a
 *       second is refused once the allowance is spent;
 *   <li><b>concurrency</b>: at most {@code maxWaitingBodies} handlers may wait for bytes of a body at
 *       once (503 beyond, decided before any byte is read). A body that has fully arrived when its
 *       handler runs — the usual small JSON request — never waits and takes no slot, so trickling
 *       clients cannot crowd normal requests out.
 * </ul>
 * {@code maxThreads} is the handler pool; it must exceed {@code maxWaitingBodies} so there are
 * always threads for the rest.
 *
 * @param bodyTimeoutMillis time any body may take, and longest wait for its next bytes
 * @param minBodyBytesPerSecond rate at which a larger body earns more time
 * @param maxWaitingBodies handlers that may wait for body bytes at once
 * @param maxThreads request handler threads
 */
public record HttpLimits(long bodyTimeoutMillis, long minBodyBytesPerSecond, int maxWaitingBodies, int maxThreads) {
    /** 10 s for any body: generous for a request on a network, short for a thread held by a trickle. */
    public static final long DEFAULT_BODY_TIMEOUT_MILLIS = 10_000;
    /** 16 KiB/s: a 16 MiB report may take 17 minutes, a 1 GiB upload 18 hours. */
    public static final long DEFAULT_MIN_BODY_RATE = 16 * 1024;
    public static final int DEFAULT_MAX_WAITING_BODIES = 64;
    /** Javalin's own default pool size. */
    public static final int DEFAULT_MAX_THREADS = 250;
    public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_BODY_TIMEOUT_MILLIS, DEFAULT_MIN_BODY_RATE, DEFAULT_MAX_WAITING_BODIES, DEFAULT_MAX_THREADS);

    public HttpLimits {
        if (bodyTimeoutMillis < 100) throw new IllegalArgumentException("body timeout must be >= 100 ms, got " + bodyTimeoutMillis);
        if (minBodyBytesPerSecond < 1) throw new IllegalArgumentException("min body rate must be >= 1 byte/s, got " + minBodyBytesPerSecond);
        if (maxWaitingBodies < 1) throw new IllegalArgumentException("max waiting bodies must be >= 1, got " + maxWaitingBodies);
        if (maxThreads < maxWaitingBodies + 8) {
            throw new IllegalArgumentException("max threads must be at least max waiting bodies + 8 (" + (maxWaitingBodies + 8) + "), got " + maxThreads);
        }
    }

    /** Milliseconds a body may have taken once {@code received} bytes of it have arrived. */
    long allowedMillis(long received) {
        return bodyTimeoutMillis + received * 1000 / minBodyBytesPerSecond;
    }
}
