package io.proxima.server.dashboard;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.proxima.server.ApiException;
import io.proxima.store.Curricula;
import io.proxima.store.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard: a static page at {@code /} (plain HTML, JS, CSS and the vendored uPlot, all from
 * the server's jar: it works offline) and the {@code /v1} routes it reads (docs/dashboard.md):
 * <ul>
 *   <li>{@code GET /v1/dashboard/curricula} — every curriculum with its counts, effective ratio and last report time;
 *   <li>{@code GET /v1/curricula/{id}/history} — per-step series and the state now ({@link History});
 *   <li>{@code GET /v1/curricula/{id}/history.csv} — the same series, one CSV row per step;
 *   <li>{@code GET /v1/curricula/{id}/selections} — the most or least selected tasks, searchable by id;
 *   <li>{@code GET /v1/curricula/{id}/task-history} — one task's selections, rewards and pass-rate estimate.
 * </ul>
 * The page and its files are open (they hold no data, and a browser cannot send a bearer token
 * when it loads a page); the data routes require the token like every {@code /v1} route, and the
 * page sends it from a field kept in the tab's sessionStorage.
 */
public final class Dashboard {
    /** Registers a route with the server: method, path template, whether it is open without the token, handler. */
    public interface Registrar {
        void add(String method, String path, boolean open, Handler handler);
    }

    private static final String WEB = "web/";
    /** The page's files: name → content type. Only these are served. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8",
            "uPlot.LICENSE", "text/plain; charset=utf-8");
    /**
     * Only the page's own files run and load; fetches go to this server only; blob: images are lab
     * report plots opened from the user's disk. Task ids are shown as text, never as markup.
     */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int MAX_LIMIT = 1000;

    private final Curricula store;
    private final Histories histories;
    private final CurriculumScope scope;
    private final ReportClock clock = new ReportClock();
    private final boolean tokenRequired;

    /** {@code tokenRequired}: the server has a token (the page then asks for it before reading data). */
    public Dashboard(Curricula store, Histories histories, CurriculumScope scope, boolean tokenRequired) {
        this.store = store;
        this.histories = histories;
        this.scope = scope;
        this.tokenRequired = tokenRequired;
    }

    public Histories histories() {
        return histories;
    }

    /** Where the server notes each successful report ({@code /report}, {@code /step}) for "last report". */
    public ReportClock clock() {
        return clock;
    }

    /** The curriculum is gone or restored: its history is rebuilt, its report time forgotten when deleted. */
    public void forget(String id, boolean deleted) {
        histories.forget(id);
        if (deleted) clock.forget(id);
    }

    public void register(Registrar r) {
        r.add("GET", "/", true, ctx -> file(ctx, "index.html"));
        // whether to ask for a token: tells no more than the 401 any data route would answer
        r.add("GET", "/dashboard/config.json", true, ctx -> json(ctx, Json.bytes(g -> {
            g.writeStartObject();
            g.writeBooleanField("tokenRequired", tokenRequired);
            g.writeEndObject();
        })));
        r.add("GET", "/dashboard/{file}", true, ctx -> file(ctx, ctx.pathParam("file")));
        r.add("GET", "/v1/dashboard/curricula", false, this::summary);
        r.add("GET", "/v1/curricula/{id}/history", false, this::history);
        r.add("GET", "/v1/curricula/{id}/history.csv", false, this::historyCsv);
        r.add("GET", "/v1/curricula/{id}/selections", false, this::selections);
        r.add("GET", "/v1/curricula/{id}/task-history", false, this::taskHistory);
    }

    /** The stored id of the path's curriculum (in the caller's namespace), 404 if the scope hides it. */
    private String id(Context ctx) {
        String sent = ctx.pathParam("id");
        String id = scope.internal(ctx, sent);
        if (!scope.visible(ctx, id)) throw io.proxima.store.NotFoundException.curriculum(sent);
        return id;
    }

    private void summary(Context ctx) {
        json(ctx, Json.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("curricula");
            for (String id : store.ids()) {
                if (!scope.visible(ctx, id)) continue;
                try {
                    summary(g, id, scope.external(ctx, id));
                } catch (io.proxima.store.NotFoundException e) {
                    // deleted meanwhile
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void summary(com.fasterxml.jackson.core.JsonGenerator g, String id, String shown) throws IOException {
        Curricula.Info info = store.info(id);
        g.writeStartObject();
        g.writeStringField("id", shown);
        g.writeStringField("kind", info.kind().key());
        g.writeStringField(info.kind() == Kind.CONTINUOUS ? "teacherType" : "recipe", info.recipe());
        g.writeNumberField("events", info.events());
        g.writeNumberField("batches", info.batches());
        if (info.kind() == Kind.CONTINUOUS) {
            var s = store.continuousStats(id);
            g.writeNumberField("proposed", s.proposed());
            g.writeNumberField("reports", s.reports());
            g.writeNumberField("episodes", s.episodes());
            Json.num(g, "meanReturn", s.meanReturn());
            Json.num(g, "lastMeanReturn", s.lastMeanReturn());
        } else {
            var s = store.stats(id);
            g.writeNumberField("tasks", s.tasks());
            g.writeNumberField("reports", s.reports());
            g.writeNumberField("rollouts", s.rollouts());
            Json.num(g, "effectiveRatio", s.effectiveRatio());
            Json.num(g, "lastEffectiveRatio", s.lastEffectiveRatio());
        }
        long at = clock.last(id);
        if (at >= 0) g.writeNumberField("lastReportAt", at);
        else g.writeNullField("lastReportAt");
        g.writeEndObject();
    }

    private void history(Context ctx) {
        String id = id(ctx);
        int last = intParam(ctx, "last", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        json(ctx, shownId(histories.read(id, h -> Json.bytes(g -> h.writeJson(g, last))), id, scope.external(ctx, id)));
    }

    /**
     * A history's JSON with its leading {@code "id"} (the stored id) shown as the caller's: the
     * history writes it first ({@link History#writeJson}), so exactly that field is replaced.
     */
    static byte[] shownId(byte[] json, String id, String shown) {
        if (id.equals(shown)) return json;
        byte[] head = idHead(id);
        if (json.length < head.length || !java.util.Arrays.equals(json, 0, head.length, head, 0, head.length)) {
            throw new IllegalStateException("a history's JSON does not begin with its id");
        }
        byte[] newHead = idHead(shown);
        byte[] out = new byte[json.length - head.length + newHead.length];
        System.arraycopy(newHead, 0, out, 0, newHead.length);
        System.arraycopy(json, head.length, out, newHead.length, json.length - head.length);
        return out;
    }

    /** {@code {"id":"<id>"} as a history's JSON begins. */
    private static byte[] idHead(String id) {
        byte[] quoted = Json.bytes(g -> g.writeString(id));
        byte[] open = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(open, open.length + quoted.length);
        System.arraycopy(quoted, 0, out, open.length, quoted.length);
        return out;
    }

    private void historyCsv(Context ctx) {
        String id = id(ctx);
        byte[] csv = histories.read(id, h -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(8192);
            try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                h.writeCsv(w);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        });
        ctx.status(200);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + scope.external(ctx, id) + "-history.csv\"");
        ctx.result(csv);
    }

    private void selections(Context ctx) {
        String id = id(ctx);
        String order = ctx.queryParam("order");
        if (order == null) order = "most";
        if (!order.equals("most") && !order.equals("least")) throw ApiException.bad("order", "must be 'most' or 'least', got '" + order + "'");
        boolean most = order.equals("most");
        String q = ctx.queryParam("q");
        int limit = intParam(ctx, "limit", 20, 1, MAX_LIMIT);
        if (store.kind(id) != Kind.DISCRETE) {
            throw new ApiException(409, "kind", "curriculum '" + scope.external(ctx, id) + "' is continuous: selections rank the tasks of a discrete pool");
        }
        json(ctx, histories.read(id, h -> {
            DiscreteHistory d = (DiscreteHistory) h;
            TaskTally.Ranked ranked = d.rank(most, q, limit);
            return Json.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("id", scope.external(ctx, id));
                g.writeStringField("order", most ? "most" : "least");
                g.writeNumberField("matched", ranked.matched());
                g.writeArrayFieldStart("tasks");
                for (TaskTally.Row t : ranked.tasks()) d.writeTask(g, t);
                g.writeEndArray();
                g.writeEndObject();
            });
        }));
    }

    private void taskHistory(Context ctx) {
        String id = id(ctx);
        String taskId = ctx.queryParam("taskId");
        if (taskId == null || taskId.isEmpty()) throw ApiException.bad("taskId", "give the task's id: ?taskId=...");
        TaskHistory t = TaskHistory.of(store, id, taskId);
        json(ctx, Json.bytes(g -> t.writeJson(g, scope.external(ctx, id))));
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) return fallback;
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.bad(name, "must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) throw ApiException.bad(name, "must be in [" + min + ", " + max + "], got " + n);
        return (int) n;
    }

    private static void json(Context ctx, byte[] body) {
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private static void file(Context ctx, String name) {
        String type = FILES.get(name);
        if (type == null) throw new ApiException(404, "path", "no dashboard file '" + name + "'");
        byte[] bytes;
        try (InputStream in = Dashboard.class.getResourceAsStream(WEB + name)) {
            if (in == null) throw new ApiException(404, "path", "no dashboard file '" + name + "'");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(200);
        ctx.contentType(type);
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.result(bytes);
    }
}
