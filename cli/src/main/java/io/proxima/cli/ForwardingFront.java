package io.proxima.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.proxima.server.HostCheck;
import io.proxima.server.ServerOptions;
import io.proxima.server.Tenants;
import io.proxima.store.Curricula;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The public port of an instance sharing a Kafka log with others (docs/scale-out.md): it serves no
 * curriculum itself but sends each request to the server of the curriculum's partition — inside
 * the JVM if this instance owns it (the partition's embedded {@link io.proxima.server.ProximaServer}
 * answers on the request's thread and writes to the client itself), else over HTTP to the owner's
 * front, which hands it to its own server.
 *
 * <ul>
 *   <li>A route naming a curriculum ({@code /v1/curricula/ID/...}, and {@code POST /v1/curricula}
 *       by its body's {@code id}) goes to the partition of the stored id (with tenants,
 *       {@code tenant~ID} of the caller's token).
 *   <li>{@code POST /v1/batch} is split by partition and the answers merged in the items' order;
 *       {@code GET /v1/curricula} and the dashboard's list ask every partition and merge.
 *   <li>{@code /metrics} goes to a partition server of this instance: they share one registry, so it
 *       shows every partition served here (each series tagged {@code partition}); an instance that
 *       serves none answers an empty scrape. Other routes (the dashboard's files, openapi) go to
 *       one partition's server.
 *   <li>A partition without an owner (moving after a failure), or an owner that cannot be reached,
 *       is 503 with {@code Retry-After: 1}: the client retries with the same request and batch ids,
 *       which the new owner answers from the log if they were already acknowledged.
 * </ul>
 * A forwarded request carries {@link #PARTITION}: the receiving front hands it to its own server of
 * that partition or answers 503, never forwards it again (no loops while ownership moves).
 */
final class ForwardingFront implements AutoCloseable {
    /** Header of a request forwarded by another front: the partition it is meant for. */
    static final String PARTITION = "X-Proxima-Partition";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers a proxy does not pass on (hop-by-hop), or the HTTP client sets itself. */
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive",
            "te", "trailer", "proxy-connection", "proxy-authorization", "http2-settings", PARTITION.toLowerCase(Locale.ROOT));
    private static final Set<String> HOP_OUT = Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "date", "server");

    private final ServerOptions options;
    private final HostCheck hosts;
    private final Javalin app;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private volatile PartitionOwnership ownership;

    /** Binds {@code options.host():options.port()} and answers 503 until {@link #serve} gives it the partitions' owners. */
    ForwardingFront(ServerOptions options) {
        this.options = options;
        this.hosts = HostCheck.of(options.host(), options.allowedHosts());
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.disableCompression();
            cfg.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(options.http().maxThreads(), 8, 60_000);
            cfg.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                // bodies stream from this connection into the partitions' servers: the same wait for a body's next bytes as their own port had
                h.setIdleTimeout(options.http().bodyTimeoutMillis());
            });
        });
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD)) {
            app.addHttpHandler(m, "/", this::handle);
            app.addHttpHandler(m, "/<rest>", this::handle);
        }
        app.start(options.host(), options.port());
    }

    void serve(PartitionOwnership ownership) {
        this.ownership = ownership;
    }

    int port() {
        return app.port();
    }

    // ---------------------------------------------------------------- routing

    private void handle(Context ctx) throws IOException {
        if (!hosts.allows(ctx.header("Host"), ctx.req().getLocalPort())) {
            error(ctx, 403, "this server does not answer for Host '" + ctx.header("Host") + "' (answered: " + hosts.describe(ctx.req().getLocalPort())
                    + "; add names with --allowed-hosts)", "Host");
            return;
        }
        PartitionOwnership o = ownership;
        String path = ctx.path();
        if (path.equals("/healthz")) {
            health(ctx, o);
            return;
        }
        if (o == null) {
            unavailable(ctx, "this instance is joining the owners of the log");
            return;
        }
        String forwardedTo = ctx.header(PARTITION);
        if (forwardedTo != null) {
            int p;
            try {
                p = Integer.parseInt(forwardedTo.trim());
            } catch (NumberFormatException e) {
                error(ctx, 400, PARTITION + " must be a partition number, got '" + forwardedTo + "'", PARTITION);
                return;
            }
            forward(ctx, o, p, null, true);
            return;
        }
        String method = ctx.method().name();
        String[] seg = path.split("/", -1);
        if (path.equals("/v1/cluster") && method.equals("GET")) {
            cluster(ctx, o);
        } else if (seg.length >= 4 && seg[1].equals("v1") && seg[2].equals("curricula") && !seg[3].isEmpty()) {
            forward(ctx, o, o.partitionOf(stored(ctx, URLDecoder.decode(seg[3], StandardCharsets.UTF_8))), null, false);
        } else if (isPath(path, "/v1/curricula") && method.equals("POST")) {
            byte[] body = body(ctx);
            if (body == null) return;
            JsonNode id = parse(body).path("id");
            forward(ctx, o, id.isTextual() ? o.partitionOf(stored(ctx, id.asText())) : any(o), body, false);
        } else if ((isPath(path, "/v1/curricula") || isPath(path, "/v1/dashboard/curricula")) && method.equals("GET")) {
            list(ctx, o, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        } else if (isPath(path, "/v1/batch") && method.equals("POST")) {
            batch(ctx, o);
        } else if (path.equals("/metrics")) {
            metrics(ctx, o);
        } else {
            forward(ctx, o, any(o), null, false);
        }
    }

    private static boolean isPath(String path, String route) {
        return path.equals(route) || path.equals(route + "/");
    }

    /** The stored id the caller names: with tenants, a tenant's {@code X} is {@code tenant~X} (an admin names stored ids). */
    private String stored(Context ctx, String id) {
        Tenants t = options.tenants();
        if (t == null) return id;
        byte[] token = bearer(ctx.header("Authorization"));
        Tenants.Caller c = token == null ? null : t.find(token);
        return c == null || c.admin() ? id : c.tenant() + Curricula.TENANT_SEPARATOR + id;
    }

    private static byte[] bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).equalsIgnoreCase("Bearer")) return null;
        String credentials = h.substring(sp + 1).strip();
        return credentials.isEmpty() ? null : credentials.getBytes(StandardCharsets.UTF_8);
    }

    /** A partition to answer routes of no curriculum: one served here, else the first one with an owner. */
    private static int any(PartitionOwnership o) {
        if (!o.served().isEmpty()) return o.served().first();
        return o.owners().isEmpty() ? 0 : o.owners().keySet().iterator().next();
    }

    /** The owner's front to forward partition {@code p} to (not for a forwarded request, nor one served here); null: nowhere now. */
    private static String remote(PartitionOwnership o, int p, boolean forwarded) {
        if (forwarded) return null;
        String owner = o.owners().get(p);
        return owner == null || owner.equals(o.advertised()) ? null : owner;
    }

    /**
     * Sends the request to partition {@code p}: to its server here, inside the JVM (the server
     * writes its answer straight to the client), else over HTTP to its owner's front.
     *
     * @param body the body if this front has read it (create, batch), else null (it streams through)
     */
    private void forward(Context ctx, PartitionOwnership o, int p, byte[] body, boolean forwarded) throws IOException {
        PartitionOwnership.Local here = o.local(p);
        if (here != null) {
            here.server().serve(LocalExchange.Request.of(ctx.req(), body), ctx.res());
            return;
        }
        String base = remote(o, p, forwarded);
        if (base == null) {
            unavailable(ctx, "partition " + p + " of the log has no serving owner right now (it is moving to another instance); retry with the same ids");
            return;
        }
        HttpRequest.BodyPublisher publisher;
        long length = ctx.req().getContentLengthLong();
        if (body != null) publisher = HttpRequest.BodyPublishers.ofByteArray(body);
        else if (length == 0 || (length < 0 && ctx.header("Transfer-Encoding") == null)) publisher = HttpRequest.BodyPublishers.noBody();
        else {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return ctx.req().getInputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            publisher = length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString())))
                .method(ctx.method().name(), publisher);
        for (Map.Entry<String, String> h : ctx.headerMap().entrySet()) {
            if (!HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) b.header(h.getKey(), h.getValue());
        }
        b.header(PARTITION, Integer.toString(p));
        HttpResponse<InputStream> res;
        try {
            res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            unavailable(ctx, "the owner of partition " + p + " (" + base + ") cannot be reached: " + e.getMessage() + "; retry with the same ids");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(ctx, "interrupted");
            return;
        }
        ctx.status(res.statusCode());
        res.headers().map().forEach((name, values) -> {
            if (!HOP_OUT.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) ctx.header(name, values.get(0));
        });
        ctx.result(res.body());
    }

    /** A partition's answer to a request this front made itself (a list, a part of a batch). */
    private record Part(int status, byte[] body, String retryAfter) {}

    /**
     * The answer of partition {@code p} to a request this front makes itself: from its server here,
     * inside the JVM (at once, on this thread), else from its owner's front over HTTP.
     */
    private CompletableFuture<Part> ask(Context ctx, PartitionOwnership o, int p, String method, String path, String query, byte[] body) {
        PartitionOwnership.Local here = o.local(p);
        if (here != null) {
            LocalExchange.Captured answer = new LocalExchange.Captured(ctx.res());
            try {
                here.server().serve(new LocalExchange.Request(ctx.req(), method, path, query, body == null ? new byte[0] : body), answer);
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(new Part(answer.status(), answer.body(), answer.header("Retry-After")));
        }
        String base = remote(o, p, false);
        if (base == null) return CompletableFuture.failedFuture(new IOException("partition " + p + " has no serving owner right now"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + (query == null ? "" : "?" + query)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Authorization", "Content-Type")) if (ctx.header(h) != null) b.header(h, ctx.header(h));
        b.header(PARTITION, Integer.toString(p));
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Part(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null)));
    }

    /**
     * {@code GET /v1/curricula} and the dashboard's {@code GET /v1/dashboard/curricula}: every
     * partition's list, merged by id; the first refusal (401, 503) is the answer.
     */
    private void list(Context ctx, PartitionOwnership o, String path) {
        List<CompletableFuture<Part>> parts = new ArrayList<>();
        for (int p = 0; p < o.partitions(); p++) {
            if (o.local(p) == null) parts.add(ask(ctx, o, p, "GET", path, ctx.queryString(), null)); // the remote ones first: they run meanwhile
            else parts.add(null);
        }
        for (int p = 0; p < o.partitions(); p++) if (parts.get(p) == null) parts.set(p, ask(ctx, o, p, "GET", path, ctx.queryString(), null));
        List<JsonNode> all = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            Part r;
            try {
                r = parts.get(p).join();
            } catch (java.util.concurrent.CompletionException e) {
                unavailable(ctx, "partition " + p + " cannot be listed right now (" + e.getCause().getMessage() + "); retry");
                return;
            }
            if (r.status() != 200) {
                ctx.status(r.status()).contentType("application/json").result(r.body());
                if (r.retryAfter() != null) ctx.header("Retry-After", r.retryAfter());
                return;
            }
            parse(r.body()).path("curricula").forEach(all::add);
        }
        all.sort(Comparator.comparing(n -> n.path("id").asText()));
        ObjectNode out = JSON.createObjectNode();
        out.putArray("curricula").addAll(all);
        json(ctx, 200, out);
    }

    /**
     * {@code POST /v1/batch}: items grouped by partition, each group one batch to its owner (at
     * once), the answers put back in the items' order. An item whose partition cannot answer gets
     * that refusal as its own answer, as one item's refusal does in a single server's batch.
     */
    private void batch(Context ctx, PartitionOwnership o) throws IOException {
        byte[] body = body(ctx);
        if (body == null) return;
        JsonNode root = parse(body);
        JsonNode items = root.path("requests");
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        boolean routable = root.isObject() && root.size() == 1 && items.isArray();
        for (int i = 0; routable && i < items.size(); i++) {
            JsonNode c = items.get(i).path("curriculum");
            if (!c.isTextual()) routable = false;
            else groups.computeIfAbsent(o.partitionOf(stored(ctx, c.asText())), k -> new ArrayList<>()).add(i);
        }
        if (!routable || groups.size() <= 1) { // one owner answers it whole (also every refusal of a malformed envelope)
            forward(ctx, o, groups.isEmpty() ? any(o) : groups.keySet().iterator().next(), body, false);
            return;
        }
        Map<Integer, CompletableFuture<Part>> asked = new TreeMap<>();
        for (boolean local : new boolean[] {false, true}) { // the remote parts first: they run while the local ones are answered here
            for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
                if ((o.local(g.getKey()) != null) != local) continue;
                ObjectNode part = JSON.createObjectNode();
                ArrayNode list = part.putArray("requests");
                for (int i : g.getValue()) list.add(items.get(i));
                asked.put(g.getKey(), ask(ctx, o, g.getKey(), "POST", "/v1/batch", null, write(part)));
            }
        }
        JsonNode[] answers = new JsonNode[items.size()];
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            List<Integer> idx = g.getValue();
            Part r = null;
            String why;
            try {
                r = asked.get(g.getKey()).join();
                why = null;
            } catch (java.util.concurrent.CompletionException e) {
                why = e.getCause().getMessage();
            }
            JsonNode responses = r != null && r.status() == 200 ? parse(r.body()).path("responses") : null;
            for (int k = 0; k < idx.size(); k++) {
                if (responses != null && responses.size() == idx.size()) {
                    answers[idx.get(k)] = responses.get(k);
                    continue;
                }
                ObjectNode a = JSON.createObjectNode();
                if (r != null && r.status() != 200) {
                    a.put("status", r.status());
                    a.set("body", parse(r.body()));
                } else {
                    a.put("status", 503);
                    a.putObject("body").put("error", "partition " + g.getKey() + " of the log has no serving owner right now (" + why
                            + "); retry this item with the same ids");
                }
                answers[idx.get(k)] = a;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("responses");
        for (JsonNode a : answers) list.add(a);
        json(ctx, 200, out);
    }

    /** {@code GET /v1/cluster}: which instance owns which partition (admins and single-token callers only). */
    private void cluster(Context ctx, PartitionOwnership o) {
        if (!authorized(ctx)) return;
        ObjectNode out = JSON.createObjectNode();
        out.put("self", o.advertised());
        out.put("partitions", o.partitions());
        ArrayNode owners = out.putArray("owners");
        Map<Integer, String> known = o.owners();
        for (int p = 0; p < o.partitions(); p++) {
            ObjectNode n = owners.addObject();
            n.put("partition", p);
            if (known.get(p) == null) n.putNull("owner");
            else n.put("owner", known.get(p));
            n.put("servedHere", o.local(p) != null);
        }
        json(ctx, 200, out);
    }

    /**
     * {@code /metrics}: what this instance serves, never another instance's (a scrape of each
     * instance must not count an owner twice). Any partition server here answers for all of them.
     */
    private void metrics(Context ctx, PartitionOwnership o) throws IOException {
        java.util.SortedSet<Integer> here = o.served();
        if (!here.isEmpty()) {
            forward(ctx, o, here.first(), null, false);
            return;
        }
        if (!authenticated(ctx)) return;
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result("# this instance serves no partition of the log right now\n");
    }

    /** Any valid token (or none configured): what a partition server asks of a /metrics scrape. */
    private boolean authenticated(Context ctx) {
        if (options.token() == null && options.tenants() == null) return true;
        byte[] given = bearer(ctx.header("Authorization"));
        boolean ok = given != null && (options.tenants() == null ? MessageDigest.isEqual(given, options.token().getBytes(StandardCharsets.UTF_8))
                : options.tenants().find(given) != null);
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, 401, given == null ? "a bearer token is required: send 'Authorization: Bearer <token>'" : "the bearer token is not valid",
                    "Authorization");
        }
        return ok;
    }

    private boolean authorized(Context ctx) {
        if (options.token() == null && options.tenants() == null) return true;
        byte[] given = bearer(ctx.header("Authorization"));
        boolean ok = given != null && (options.tenants() == null ? MessageDigest.isEqual(given, options.token().getBytes(StandardCharsets.UTF_8))
                : options.tenants().find(given) != null && options.tenants().find(given).admin());
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, given == null ? 401 : 403, given == null ? "a bearer token is required: send 'Authorization: Bearer <token>'"
                    : "only an admin token may see the owners of the log", "Authorization");
        }
        return ok;
    }

    private void health(Context ctx, PartitionOwnership o) {
        if (o == null) {
            unavailable(ctx, "this instance is joining the owners of the log");
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("status", "ok");
        out.put("partitionsServedHere", o.served().size());
        out.put("partitionsAssignedHere", o.assigned().size()); // more than served: some are being adopted (their requests get 503)
        json(ctx, 200, out);
    }

    // ---------------------------------------------------------------- bodies and answers

    /** The request body, at most the server's body limit (413 beyond, then null). */
    private byte[] body(Context ctx) throws IOException {
        long limit = options.maxBodyBytes();
        byte[] b = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (b.length > limit) {
            error(ctx, 413, "request body exceeds the limit of " + limit + " bytes", "body");
            return null;
        }
        return b;
    }

    /** The JSON of a body, or a missing node: the owner's server refuses what is not JSON, with its own message. */
    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.missingNode() : n;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static byte[] write(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    private static void error(Context ctx, int status, String message, String field) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", message);
        if (field != null) e.put("field", field);
        json(ctx, status, e);
    }

    private static void unavailable(Context ctx, String message) {
        ctx.header("Retry-After", "1");
        error(ctx, 503, message, "partition");
    }

    @Override
    public void close() {
        app.stop();
    }
}
