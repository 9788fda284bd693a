package io.proxima.server;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * What every request passes before its handler, in this order (see docs/api.md, "Security"):
 * <ol>
 *   <li><b>Host</b> ({@link HostCheck}): 403 on field {@code Host} — DNS rebinding;
 *   <li><b>route</b> ({@link Routes}): 404 on {@code path}, 405 on {@code method} with {@code Allow};
 *   <li><b>bearer token</b> (when one is set, or a token file with {@code --tokens}; not on
 *       {@code /healthz} nor the dashboard's static files, which hold no data): 401 on {@code Authorization}.
 *       With a token file, the token's {@link Tenants.Caller} is noted on the request ({@link Namespace#CALLER}).
 *       The scheme is matched in any case ({@code bearer}, {@code BEARER}: RFC 7235 §2.1);
 *   <li><b>Content-Type</b> of every POST, empty bodies included: {@code application/json} (task
 *       uploads: also JSONL), charset UTF-8 if one is named; else 415 on {@code Content-Type}.
 *       A browser sends a cross-origin POST without asking first only with a form type or
 *       {@code text/plain}: requiring JSON forces its CORS preflight, which this server never
 *       grants (it sends no CORS headers), so no web page can make it change anything.
 * </ol>
 */
final class RequestGuard {
    /** Request attribute holding the matched {@link Routes.Route}. */
    static final String ROUTE = "proxima.route";

    private final HostCheck hosts;
    private final Routes routes;
    private final byte[] token;
    private final Tenants tenants;

    /** {@code token}: the one token, or null; {@code tenants}: the token file, or null (never both). */
    RequestGuard(HostCheck hosts, Routes routes, String token, Tenants tenants) {
        this.hosts = hosts;
        this.routes = routes;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.tenants = tenants;
    }

    void check(Context ctx) {
        String host = ctx.header("Host");
        int port = ctx.req().getLocalPort();
        if (!hosts.allows(host, port)) {
            throw new ApiException(403, "Host", "this server does not answer for Host '" + host + "' (answered: " + hosts.describe(port)
                    + "; add names with --allowed-hosts)");
        }
        String method = ctx.method().name();
        Routes.Match m = routes.match(method, ctx.path());
        if (m.route() == null) {
            if (m.allowed().isEmpty()) throw new ApiException(404, "path", "no route " + method + " " + ctx.path());
            ctx.header("Allow", String.join(", ", m.allowed()));
            throw new ApiException(405, "method", "method " + method + " is not allowed on " + ctx.path() + "; allowed: " + String.join(", ", m.allowed()));
        }
        ctx.attribute(ROUTE, m.route());
        if ((token != null || tenants != null) && !m.route().template().equals("/healthz") && !m.route().open()) authorize(ctx);
        if (method.equals("POST")) contentType(ctx.header("Content-Type"), m.route().bodyTypes());
    }

    private void authorize(Context ctx) {
        byte[] given = bearer(ctx.header("Authorization"));
        Tenants.Caller caller = tenants == null || given == null ? null : tenants.find(given);
        if (caller != null) ctx.attribute(Namespace.CALLER, caller);
        if (given == null || (tenants == null ? !MessageDigest.isEqual(given, token) : caller == null)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "Authorization", given == null
                    ? "a bearer token is required: send 'Authorization: Bearer <token>'" : "the bearer token is not valid");
        }
    }

    /** The credentials of a Bearer authorization (scheme in any case, then one or more spaces), else null. */
    static byte[] bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).equalsIgnoreCase("Bearer")) return null;
        String credentials = h.substring(sp + 1).strip();
        return credentials.isEmpty() ? null : credentials.getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses a POST whose Content-Type is missing, not one of {@code allowed}, or names a charset other than UTF-8. */
    static void contentType(String header, Set<String> allowed) {
        String expected = String.join(" or ", new java.util.TreeSet<>(allowed));
        if (header == null || header.isBlank()) {
            throw new ApiException(415, "Content-Type", "a POST needs 'Content-Type: " + expected + "' (also with an empty body)");
        }
        String[] parts = header.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(type)) {
            throw new ApiException(415, "Content-Type", "Content-Type must be " + expected + ", got '" + header.strip() + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String cs = p.substring(eq + 1).strip().replace("\"", "");
                if (!cs.equalsIgnoreCase("utf-8")) throw new ApiException(415, "Content-Type", "bodies are UTF-8 JSON; charset '" + cs + "' is not supported");
            }
        }
    }
}
