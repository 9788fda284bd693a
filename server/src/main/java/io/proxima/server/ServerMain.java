package io.proxima.server;

import io.proxima.store.Durability;
import io.proxima.store.StoreOptions;

import java.nio.file.Path;

/**
 * Runs the server without the CLI ({@code java -cp ... io.proxima.server.ServerMain --data-dir D
 * --port P}); used by the crash tests and the load generator. {@code ./proxima serve} is the
 * documented way and takes the same options.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        String host = ServerOptions.DEFAULT_HOST;
        int port = ServerOptions.DEFAULT_PORT;
        Path dir = null;
        String token = System.getenv(ServerOptions.TOKEN_ENV);
        StoreOptions store = StoreOptions.DEFAULTS;
        java.util.List<String> allowedHosts = java.util.List.of();
        boolean accessLog = false;
        Tenants tenants = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--data-dir" -> dir = Path.of(v);
                case "--token" -> token = v;
                case "--tokens" -> tenants = Tenants.read(Path.of(v));
                case "--durability" -> store = store.withDurability(Durability.parse(v));
                case "--group-window-us" -> store = store.withGroupWindowMicros(Long.parseLong(v));
                case "--snapshot-every" -> store = store.withSnapshotEvery(Integer.parseInt(v));
                case "--keep-events" -> store = store.withKeepEvents(v.equalsIgnoreCase("all") ? StoreOptions.KEEP_ALL : Long.parseLong(v));
                case "--allowed-hosts" -> allowedHosts = java.util.List.of(v.split(","));
                case "--access-log" -> {
                    accessLog = true;
                    i--; // a flag: no value
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        ServerOptions o = new ServerOptions(host, port, dir, token, store, ServerOptions.DEFAULT_MAX_BODY, ServerOptions.DEFAULT_MAX_TASKS_BODY,
                allowedHosts, HttpLimits.DEFAULTS, accessLog, tenants);
        ProximaServer s = ProximaServer.start(o);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "proxima-shutdown"));
        System.out.println(banner(s));
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The line printed once the server listens (tests read the port from it). */
    public static String banner(ProximaServer s) {
        ServerOptions o = s.options();
        return "proxima: serving http://" + o.host() + ":" + s.port() + " (data dir " + o.dataDir() + ", durability "
                + o.store().durability().name().toLowerCase() + (o.token() != null ? ", token required" : "")
                + (o.tenants() != null ? ", " + o.tenants().size() + " tokens of " + o.tenants().names().size() + " tenants" : "") + ")";
    }
}
