package io.proxima.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route table: which methods each path template answers and which media types its body may
 * have. It lets a request be refused before any handler runs — 404 for a path no route has, 405
 * with {@code Allow} for a method the path does not answer (Javalin alone answers both with 404),
 * 415 for a body of another type ({@link RequestGuard}) — and names the route in metrics.
 */
final class Routes {
    /** Media types of a JSON body. */
    static final Set<String> JSON = Set.of("application/json");
    /** Media types of a task upload: JSON, or JSONL under its usual names. */
    static final Set<String> JSON_OR_JSONL = Set.of("application/json", "application/x-ndjson", "application/jsonl", "application/json-lines");

    /**
     * One route: its method, its template (e.g. /v1/curricula/{id}/next), the body types it takes
     * (empty: no body), and whether it is open without the bearer token (the dashboard's static files).
     */
    record Route(String method, String template, String[] segments, Set<String> bodyTypes, boolean open) {
        /**
         * Whether {@code path} (no trailing slash) fits the template: as many segments, literal ones
         * equal, a {@code {param}} one any non-empty text. Compared in place, without a regex or a
         * split: every request is matched against the table, a trainer's step after a dozen routes.
         */
        boolean matches(String path) {
            if (path.isEmpty() || path.charAt(0) != '/') return false;
            int at = 1;
            for (String seg : segments) {
                if (at > path.length()) return false;
                int end = path.indexOf('/', at);
                if (end < 0) end = path.length();
                if (seg == null ? end == at : end - at != seg.length() || !path.regionMatches(at, seg, 0, seg.length())) return false;
                at = end + 1;
            }
            return at == path.length() + 1;
        }
    }

    /** A path matched against the table: the route for the method, or the methods the path does answer. */
    record Match(Route route, Set<String> allowed) {}

    private final List<Route> routes = new ArrayList<>();

    void add(String method, String template, Set<String> bodyTypes) {
        add(method, template, bodyTypes, false);
    }

    void add(String method, String template, Set<String> bodyTypes, boolean open) {
        String[] segments = template.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) if (segments[i].startsWith("{")) segments[i] = null; // a parameter
        routes.add(new Route(method, template, segments, Set.copyOf(bodyTypes), open));
    }

    /** The route answering {@code method} on {@code path}, else the methods the path answers (empty: no such path). */
    Match match(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path; // trailing slashes are ignored
        Set<String> allowed = null;
        for (Route r : routes) {
            if (r.matches(p)) {
                if (r.method.equals(method)) return new Match(r, Set.of());
                if (allowed == null) allowed = new TreeSet<>();
                allowed.add(r.method);
            }
        }
        return new Match(null, allowed == null ? Set.of() : allowed);
    }
}
