package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.ConflictException;
import io.proxima.store.Curricula;
import io.proxima.store.Faults;
import io.proxima.store.Kind;
import io.proxima.store.NotFoundException;
import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The HTTP/JSON service over a {@link Curricula} store (see docs/api.md and the OpenAPI document
 * at {@code /v1/openapi.json}).
 *
 * <p>This class maps HTTP to the store and adds what a service needs around it: strict request
 * parsing with field paths ({@link Codec}), body size and slow-body limits ({@link RequestBodies}),
 * the Host, route, bearer token and Content-Type checks ({@link RequestGuard}), Prometheus
 * metrics ({@link RequestMetrics}). Every refused request — also one Jetty refuses before any
 * route ({@link JsonErrorHandler}) — is a 4xx {@code {"error": ..., "field": ...}} and changes
 * nothing; anything unexpected is a 500 with the same shape, and the server stays up.
 *
 * <p><b>Kinds.</b> A curriculum is discrete (a task pool) or continuous (a box of parameters): an
 * explicit {@code "kind"} in the create body decides, else a configuration with {@code space} is
 * continuous. The routes are the same; {@code next}, {@code report} and {@code stats} read and
 * write the shapes of the curriculum's kind ({@link Codec}), and {@code tasks} is for discrete
 * curricula only (409 on field {@code kind}).
 */
