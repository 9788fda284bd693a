package io.proxima.server;

import io.proxima.store.Durability;
import io.proxima.store.StoreOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@link ProximaServer} runs.
 *
 * @param host interface to bind (default 127.0.0.1: loopback only)
 * @param port TCP port; 0 picks a free one (printed at start)
 * @param dataDir where the SQLite database lives
 * @param token bearer token required on every route but /healthz, or null for none; never empty
 *     (an empty token would be no token: refused, so a mistyped {@code --token ""} cannot run open)
 * @param store durability, group window, snapshot interval
 * @param maxBodyBytes largest request body except task uploads (default 16 MiB)
 * @param maxTasksBodyBytes largest task upload (default 1 GiB; streamed, never one String)
 * @param allowedHosts Host header values answered besides those of the bind address ({@link HostCheck}); "*" answers any
 * @param http slow-client bounds ({@link HttpLimits})
 * @param accessLog log one line per request
 * @param tenants the token file of {@code --tokens} (token → tenant, docs/api.md "Tenants"), or null; never with {@code token}
 */
public record ServerOptions(String host, int port, Path dataDir, String token, StoreOptions store, long maxBodyBytes, long maxTasksBodyBytes,
                            List<String> allowedHosts, HttpLimits http, boolean accessLog, Tenants tenants) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7300;
    public static final long DEFAULT_MAX_BODY = 16L << 20;
    public static final long DEFAULT_MAX_TASKS_BODY = 1L << 30;
    /** Largest {@code n} of one next call and most outcomes in one report. */
    public static final int MAX_BATCH = 65_536;
    /** Environment variable read when no --token is given. */
    public static final String TOKEN_ENV = "PROXIMA_TOKEN";

    public ServerOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (dataDir == null) throw new IllegalArgumentException("data dir must be given");
        if (token != null) checkToken(token);
        if (store == null) store = StoreOptions.DEFAULTS;
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body must be >= 1024 bytes, got " + maxBodyBytes);
        if (maxTasksBodyBytes < 1024) throw new IllegalArgumentException("max tasks body must be >= 1024 bytes, got " + maxTasksBodyBytes);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        for (String h : allowedHosts) HostCheck.checkEntry(h);
        if (http == null) http = HttpLimits.DEFAULTS;
        if (token != null && tenants != null) {
            throw new IllegalArgumentException("--tokens and --token (or " + TOKEN_ENV + ") are mutually exclusive: give one token, or a token file of tenants");
        }
    }

    public ServerOptions(String host, int port, Path dataDir, String token, StoreOptions store, long maxBodyBytes, long maxTasksBodyBytes,
                         List<String> allowedHosts, HttpLimits http, boolean accessLog) {
        this(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, accessLog, null);
    }

    public ServerOptions(String host, int port, Path dataDir, String token, StoreOptions store, long maxBodyBytes, long maxTasksBodyBytes) {
        this(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, List.of(), HttpLimits.DEFAULTS, false);
    }

    /**
     * A token must be sendable as it is in {@code Authorization: Bearer <token>}: visible ASCII,
     * no spaces (a header value loses its outer whitespace, and other bytes are not portable).
     */
    static void checkToken(String token) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the token must not be empty (an empty --token or " + TOKEN_ENV
                    + " would leave the server open); give a secret, or no --token at all for a loopback-only server");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("the token must be visible ASCII without spaces; character " + (i + 1) + " is not");
            }
        }
    }

    public static ServerOptions of(Path dataDir, int port) {
        return new ServerOptions(DEFAULT_HOST, port, dataDir, null, StoreOptions.DEFAULTS, DEFAULT_MAX_BODY, DEFAULT_MAX_TASKS_BODY);
    }

    public ServerOptions withToken(String t) {
        return new ServerOptions(host, port, dataDir, t, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, accessLog, tenants);
    }

    public ServerOptions withStore(StoreOptions s) {
        return new ServerOptions(host, port, dataDir, token, s, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, accessLog, tenants);
    }

    public ServerOptions withDurability(Durability d) {
        return withStore(store.withDurability(d));
    }

    public ServerOptions withMaxBody(long bytes, long tasksBytes) {
        return new ServerOptions(host, port, dataDir, token, store, bytes, tasksBytes, allowedHosts, http, accessLog, tenants);
    }

    public ServerOptions withHost(String h) {
        return new ServerOptions(h, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, accessLog, tenants);
    }

    public ServerOptions withAllowedHosts(List<String> hosts) {
        return new ServerOptions(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, hosts, http, accessLog, tenants);
    }

    public ServerOptions withHttp(HttpLimits limits) {
        return new ServerOptions(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, limits, accessLog, tenants);
    }

    public ServerOptions withAccessLog(boolean on) {
        return new ServerOptions(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, on, tenants);
    }

    public ServerOptions withTenants(Tenants t) {
        return new ServerOptions(host, port, dataDir, token, store, maxBodyBytes, maxTasksBodyBytes, allowedHosts, http, accessLog, t);
    }
}
