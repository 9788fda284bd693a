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

    public Dashboard(Curricula store, Histories histories) {
        this.store = store;
        this.histories = histories;
    }

    public Histories histories() {
        return histories;
    }

    public void register(Registrar r) {
        r.add("GET", "/", true, ctx -> file(ctx, "index.html"));
        r.add("GET", "/dashboard/{file}", true, ctx -> file(ctx, ctx.pathParam("file")));
        r.add("GET", "/v1/curricula/{id}/history", false, this::history);
        r.add("GET", "/v1/curricula/{id}/history.csv", false, this::historyCsv);
        r.add("GET", "/v1/curricula/{id}/selections", false, this::selections);
        r.add("GET", "/v1/curricula/{id}/task-history", false, this::taskHistory);
    }

    private void history(Context ctx) {
        String id = ctx.pathParam("id");
        int last = intParam(ctx, "last", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        json(ctx, histories.read(id, h -> Json.bytes(g -> h.writeJson(g, last))));
    }

    private void historyCsv(Context ctx) {
        String id = ctx.pathParam("id");
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
        ctx.header("Content-Disposition", "attachment; filename=\"" + id + "-history.csv\"");
        ctx.result(csv);
    }

    private void selections(Context ctx) {
        String id = ctx.pathParam("id");
        String order = ctx.queryParam("order");
        if (order == null) order = "most";
        if (!order.equals("most") && !order.equals("least")) throw ApiException.bad("order", "must be 'most' or 'least', got '" + order + "'");
        boolean most = order.equals("most");
        String q = ctx.queryParam("q");
        int limit = intParam(ctx, "limit", 20, 1, MAX_LIMIT);
        if (store.kind(id) != Kind.DISCRETE) {
            throw new ApiException(409, "kind", "curriculum '" + id + "' is continuous: selections rank the tasks of a discrete pool");
        }
        json(ctx, histories.read(id, h -> {
            DiscreteHistory d = (DiscreteHistory) h;
            TaskTally.Ranked ranked = d.rank(most, q, limit);
            return Json.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("id", id);
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
        String id = ctx.pathParam("id");
        String taskId = ctx.queryParam("taskId");
        if (taskId == null || taskId.isEmpty()) throw ApiException.bad("taskId", "give the task's id: ?taskId=...");
        TaskHistory t = TaskHistory.of(store, id, taskId);
        json(ctx, Json.bytes(g -> t.writeJson(g, id)));
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