public final class ProximaServer implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final String START = "proxima.start";
    private static final String ERROR = "proxima.error";
    /** Per-curriculum gauges, removed with the curriculum. */
    private static final String EFFECTIVE_RATIO = "proxima.effective.ratio";
    private static final String LAST_MEAN_RETURN = "proxima.last.mean.return";
    private static final String FLAGGED = "proxima.reports.flagged";

    private final ServerOptions options;
    private final Curricula store;
    private final PrometheusMeterRegistry metrics;
    /** The registry and the tags of this server's meters (its own, or one shared with the other partition servers of a scaled-out instance). */
    private final MeterScope scope;
    /** The bound socket; null for an {@linkplain #embedded embedded} server. */
    private final Listener listener;
    private final Javalin app;
    private final byte[] openapi;
    private final Routes routes = new Routes();
    private final RequestGuard guard;
    /** Ids as callers send and see them ↔ ids as the store holds them (tenants). */
    private final Namespace namespace;
    private final RequestBodies bodies;
    private final RequestMetrics requests;
    private final TrainerCalls calls;
    private final BatchCall batch;
    /** The page at / and the history routes it reads (io.proxima.server.dashboard). */
    private final io.proxima.server.dashboard.Dashboard dashboard;
    /** Runs a batch's items on different curricula in parallel (they wait on commits, not on the CPU). */
    private final java.util.concurrent.ExecutorService batchPool = java.util.concurrent.Executors.newFixedThreadPool(BATCH_THREADS, r -> {
        Thread t = new Thread(r, "proxima-batch");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> ingested = new java.util.concurrent.ConcurrentHashMap<>();

    private ProximaServer(ServerOptions options, Curricula store, Listener listener, MeterScope scope) {
        this.options = options;
        this.listener = listener;
        this.scope = scope;
        this.metrics = scope.registry();
        this.store = store;
        this.guard = new RequestGuard(HostCheck.of(options.host(), options.allowedHosts()), routes, options.token(), options.tenants());
        this.namespace = new Namespace(options.tenants() != null);
        this.bodies = new RequestBodies(options.http());
        this.requests = new RequestMetrics(metrics, scope.tags(), options.accessLog());
        this.dashboard = new io.proxima.server.dashboard.Dashboard(store, new io.proxima.server.dashboard.Histories(store,
                io.proxima.server.dashboard.Histories.DEFAULT_CAPACITY, io.proxima.server.dashboard.Histories.DEFAULT_MAX_FOLLOWED),
                namespace, options.token() != null || options.tenants() != null);
        this.calls = new TrainerCalls(store, (id, count) -> {
            ingested(id).increment(count);
            // the dashboard's "last report" for reports inside a /v1/batch too (the routes note theirs in after())
            dashboard.clock().reported(id, System.currentTimeMillis());
        });
        this.batch = new BatchCall(calls, batchPool, namespace);
        try (InputStream in = ProximaServer.class.getResourceAsStream("openapi.json")) {
            this.openapi = in == null ? "{}".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FunctionCounter.builder("proxima.store.commits", store, Curricula::commits)
                .description("database transactions committed").tags(scope.tags()).register(metrics);
        FunctionCounter.builder("proxima.store.committed.events", store, Curricula::committedOps)
                .description("writes committed (events, snapshots, checkpoints); / commits = group size").tags(scope.tags()).register(metrics);
        if (options.tenants() == null) {
            Gauge.builder("proxima.curricula", store, s -> s.ids().size()).description("curricula held").tags(scope.tags()).register(metrics);
        } else { // one per tenant ("" : outside any tenant), so a tenant's scrape counts its own only
            List<String> tenants = new java.util.ArrayList<>(options.tenants().names());
            tenants.add("");
            for (String t : tenants) {
                Gauge.builder("proxima.curricula", store, s -> s.ids().stream().filter(id -> Namespace.tenantOf(id).equals(t)).count())
                        .description("curricula held").tag("tenant", t).tags(scope.tags()).register(metrics);
            }
        }
        Gauge.builder("proxima.store.failed", store, s -> s.failed() ? 1 : 0)
                .description("1 while the store refuses writes (e.g. a full disk), else 0").tags(scope.tags()).register(metrics);
        for (String id : store.ids()) registerCurriculumGauge(id, store.kind(id));
        HttpLimits limits = options.http();
        JsonErrorHandler errors = new JsonErrorHandler();
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = options.maxBodyBytes();
            // Answers are small JSON for clients on the same host or network; checking every
            // answer for gzip/brotli cost ~3 % of the server's CPU and no client here asks for it.
            cfg.http.disableCompression();
            // Trainer calls wait for their commit asynchronously (later()): no timeout of Javalin's
            // may answer one before it is durable; an answer comes once its commit is done or refused.
            cfg.http.asyncTimeout = 0L;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(limits.maxThreads(), 8, 60_000);
            cfg.jetty.modifyHttpConfiguration(http -> {
                // Jetty's own minRequestDataRate is not used: it measures from the first byte with no
                // allowance, so a small body split over two packets on a busy machine counts as slow.
                // Nor is its per-request idle timeout (HttpConfiguration.setIdleTimeout): Jetty sets it
                // on the connection at every request and puts the keep-alive one back after, which
                // reschedules the connection's idle check and wakes Jetty's scheduler thread twice per
                // request — 16 % of the server's CPU per trainer step in a profile. RequestBodies
                // shortens the wait only for a body that has not fully arrived.
                http.setSendServerVersion(false);
            });
            if (listener != null) { // an embedded server has no port: its owner's server hands it requests (serve)
                cfg.jetty.addConnector((server, http) -> listener.connector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http), KEEP_ALIVE_MILLIS));
            }
            cfg.jetty.modifyServer(server -> server.setErrorHandler(errors));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        });
        routes();
    }

    /** Threads that run the items of batch calls on different curricula at once. */
    private static final int BATCH_THREADS = 16;
    /** How long an idle keep-alive connection stays open (Jetty's default). */
    private static final long KEEP_ALIVE_MILLIS = 30_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProximaServer.class);

    /**
     * Binds the port (a port in use fails here, at once), opens the store in the data directory
     * (recovering every curriculum, logged), and starts serving.
     */
    public static ProximaServer start(ServerOptions options) {
        return start(options, Faults.NONE);
    }

    /** {@link #start(ServerOptions)} with faults injected into the store's calls (tests of the rollback rule). */
    public static ProximaServer start(ServerOptions options, Faults faults) {
        return startOver(options, () -> Curricula.open(options.dataDir(), options.store(), faults));
    }

    /**
     * {@link #start(ServerOptions)} over another log than the data directory's SQLite — Kafka
     * (module {@code store-kafka}), say. {@code log} is called once the port is bound, so a port in
     * use fails before the log is opened (opening a Kafka log takes it over from its previous owner).
     */
    public static ProximaServer start(ServerOptions options, java.util.function.Supplier<io.proxima.store.CurriculumLog> log) {
        return start(options, log, MeterScope.own());
    }

    /**
     * {@link #start(ServerOptions, java.util.function.Supplier)} with its meters in {@code scope}: a
     * registry shared with other servers of this process, say, whose {@code /metrics} then shows all of them.
     */
    public static ProximaServer start(ServerOptions options, java.util.function.Supplier<io.proxima.store.CurriculumLog> log, MeterScope scope) {
        return startOver(options, () -> Curricula.open(log.get(), options.store(), Faults.NONE), scope);
    }

    private static ProximaServer startOver(ServerOptions options, java.util.function.Supplier<Curricula> open) {
        return startOver(options, open, MeterScope.own());
    }

    /**
     * A server with no port of its own, over {@code log}: another HTTP server of this process hands
     * it requests ({@link #serve}) — the front of a scaled-out Kafka instance, which answers the
     * routes of its partitions in the JVM rather than over a loopback connection. Everything else
     * (routes, checks, refusals, metrics in {@code scope}) is as with {@link #start}; the host
     * check uses {@code options.host()} and {@code allowedHosts} against the port the request came in on.
     */
    public static ProximaServer embedded(ServerOptions options, java.util.function.Supplier<io.proxima.store.CurriculumLog> log, MeterScope scope) {
        long t0 = System.nanoTime();
        Curricula store = Curricula.open(log.get(), options.store(), Faults.NONE);
        for (Curricula.Recovered r : store.recovered()) if (r.note() != null) LOG.warn("curriculum '{}': {}", r.id(), r.note());
        LOG.info(recoverySummary(store.recovered(), System.nanoTime() - t0));
        try {
            return new ProximaServer(options, store, null, scope);
        } catch (RuntimeException e) {
            store.close();
            scope.removeOwn();
            throw e;
        }
    }

    /**
     * Answers one request of an {@linkplain #embedded embedded} server, on the calling thread: the
     * same routes, bytes and status as over its own port would give, written to {@code res}.
     */
    public void serve(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) throws IOException {
        try {
            app.javalinServlet().service(req, res);
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        }
    }

    private static ProximaServer startOver(ServerOptions options, java.util.function.Supplier<Curricula> open, MeterScope scope) {
        Listener listener = Listener.bind(options.host(), options.port());
        Curricula store;
        long t0 = System.nanoTime();
        try {
            store = open.get();
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
        for (Curricula.Recovered r : store.recovered()) if (r.note() != null) LOG.warn("curriculum '{}': {}", r.id(), r.note());
        LOG.info(recoverySummary(store.recovered(), System.nanoTime() - t0));
        ProximaServer s;
        try {
            s = new ProximaServer(options, store, listener, scope);
            s.app.start();
        } catch (RuntimeException e) {
            listener.close();
            store.close();
            scope.removeOwn();
            throw e;
        }
        return s;
    }

    /** The start's log line about recovery: curricula, events, events replayed, quarantined tails. */
    static String recoverySummary(List<Curricula.Recovered> recovered, long nanos) {
        long events = 0;
        long replayed = 0;
        int quarantined = 0;
        for (Curricula.Recovered r : recovered) {
            events += r.events();
            replayed += r.replayed();
            if (r.note() != null) quarantined++;
        }
        return "recovered " + recovered.size() + " curricula in " + nanos / 1_000_000 + " ms: " + events + " events, " + replayed
                + " of them replayed from the log after the newest snapshots; " + quarantined + " quarantined tails";
    }

    /** The bound port (useful with port 0); -1 for an {@linkplain #embedded embedded} server. */
    public int port() {
        return listener == null ? -1 : app.port();
    }

    public ServerOptions options() {
        return options;
    }

    @Override
    public void close() {
        if (listener != null) app.stop(); // an embedded server was never started
        batchPool.shutdownNow();
        store.close();
        scope.removeOwn(); // a shared registry keeps no meter of a closed server (its gauges would read a closed store)
    }

    // ------------------------------------------------------------------ routes

    private void routes() {
        app.before(ctx -> {
            ctx.attribute(START, System.nanoTime());
            guard.check(ctx);
        });
        app.after(this::after);
        app.exception(Exception.class, this::fail);
        app.error(404, ctx -> {
            if (ctx.attribute(ERROR) == null) send(ctx, 404, Codec.error("no route " + ctx.method() + " " + ctx.path(), "path"));
        });

        get("/healthz", this::health);
        get("/metrics", ctx -> {
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
            String tenant = Namespace.confinedTo(ctx);
            ctx.result(tenant == null ? metrics.scrape() : TenantMetrics.only(metrics.scrape(), tenant));
        });
        get("/v1/openapi.json", ctx -> json(ctx, 200, openapi));

        post("/v1/curricula", Routes.JSON, this::create);
        get("/v1/curricula", ctx -> json(ctx, 200, Codec.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("curricula");
            for (String id : store.ids()) {
                if (!namespace.visible(ctx, id)) continue;
                Curricula.Info i;
                try {
                    i = store.info(id);
                } catch (NotFoundException e) {
                    continue; // deleted meanwhile
                }
                Codec.info(g, shown(ctx, i));
            }
            g.writeEndArray();
            g.writeEndObject();
        })));
        get("/v1/curricula/{id}", ctx -> json(ctx, 200, Codec.info(shown(ctx, store.info(id(ctx))))));
        route("DELETE", "/v1/curricula/{id}", Set.of(), ctx -> {
            String id = id(ctx);
            store.delete(id);
            dashboard.forget(id, true);
            for (String meter : List.of(EFFECTIVE_RATIO, LAST_MEAN_RETURN, FLAGGED, "proxima.outcomes.ingested")) {
                var found = metrics.find(meter).tags(scope.tags()).tag("curriculum", namespace.tenants() ? Namespace.localOf(id) : id);
                if (namespace.tenants()) found = found.tag("tenant", Namespace.tenantOf(id));
                found.meters().forEach(metrics::remove);
            }
            ingested.remove(id);
            json(ctx, 200, Codec.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("deleted", namespace.external(ctx, id));
                g.writeEndObject();
            }));
        });
        post("/v1/curricula/{id}/tasks", Routes.JSON_OR_JSONL, this::addTasks);
        post("/v1/curricula/{id}/next", Routes.JSON, ctx -> later(ctx, calls.nextLater(id(ctx), limited(ctx, options.maxBodyBytes()))));
        post("/v1/curricula/{id}/report", Routes.JSON, ctx -> later(ctx, calls.reportLater(id(ctx), limited(ctx, options.maxBodyBytes()))));
        post("/v1/curricula/{id}/step", Routes.JSON, ctx -> later(ctx, calls.stepLater(id(ctx), limited(ctx, options.maxBodyBytes()))));
        post("/v1/batch", Routes.JSON, ctx -> json(ctx, 200, batch.run(ctx, limited(ctx, options.maxBodyBytes()))));
        get("/v1/curricula/{id}/stats", ctx -> {
            String id = id(ctx);
            String shown = namespace.external(ctx, id);
            json(ctx, 200, store.kind(id) == Kind.CONTINUOUS
                    ? Codec.continuousStats(shown, store.continuousStats(id)) : Codec.stats(shown, store.stats(id)));
        });
        post("/v1/curricula/{id}/checkpoints", Routes.JSON, ctx -> {
            JsonNode body = body(ctx);
            Codec.onlyFields(body, "", Set.of("step"));
            long step = Codec.integer(body, "", "step", null, 0, Long.MAX_VALUE);
            Curricula.Checkpoint c = store.checkpoint(id(ctx), step);
            json(ctx, 201, Codec.bytes(g -> Codec.checkpoint(g, c)));
        });
        get("/v1/curricula/{id}/checkpoints", ctx -> {
            List<Curricula.Checkpoint> cs = store.checkpoints(id(ctx));
            json(ctx, 200, Codec.bytes(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("checkpoints");
                for (Curricula.Checkpoint c : cs) Codec.checkpoint(g, c);
                g.writeEndArray();
                g.writeEndObject();
            }));
        });
        post("/v1/curricula/{id}/checkpoints/{step}/restore", Routes.JSON, ctx -> {
            long step;
            try {
                step = Long.parseLong(ctx.pathParam("step"));
            } catch (NumberFormatException e) {
                throw ApiException.bad("step", "must be an integer, got '" + ctx.pathParam("step") + "'");
            }
            String id = id(ctx);
            Curricula.Checkpoint c = store.restore(id, step);
            dashboard.forget(id, false);
            json(ctx, 200, Codec.bytes(g -> Codec.checkpoint(g, c)));
        });
        get("/v1/curricula/{id}/log", this::exportLog);
        dashboard.register((method, path, open, h) -> {
            routes.add(method, path, Set.of(), open);
            app.addHttpHandler(io.javalin.http.HandlerType.valueOf(method), path, h);
        });
    }

    /**
     * 200 while the store writes; 503 while it refuses writes (a full disk): each probe then tries
     * to make it write again ({@link Curricula#resume}), so the answer turns 200 once space is back.
     */
    private void health(Context ctx) {
        if (!store.failed() || store.resume()) {
            json(ctx, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String why = store.failure();
        json(ctx, 503, Codec.error("the store cannot write (" + (why == null ? "closed" : why)
                + "); it serves the last durable state and writes again once a write succeeds (retried every second)", "store"));
    }

    private void get(String path, Handler h) {
        route("GET", path, Set.of(), h);
    }

    private void post(String path, Set<String> bodyTypes, Handler h) {
        route("POST", path, bodyTypes, h);
    }

    /** Registers a route with Javalin and in the route table the guard checks requests against. */
    private void route(String method, String path, Set<String> bodyTypes, Handler h) {
        routes.add(method, path, bodyTypes);
        app.addHttpHandler(io.javalin.http.HandlerType.valueOf(method), path, h);
    }

    /**
     * Creates a curriculum (201). The id of an existing curriculum is answered 200 with that
     * curriculum when the request asks for the same kind and configuration (a trainer that restarts,
     * or every rank of a multi-GPU run, may create it again), and 409 naming the differing fields
     * otherwise, unless the body says {@code "resume": true}: then the existing curriculum is
     * answered as it is, whatever its configuration.
     */
    private void create(Context ctx) {
        JsonNode body = body(ctx);
        Codec.onlyFields(body, "", Set.of("id", "kind", "config", "resume"));
        String sent = Codec.text(body, "", "id", true);
        try {
            // an admin names stored ids (tenant~id); everyone else an id of their own namespace
            if (namespace.tenants() && Namespace.confinedTo(ctx) == null) Curricula.checkStoredId(sent);
            else Curricula.checkId(sent);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("id", e.getMessage());
        }
        String id = namespace.internal(ctx, sent);
        JsonNode r = body.get("resume");
        if (r != null && !r.isNull() && !r.isBoolean()) throw ApiException.bad("resume", "must be true or false, got " + Codec.type(r));
        boolean resume = r != null && r.asBoolean(false);
        JsonNode cfg = body.get("config");
        if (cfg == null || cfg.isNull()) cfg = Codec.MAPPER.createObjectNode();
        if (!cfg.isObject()) throw ApiException.bad("config", "must be an object, got " + Codec.type(cfg));
        Kind kind = kindOf(body, cfg);
        String json = cfg.toString();
        ContinuousConfig continuous = kind == Kind.CONTINUOUS ? config(() -> ContinuousConfig.fromJson(json)) : null;
        CurriculumConfig discrete = kind == Kind.DISCRETE ? config(() -> CurriculumConfig.fromJson(json)) : null;
        Curricula.Info info;
        try {
            info = continuous != null ? store.create(id, continuous) : store.create(id, discrete);
        } catch (ConflictException taken) {
            Curricula.Info existing;
            try {
                existing = store.info(id);
            } catch (NotFoundException deletedMeanwhile) {
                throw taken;
            }
            if (!resume) sameAsExisting(existing, kind, continuous != null ? continuous.canonicalJson() : requestedAgainst(existing, cfg, discrete));
            json(ctx, 200, Codec.info(shown(ctx, existing)));
            return;
        }
        registerCurriculumGauge(id, kind);
        json(ctx, 201, Codec.info(shown(ctx, info)));
    }

    /**
     * The canonical configuration a repeated create is compared with: a request that does not name
     * {@code "defaults"} means the same curriculum as one stored before the key existed (it keeps
     * the defaults it was created with), so it is read as that stored one would be.
     */
    private static String requestedAgainst(Curricula.Info existing, JsonNode request, CurriculumConfig discrete) {
        if (request.has("defaults") || existing.kind() != Kind.DISCRETE) return discrete.canonicalJson();
        try {
            if (Codec.MAPPER.readTree(existing.configJson()).has("defaults")) return discrete.canonicalJson();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a canonical configuration is not JSON", e);
        }
        return CurriculumConfig.fromStoredJson(request.toString()).canonicalJson();
    }

    /** Throws the 409 of a create that would silently reuse {@code existing} with another kind or configuration. */
    private static void sameAsExisting(Curricula.Info existing, Kind kind, String requestedCanonical) {
        String hint = " (send \"resume\": true to use it as it is, or choose another id)";
        if (existing.kind() != kind) {
            throw new ConflictException("kind", "curriculum '" + existing.id() + "' already exists and is " + existing.kind().key()
                    + ", requested " + kind.key() + hint);
        }
        ConfigDiff diff;
        try {
            diff = ConfigDiff.of(Codec.MAPPER.readTree(existing.configJson()), Codec.MAPPER.readTree(requestedCanonical));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a canonical configuration is not JSON", e);
        }
        if (diff.isEmpty()) return;
        StringBuilder msg = new StringBuilder("curriculum '" + existing.id() + "' already exists with another configuration: ");
        for (int i = 0; i < diff.changes().size(); i++) msg.append(i == 0 ? "" : "; ").append(diff.changes().get(i));
        throw new ConflictException(diff.changes().get(0).path(), msg.append(hint).toString());
    }

    /**
     * An explicit {@code "kind"} wins; without one, a configuration with a parameter box
     * ({@code space}) is continuous, any other is discrete. (The two configurations are strict, so
     * {@code space} is never a discrete key: a misspelled continuous config is not silently discrete.)
     */
    private static Kind kindOf(JsonNode body, JsonNode cfg) {
        String k = Codec.text(body, "", "kind", false);
        if (k == null) return cfg.has("space") ? Kind.CONTINUOUS : Kind.DISCRETE;
        try {
            return Kind.parse(k);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("kind", e.getMessage());
        }
    }

    /** Parses a configuration, naming the offending path under {@code config}. */
    private static <C> C config(java.util.function.Supplier<C> parse) {
        try {
            return parse.get();
        } catch (ConfigException e) {
            throw ApiException.bad("config." + e.path(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("config", e.getMessage());
        }
    }

    private void addTasks(Context ctx) {
        String id = id(ctx);
        if (store.kind(id) == Kind.CONTINUOUS) { // 404 or 409 before reading a large body
            throw new ConflictException("kind", "curriculum '" + id + "' is continuous: its tasks are proposed from its parameter box"
                    + " by next; POST /tasks applies to discrete curricula only");
        }
        Codec.TaskUpload upload = Codec.upload(limited(ctx, options.maxTasksBodyBytes()), maxTasksPerUpload());
        List<TaskSpec> tasks = upload.tasks();
        if (tasks.isEmpty()) throw ApiException.bad("tasks", "must hold at least one task");
        String requestId = TrainerCalls.checkKey("requestId", upload.requestId());
        Curricula.Reply r = TrainerCalls.coreCall("tasks", () -> store.addTasks(id, requestId, tasks, total -> Codec.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("added", tasks.size());
            g.writeNumberField("tasks", total);
            if (requestId != null) g.writeStringField("requestId", requestId);
            g.writeEndObject();
        })));
        answer(ctx, new TrainerCalls.Answer(r.body(), r.replayed()));
    }

    private static void answer(Context ctx, TrainerCalls.Answer a) {
        if (a.replayed()) ctx.header("Proxima-Replayed", "true");
        json(ctx, 200, a.body());
    }

    /**
     * Answers a trainer call once it is durable without a request thread waiting for its commit:
     * the request goes asynchronous and the thread returns to Jetty's pool; the answer is written
     * by the thread that completes the call — the store's committer, right after the group's
     * commit — with a write that never blocks it ({@link org.eclipse.jetty.server.HttpOutput#sendContent(java.nio.ByteBuffer,
     * org.eclipse.jetty.util.Callback)}: what the socket does not take at once is sent later by
     * Jetty's selector, so a client that does not read delays only itself). A refused write's
     * error is answered by the store's rollback thread once the curriculum was rebuilt. Saves a
     * parked request thread and its wake-up per call. An answer that is ready at once (a repeat
     * of a call already durable) is written as before, and so is every answer of an
     * {@linkplain #embedded embedded} server: its caller (a scaled-out front, {@link #serve}) reads
     * the answer when {@code serve} returns, on its own thread.
     */
    private void later(Context ctx, java.util.concurrent.CompletableFuture<TrainerCalls.Answer> pending) {
        if (pending.isDone() || listener == null) {
            answer(ctx, Curricula.await(pending));
            return;
        }
        ctx.future(() -> { // called by Javalin once the request is asynchronous
            java.util.concurrent.CompletableFuture<Void> written = new java.util.concurrent.CompletableFuture<>();
            pending.whenComplete((a, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    fail(cause instanceof Exception x ? x : new IllegalStateException(cause), ctx); // written by Javalin after this
                    written.complete(null);
                    return;
                }
                try {
                    sendWithoutBlocking(ctx, a, written);
                } catch (RuntimeException x) {
                    fail(x, ctx);
                    written.complete(null);
                }
            });
            return written;
        });
    }

    /** Writes a 200 answer with a write that does not block the calling thread; completes {@code written} once it is sent (or failed). */
    private static void sendWithoutBlocking(Context ctx, TrainerCalls.Answer a, java.util.concurrent.CompletableFuture<Void> written) {
        jakarta.servlet.http.HttpServletResponse res = ctx.res();
        ServletOutputStream out;
        try {
            out = res.getOutputStream();
        } catch (IOException gone) {
            written.complete(null);
            return;
        }
        if (!(out instanceof org.eclipse.jetty.server.HttpOutput jetty)) { // not Jetty's: a plain (blocking) write
            answer(ctx, a);
            written.complete(null);
            return;
        }
        ctx.status(200);
        if (a.replayed()) res.setHeader("Proxima-Replayed", "true");
        res.setContentType(JSON);
        res.setContentLength(a.body().length);
        // success or failure (the client is gone: a durable call's retry gets the same answer), the request ends
        jetty.sendContent(java.nio.ByteBuffer.wrap(a.body()), org.eclipse.jetty.util.Callback.from(() -> written.complete(null), x -> written.complete(null)));
    }

    private void exportLog(Context ctx) throws IOException {
        String id = id(ctx);
        Curricula.Info info = store.info(id);
        ctx.status(200);
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.outputStream();
        Codec.write(out, g -> {
            g.writeStartObject();
            g.writeNumberField("seq", 0);
            g.writeStringField("type", "create");
            g.writeStringField("id", namespace.external(ctx, id));
            g.writeStringField("kind", info.kind().key());
            g.writeFieldName("config");
            g.writeRawValue(info.configJson());
            g.writeEndObject();
        });
        out.write('\n');
        store.exportLog(id, e -> {
            try {
                Codec.write(out, g -> Codec.event(g, e));
                out.write('\n');
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
    }

    // ------------------------------------------------------------------ plumbing

    private Counter ingested(String id) {
        return ingested.computeIfAbsent(id, k -> tagged(Counter.builder("proxima.outcomes.ingested").description("outcomes applied by report"), k)
                .register(metrics));
    }

    /** The stored id of the request's path, in the caller's namespace (see {@link Namespace}). */
    private String id(Context ctx) {
        return namespace.internal(ctx, ctx.pathParam("id"));
    }

    /** A curriculum's info as the caller sees it: its id in the caller's namespace. */
    private Curricula.Info shown(Context ctx, Curricula.Info i) {
        String shown = namespace.external(ctx, i.id());
        return shown.equals(i.id()) ? i
                : new Curricula.Info(shown, i.kind(), i.recipe(), i.tasks(), i.events(), i.batches(), i.configJson(), i.recoveryNote());
    }

    /**
     * Tags a per-curriculum meter: {@code curriculum} the stored id; with tenants, {@code curriculum}
     * the id within its tenant and {@code tenant} the tenant ("" outside any), so a tenant's scrape
     * keeps its own ({@link TenantMetrics}).
     */
    private <B> B tagged(B builder, String id) {
        boolean t = namespace.tenants();
        String curriculum = t ? Namespace.localOf(id) : id;
        if (builder instanceof Counter.Builder c) {
            c.tags(scope.tags()).tag("curriculum", curriculum);
            if (t) c.tag("tenant", Namespace.tenantOf(id));
        } else if (builder instanceof Gauge.Builder<?> g) {
            g.tags(scope.tags()).tag("curriculum", curriculum);
            if (t) g.tag("tenant", Namespace.tenantOf(id));
        } else if (builder instanceof FunctionCounter.Builder<?> f) {
            f.tags(scope.tags()).tag("curriculum", curriculum);
            if (t) f.tag("tenant", Namespace.tenantOf(id));
        }
        return builder;
    }

    private void registerCurriculumGauge(String id, Kind kind) {
        ingested(id);
        if (kind == Kind.CONTINUOUS) {
            gauge(LAST_MEAN_RETURN, id, "mean raw episode return of the last report (continuous curricula)",
                    s -> s.readContinuous(id, c -> c.stats().lastMeanReturn()));
        } else {
            gauge(EFFECTIVE_RATIO, id, "share of reported groups whose rewards were not all equal (discrete curricula)",
                    s -> s.read(id, c -> c.stats().effectiveRatio()));
            for (io.proxima.core.outcome.ReportFlag f : io.proxima.core.outcome.ReportFlag.values()) {
                tagged(FunctionCounter.builder(FLAGGED, store, s -> {
                            try {
                                var st = s.stats(id);
                                return f == io.proxima.core.outcome.ReportFlag.NOT_SELECTED ? st.notSelected() : st.rolloutsMismatch();
                            } catch (RuntimeException e) {
                                return Double.NaN;
                            }
                        }).description("reported outcomes applied though they cannot be right: no selection awaited them (notSelected),"
                                + " or their rewards differ from the rollouts allotted (rolloutsMismatch)"), id)
                        .tag("flag", f.key).register(metrics);
            }
        }
    }

    /** A per-curriculum gauge; NaN once the curriculum is gone. */
    private void gauge(String name, String id, String description, java.util.function.ToDoubleFunction<Curricula> value) {
        tagged(Gauge.builder(name, store, s -> {
                    try {
                        return value.applyAsDouble(s);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                }).description(description), id).register(metrics);
    }

    /** Bytes of heap one uploaded task may take while the upload is parsed and applied (a generous estimate). */
    private static final long HEAP_PER_UPLOADED_TASK = 400;

    /** Tasks one upload may hold: a quarter of the heap at {@link #HEAP_PER_UPLOADED_TASK}, so no upload can exhaust memory. */
    static int maxTasksPerUpload() {
        return (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_UPLOADED_TASK);
    }

    private InputStream limited(Context ctx, long limit) {
        return bodies.open(ctx, limit);
    }

    private JsonNode body(Context ctx) {
        return Codec.object(limited(ctx, options.maxBodyBytes()));
    }

    private void after(Context ctx) {
        bodies.release(ctx);
        Long start = ctx.attribute(START);
        if (start == null) return;
        Routes.Route r = ctx.attribute(RequestGuard.ROUTE);
        if (r != null && ctx.statusCode() == 200 && (r.template().endsWith("/report") || r.template().endsWith("/step"))) {
            dashboard.clock().reported(id(ctx), System.currentTimeMillis()); // the dashboard's "last report"
        }
        requests.record(ctx.method().name(), r == null ? "unmatched" : r.template(), ctx.statusCode(), System.nanoTime() - start,
                ctx.path(), ctx.req().getRemoteAddr());
    }

    private void fail(Exception e, Context ctx) {
        Refusal r = namespace.shown(ctx, Refusal.of(e));
        if (r.unexpected()) LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
        ctx.attribute(ERROR, Boolean.TRUE);
        send(ctx, r.status(), r.json());
    }

    /**
     * Writes a JSON answer (2xx) straight to the response with its Content-Length. (Through
     * {@code ctx.result} Javalin wraps the bytes in a stream and copies them through a fresh 8 KiB
     * buffer and its compression check — 8 % of a trainer step's server CPU — and an answer above
     * Jetty's aggregation size went out chunked, in several writes.)
     */
    private static void send(Context ctx, int status, byte[] body) {
        ctx.status(status);
        if (status >= 400) { // refusals as before: Javalin writes them after the request (a body may still be arriving)
            ctx.contentType(JSON);
            ctx.result(body);
            return;
        }
        jakarta.servlet.http.HttpServletResponse res = ctx.res();
        res.setContentType(JSON);
        res.setContentLength(body.length);
        try {
            res.getOutputStream().write(body);
        } catch (IOException gone) {
            // the client closed the connection: nobody to answer (a mutating call is durable already;
            // its retry gets the same answer)
        }
    }

    private static void json(Context ctx, int status, byte[] body) {
        send(ctx, status, body);
    }
}
