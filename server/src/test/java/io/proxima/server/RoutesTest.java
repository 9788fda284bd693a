package io.proxima.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The route table's matching, in place of a regex per route: checked against that regex. */
class RoutesTest {
    private static final List<String[]> TABLE = List.of(
            new String[] {"GET", "/healthz"}, new String[] {"GET", "/"}, new String[] {"POST", "/v1/curricula"},
            new String[] {"GET", "/v1/curricula"}, new String[] {"GET", "/v1/curricula/{id}"}, new String[] {"DELETE", "/v1/curricula/{id}"},
            new String[] {"POST", "/v1/curricula/{id}/next"}, new String[] {"POST", "/v1/curricula/{id}/step"},
            new String[] {"GET", "/v1/curricula/{id}/checkpoints"}, new String[] {"POST", "/v1/curricula/{id}/checkpoints"},
            new String[] {"POST", "/v1/curricula/{id}/checkpoints/{step}/restore"}, new String[] {"GET", "/dashboard/{file}"});

    private static final java.util.Map<String, Pattern> REGEX = new java.util.HashMap<>();

    static {
        for (String[] t : TABLE) REGEX.put(t[1], regex(t[1]));
    }

    private static Routes table() {
        Routes r = new Routes();
        for (String[] t : TABLE) r.add(t[0], t[1], Set.of());
        return r;
    }

    /** The former matcher: one regex per template, a parameter = one or more characters other than '/'. */
    private static Pattern regex(String template) {
        StringBuilder re = new StringBuilder();
        for (String seg : template.substring(1).split("/")) re.append('/').append(seg.startsWith("{") ? "[^/]+" : Pattern.quote(seg));
        return Pattern.compile(re.toString());
    }

    /** What the regexes answered: the template of the route, or null and the methods the path answers. */
    private record Expected(String template, Set<String> allowed) {}

    private static Expected byRegex(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> allowed = new TreeSet<>();
        for (String[] t : TABLE) {
            if (REGEX.get(t[1]).matcher(p).matches()) {
                if (t[0].equals(method)) return new Expected(t[1], Set.of());
                allowed.add(t[0]);
            }
        }
        return new Expected(null, allowed);
    }

    @Test
    void pathsMatchTheirRoutesByHand() {
        Routes r = table();
        assertThat(r.match("POST", "/v1/curricula/a-1/step").route().template()).isEqualTo("/v1/curricula/{id}/step");
        assertThat(r.match("POST", "/v1/curricula/a-1/step/").route().template()).isEqualTo("/v1/curricula/{id}/step");
        assertThat(r.match("GET", "/").route().template()).isEqualTo("/");
        assertThat(r.match("GET", "/healthz").route().template()).isEqualTo("/healthz");
        assertThat(r.match("POST", "/v1/curricula/x/checkpoints/12/restore").route().template()).isEqualTo("/v1/curricula/{id}/checkpoints/{step}/restore");
        Routes.Match wrongMethod = r.match("GET", "/v1/curricula/a/step");
        assertThat(wrongMethod.route()).isNull();
        assertThat(wrongMethod.allowed()).containsExactly("POST");
        assertThat(r.match("PUT", "/v1/curricula/a").allowed()).containsExactly("DELETE", "GET");
        for (String none : List.of("", "healthz", "/healthzz", "/v1/curricula//step", "/v1/curricula/a/step/x", "/v1//", "/v1/curricula/a//")) {
            Routes.Match m = r.match("GET", none);
            assertThat(m.route()).as(none).isNull();
            assertThat(m.allowed()).as(none).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theTableMatchesAsTheRegexesDidOnSeededPaths(long seed) {
        Routes r = table();
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] pieces = {"v1", "curricula", "step", "next", "checkpoints", "restore", "healthz", "dashboard", "a", "12", "", "x.y", "%2F", "stepx"};
        String[] methods = {"GET", "POST", "DELETE", "PUT"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder p = new StringBuilder();
            int segs = rnd.nextInt(7);
            for (int k = 0; k < segs; k++) p.append('/').append(pieces[rnd.nextInt(pieces.length)]);
            if (segs == 0 || rnd.nextInt(8) == 0) p.append('/');
            String path = rnd.nextInt(50) == 0 ? p.substring(1) : p.toString();
            String method = methods[rnd.nextInt(methods.length)];
            Routes.Match got = r.match(method, path);
            Expected want = byRegex(method, path);
            assertThat(got.route() == null ? null : got.route().template()).as(method + " " + path).isEqualTo(want.template());
            assertThat(got.allowed()).as(method + " " + path).isEqualTo(want.allowed());
        }
    }
}
