package io.proxima.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} header values the server answers: the defence against DNS rebinding.
 *
 * <p>A web page on {@code evil.example} can make its own name resolve to 127.0.0.1 and then read
 * the server's answers as same-origin; every such request carries {@code Host: evil.example:port}.
 * A server that answers only the names it is known by is out of reach. Answered, with the
 * server's port (no port: only if it is 80):
 * <ul>
 *   <li>the bind address ({@code --host}), {@code localhost}, {@code 127.0.0.1}, {@code [::1]};
 *   <li>when bound to every interface (0.0.0.0 or ::), any IP literal: the server is reachable at
 *       all its addresses, and a literal cannot be rebound (the attack needs a name);
 *   <li>each {@code --allowed-hosts} entry: {@code name} (any port), {@code name:port}, or
 *       {@code *} (every Host: only behind a proxy that checks Host itself).
 * </ul>
 * A request without a Host header (HTTP/1.0) is answered: browsers always send one.
 */
public final class HostCheck {
    private final Set<String> exact;   // "name:port"
    private final Set<String> anyPort; // "name"
    private final boolean anyLiteral;
    private final boolean anyHost;
    private final String bindHost;

    private HostCheck(Set<String> exact, Set<String> anyPort, boolean anyLiteral, boolean anyHost, String bindHost) {
        this.exact = exact;
        this.anyPort = anyPort;
        this.anyLiteral = anyLiteral;
        this.anyHost = anyHost;
        this.bindHost = bindHost;
    }

    /** The check for a server bound to {@code bindHost} with extra {@code allowed} entries. */
    public static HostCheck of(String bindHost, List<String> allowed) {
        String bind = bracketed(bindHost.toLowerCase(Locale.ROOT));
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));
        boolean wildcard = isWildcard(bindHost);
        if (!wildcard) names.add(bind);
        Set<String> exact = new java.util.HashSet<>();
        Set<String> anyPort = new java.util.HashSet<>();
        boolean all = false;
        for (String n : names) exact.add(n + ":");
        for (String a : allowed) {
            String e = a.trim().toLowerCase(Locale.ROOT);
            if (e.equals("*")) all = true;
            else if (hasPort(e)) exact.add(e);
            else anyPort.add(bracketed(e));
        }
        return new HostCheck(Set.copyOf(exact), Set.copyOf(anyPort), wildcard, all, bindHost);
    }

    /** Refuses an {@code --allowed-hosts} entry that cannot match a Host header. */
    static void checkEntry(String entry) {
        String e = entry == null ? "" : entry.trim();
        if (e.isEmpty() || e.contains("/") || e.contains(" ") || e.contains(",")) {
            throw new IllegalArgumentException("allowed host '" + entry + "' must be a host name, an IP, 'name:port' or '*'");
        }
    }

    static boolean isWildcard(String host) {
        String h = host.trim();
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * Whether a request with this Host header, on a connection to {@code port}, is answered.
     * Entries of {@link #exact} end with ':' and are completed with the port here.
     */
    public boolean allows(String hostHeader, int port) {
        if (anyHost || hostHeader == null) return true;
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        int given;
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            name = h.substring(0, colon);
            try {
                given = Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            name = h;
            given = 80;
        }
        if (name.isEmpty()) return false;
        if (anyPort.contains(name) || exact.contains(name + ":" + given)) return true;
        if (given != port) return false;
        return exact.contains(name + ":") || (anyLiteral && isIpLiteral(name));
    }

    /** Names this check answers for the error message. */
    public String describe(int port) {
        List<String> out = new ArrayList<>();
        for (String e : exact) out.add(e.endsWith(":") ? e + port : e);
        out.addAll(anyPort);
        out.sort(null);
        return String.join(", ", out) + (anyLiteral ? ", any IP address:" + port + " (bound to " + bindHost + ")" : "");
    }

    private static boolean hasPort(String e) {
        int colon = e.lastIndexOf(':');
        if (colon < 0) return false;
        if (e.startsWith("[")) return colon > e.lastIndexOf(']');
        return e.indexOf(':') == colon; // one colon: name:port; several: a bare IPv6 address
    }

    /** IPv6 literals are written in brackets in a Host header. */
    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** An IPv4 dotted quad or a bracketed IPv6 address; never resolves a name. */
    static boolean isIpLiteral(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            String v6 = name.substring(1, name.length() - 1);
            if (v6.isEmpty() || !v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) return false;
            return parses(v6);
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static boolean parses(String literal) {
        try {
            InetAddress.getByName(literal); // a literal: parsed, not looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
