package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParameterSpace;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.ConflictException;
import io.proxima.store.Curricula;
import io.proxima.store.Faults;
import io.proxima.store.Kind;
import io.proxima.store.NotFoundException;
import io.proxima.store.StoreFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP/JSON service over a {@link Curricula} store (see docs/api.md and the OpenAPI document
 * at {@code /v1/openapi.json}).
 *
 * <p>This class maps HTTP to the store and adds what a service needs around it: strict request
 * parsing with field paths ({@link Codec}), body size limits, the bearer token, Prometheus
 * metrics. Every refused request is a 4xx {@code {"error": ..., "field": ...}} and changes
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
    private static final Pattern CORE_PATH = Pattern.compile("^((?:outcomes|tasks)\\[\\d+\\](?:\\.[A-Za-z]+(?:\\[\\d+\\])?)?)");
    /** Per-curriculum gauges, removed with the curriculum. */
    private static final String EFFECTIVE_RATIO = "proxima.effective.ratio";
    private static final String LAST_MEAN_RETURN = "proxima.last.mean.return";
    private static final String FLAGGED = "proxima.reports.flagged";

    private final ServerOptions options;
    private final Curricula store;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Javalin app;
    private final byte[] openapi;
    private final byte[] token;
    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> ingested = new java.util.concurrent.ConcurrentHashMap<>();

    private record TimerKey(String method, String route, int status) {}

    private ProximaServer(ServerOptions options, Curricula store) {
        this.options = options;
        this.store = store;
        this.token = options.token() == null ? null : options.token().getBytes(StandardCharsets.UTF_8);
        try (InputStream in = ProximaServer.class.getResourceAsStream("openapi.json")) {
            this.openapi = in == null ? "{}".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FunctionCounter.builder("proxima.store.commits", store, Curricula::commits)
                .description("database transactions committed").register(metrics);
        FunctionCounter.builder("proxima.store.committed.events", store, Curricula::committedOps)
                .description("writes committed (events, snapshots, checkpoints); / commits = group size").register(metrics);
        Gauge.builder("proxima.curricula", store, s -> s.ids().size()).description("curricula held").register(metrics);
        Gauge.builder("proxima.store.failed", store, s -> s.failed() ? 1 : 0)
                .description("1 while the store refuses writes (e.g. a full disk), else 0").register(metrics);
        for (String id : store.ids()) registerCurriculumGauge(id, store.kind(id));
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = options.maxBodyBytes();
            // Answers are small JSON for clients on the same host or network; checking every
            // answer for gzip/brotli cost ~3 % of the server's CPU and no client here asks for it.
            cfg.http.disableCompression();
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.defaultHost = options.host();
        });
        routes();
    }

    /** Opens the store in the data directory (recovering every curriculum) and starts serving. */
    public static ProximaServer start(ServerOptions options) {
        return start(options, Faults.NONE);
    }

    /** {@link #start(ServerOptions)} with faults injected into the store's calls (tests of the rollback rule). */
    public static ProximaServer start(ServerOptions options, Faults faults) {
        Curricula store = Curricula.open(options.dataDir(), options.store(), faults);
        ProximaServer s;
        try {
            s = new ProximaServer(options, store);
            s.app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return s;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    public ServerOptions options() {
        return options;
    }

    @Override
    public void close() {
        app.stop();
        store.close();
    }

    // ------------------------------------------------------------------ routes

    private void routes() {
        app.before(this::before);
        app.after(this::after);
        app.exception(Exception.class, this::fail);
        app.error(404, ctx -> {
            if (ctx.attribute(ERROR) == null) send(ctx, 404, Codec.error("no route " + ctx.method() + " " + ctx.path(), "path"));
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ERROR) == null) send(ctx, 405, Codec.error("method " + ctx.method() + " is not allowed on " + ctx.path(), "method"));
        });

        app.get("/healthz", this::health);
        app.get("/metrics", ctx -> {
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
            ctx.result(metrics.scrape());
        });
        app.get("/v1/openapi.json", ctx -> json(ctx, 200, openapi));

        app.post("/v1/curricula", this::create);
        app.get("/v1/curricula", ctx -> json(ctx, 200, Codec.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("curricula");
            for (String id : store.ids()) {
                Curricula.Info i;
                try {
                    i = store.info(id);
                } catch (NotFoundException e) {
                    continue; // deleted meanwhile
                }
                Codec.info(g, i);
            }
            g.writeEndArray();
            g.writeEndObject();
        })));
        app.get("/v1/curricula/{id}", ctx -> json(ctx, 200, Codec.info(store.info(ctx.pathParam("id")))));
        app.delete("/v1/curricula/{id}", ctx -> {
            String id = ctx.pathParam("id");
            store.delete(id);
            for (String meter : List.of(EFFECTIVE_RATIO, LAST_MEAN_RETURN, FLAGGED, "proxima.outcomes.ingested")) {
                metrics.find(meter).tag("curriculum", id).meters().forEach(metrics::remove);
            }
            ingested.remove(id);
            json(ctx, 200, Codec.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("deleted", id);
                g.writeEndObject();
            }));
        });
        app.post("/v1/curricula/{id}/tasks", this::addTasks);
        app.post("/v1/curricula/{id}/next", this::next);
        app.post("/v1/curricula/{id}/report", this::report);
        app.get("/v1/curricula/{id}/stats", ctx -> {
            String id = ctx.pathParam("id");
            json(ctx, 200, store.kind(id) == Kind.CONTINUOUS
                    ? Codec.continuousStats(id, store.continuousStats(id)) : Codec.stats(id, store.stats(id)));
        });
        app.post("/v1/curricula/{id}/checkpoints", ctx -> {
            JsonNode body = body(ctx);
            Codec.onlyFields(body, "", Set.of("step"));
            long step = Codec.integer(body, "", "step", null, 0, Long.MAX_VALUE);
            Curricula.Checkpoint c = store.checkpoint(ctx.pathParam("id"), step);
            json(ctx, 201, Codec.bytes(g -> Codec.checkpoint(g, c)));
        });
        app.get("/v1/curricula/{id}/checkpoints", ctx -> {
            List<Curricula.Checkpoint> cs = store.checkpoints(ctx.pathParam("id"));
            json(ctx, 200, Codec.bytes(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("checkpoints");
                for (Curricula.Checkpoint c : cs) Codec.checkpoint(g, c);
                g.writeEndArray();
                g.writeEndObject();
            }));
        });
        app.post("/v1/curricula/{id}/checkpoints/{step}/restore", ctx -> {
            long step;
            try {
                step = Long.parseLong(ctx.pathParam("step"));
            } catch (NumberFormatException e) {
                throw ApiException.bad("step", "must be an integer, got '" + ctx.pathParam("step") + "'");
            }
            Curricula.Checkpoint c = store.restore(ctx.pathParam("id"), step);
            json(ctx, 200, Codec.bytes(g -> Codec.checkpoint(g, c)));
        });
        app.get("/v1/curricula/{id}/log", this::exportLog);
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

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        Codec.onlyFields(body, "", Set.of("id", "kind", "config"));
        String id = Codec.text(body, "", "id", true);
        try {
            Curricula.checkId(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("id", e.getMessage());
        }
        JsonNode cfg = body.get("config");
        if (cfg == null || cfg.isNull()) cfg = Codec.MAPPER.createObjectNode();
        if (!cfg.isObject()) throw ApiException.bad("config", "must be an object, got " + Codec.type(cfg));
        Kind kind = kindOf(body, cfg);
        String json = cfg.toString();
        Curricula.Info info = kind == Kind.CONTINUOUS
                ? store.create(id, config(() -> ContinuousConfig.fromJson(json)))
                : store.create(id, config(() -> CurriculumConfig.fromJson(json)));
        registerCurriculumGauge(id, kind);
        json(ctx, 201, Codec.info(info));
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

    /** The box of a continuous curriculum, or null if it is discrete (404 if there is none). */
    private ParameterSpace spaceOf(String id) {
        return store.kind(id) == Kind.CONTINUOUS ? store.readContinuous(id, ContinuousCurriculum::space) : null;
    }

    private void addTasks(Context ctx) {
        String id = ctx.pathParam("id");
        if (store.kind(id) == Kind.CONTINUOUS) { // 404 or 409 before reading a large body
            throw new ConflictException("kind", "curriculum '" + id + "' is continuous: its tasks are proposed from its parameter box"
                    + " by next; POST /tasks applies to discrete curricula only");
        }
        List<TaskSpec> tasks = Codec.tasks(limited(ctx, options.maxTasksBodyBytes()), maxTasksPerUpload());
        if (tasks.isEmpty()) throw ApiException.bad("tasks", "must hold at least one task");
        int total = coreCall("tasks", () -> store.addTasks(id, tasks));
        json(ctx, 200, Codec.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("added", tasks.size());
            g.writeNumberField("tasks", total);
            g.writeEndObject();
        }));
    }

    private void next(Context ctx) {
        String id = ctx.pathParam("id");
        JsonNode body = body(ctx);
        Codec.onlyFields(body, "", Set.of("n", "requestId"));
        int n = (int) Codec.integer(body, "", "n", null, 1, ServerOptions.MAX_BATCH);
        String requestId = key(body, "requestId");
        ParameterSpace space = spaceOf(id);
        Curricula.Reply r = space == null
                ? coreCall("n", () -> store.next(id, n, requestId, StoredAnswers::selection))
                : coreCall("n", () -> store.nextParams(id, n, requestId, ts -> Codec.paramTasks(ts, space, requestId)));
        if (r.replayed()) ctx.header("Proxima-Replayed", "true");
        json(ctx, 200, space == null ? StoredAnswers.selectionJson(r.body(), requestId) : r.body());
    }

    private void report(Context ctx) {
        String id = ctx.pathParam("id");
        ParameterSpace space = spaceOf(id); // the body's shape depends on the kind
        InputStream in = limited(ctx, options.maxBodyBytes());
        Curricula.Reply r;
        byte[] body;
        int count;
        if (space == null) {
            Codec.ReportRequest<Outcome> req = Codec.reportRequest(in);
            String batchId = checkKey("batchId", req.batchId());
            List<Outcome> outcomes = req.outcomes();
            count = outcomes.size();
            r = coreCall("outcomes", () -> store.report(id, batchId, outcomes, StoredAnswers::report));
            body = StoredAnswers.reportJson(r.body(), batchId);
        } else {
            Codec.ReportRequest<ParamOutcome> req = Codec.paramReportRequest(in, space);
            String batchId = checkKey("batchId", req.batchId());
            List<ParamOutcome> outcomes = req.outcomes();
            count = outcomes.size();
            r = coreCall("outcomes", () -> store.reportParams(id, batchId, outcomes, episodes -> Codec.paramReport(count, episodes, batchId)));
            body = r.body();
        }
        if (r.replayed()) ctx.header("Proxima-Replayed", "true");
        else ingested(id).increment(count); // only known curricula get a series
        json(ctx, 200, body);
    }

    private void exportLog(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        Curricula.Info info = store.info(id);
        ctx.status(200);
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.outputStream();
        Codec.write(out, g -> {
            g.writeStartObject();
            g.writeNumberField("seq", 0);
            g.writeStringField("type", "create");
            g.writeStringField("id", id);
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
        return ingested.computeIfAbsent(id, k -> Counter.builder("proxima.outcomes.ingested").description("outcomes applied by report")
                .tag("curriculum", k).register(metrics));
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
                FunctionCounter.builder(FLAGGED, store, s -> {
                            try {
                                var st = s.stats(id);
                                return f == io.proxima.core.outcome.ReportFlag.NOT_SELECTED ? st.notSelected() : st.rolloutsMismatch();
                            } catch (RuntimeException e) {
                                return Double.NaN;
                            }
                        }).description("reported outcomes applied though they cannot be right: no selection awaited them (notSelected),"
                                + " or their rewards differ from the rollouts allotted (rolloutsMismatch)")
                        .tag("curriculum", id).tag("flag", f.key).register(metrics);
            }
        }
    }

    /** A per-curriculum gauge; NaN once the curriculum is gone. */
    private void gauge(String name, String id, String description, java.util.function.ToDoubleFunction<Curricula> value) {
        Gauge.builder(name, store, s -> {
                    try {
                        return value.applyAsDouble(s);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                }).description(description).tag("curriculum", id).register(metrics);
    }

    /** Bytes of heap one uploaded task may take while the upload is parsed and applied (a generous estimate). */
    private static final long HEAP_PER_UPLOADED_TASK = 400;

    /** Tasks one upload may hold: a quarter of the heap at {@link #HEAP_PER_UPLOADED_TASK}, so no upload can exhaust memory. */
    static int maxTasksPerUpload() {
        return (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_UPLOADED_TASK);
    }

    private static String key(JsonNode body, String field) {
        return checkKey(field, Codec.text(body, "", field, false));
    }

    private static String checkKey(String field, String k) {
        if (k != null && (k.isEmpty() || k.length() > Curricula.MAX_KEY)) {
            throw ApiException.bad(field, "must be 1-" + Curricula.MAX_KEY + " characters, got " + k.length());
        }
        return k;
    }

    /** Runs a store call, naming the field of a core validation error. */
    private static <T> T coreCall(String defaultField, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConfigException e) {
            throw ApiException.bad(e.path(), e.getMessage());
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            Matcher m = CORE_PATH.matcher(msg);
            throw ApiException.bad(m.find() ? m.group(1) : defaultField, msg);
        }
    }

    private InputStream limited(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw LimitedInputStream.tooLarge(limit);
        try {
            return new LimitedInputStream(ctx.req().getInputStream(), limit);
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
    }

    private JsonNode body(Context ctx) {
        return Codec.object(limited(ctx, options.maxBodyBytes()));
    }

    private void before(Context ctx) {
        ctx.attribute(START, System.nanoTime());
        if (token == null || ctx.path().equals("/healthz")) return;
        String h = ctx.header("Authorization");
        byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : null;
        if (given == null || !MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "Authorization", given == null
                    ? "a bearer token is required: send 'Authorization: Bearer <token>'" : "the bearer token is not valid");
        }
    }

    private void after(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) return;
        String route = ctx.endpointHandlerPath();
        if (route == null || route.isEmpty() || route.startsWith("No handler")) route = "unmatched";
        // Looked up in our own map: building and registering a Timer per request costs more than the request's JSON.
        timers.computeIfAbsent(new TimerKey(ctx.method().name(), route, ctx.statusCode()), k -> Timer.builder("proxima.requests")
                        .description("HTTP requests by route and status")
                        .tag("method", k.method()).tag("route", k.route()).tag("status", Integer.toString(k.status()))
                        .publishPercentileHistogram(false).publishPercentiles(0.5, 0.99)
                        .register(metrics))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private void fail(Exception e, Context ctx) {
        int status;
        String field;
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof ApiException a) {
            status = a.status();
            field = a.field();
        } else if (e instanceof NotFoundException n) {
            status = 404;
            field = n.field();
        } else if (e instanceof ConflictException c) {
            status = 409;
            field = c.field();
        } else if (e instanceof StoreFailedException) {
            status = 503;
            field = null;
        } else if (e instanceof io.javalin.http.HttpResponseException h) {
            status = h.getStatus();
            field = status == 413 ? "body" : null;
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
            field = null;
        } else {
            status = 500;
            field = null;
            msg = "internal error: " + msg;
            org.slf4j.LoggerFactory.getLogger(ProximaServer.class).error("request {} {} failed", ctx.method(), ctx.path(), e);
        }
        ctx.attribute(ERROR, Boolean.TRUE);
        send(ctx, status, Codec.error(msg, field));
    }

    private static void send(Context ctx, int status, byte[] body) {
        ctx.status(status);
        ctx.contentType(JSON);
        ctx.result(body);
    }

    private static void json(Context ctx, int status, byte[] body) {
        send(ctx, status, body);
    }
}
