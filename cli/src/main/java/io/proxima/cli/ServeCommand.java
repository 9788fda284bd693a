package io.proxima.cli;

import io.proxima.server.HttpLimits;
import io.proxima.server.ProximaServer;
import io.proxima.server.ServerMain;
import io.proxima.server.ServerOptions;
import io.proxima.store.Durability;
import io.proxima.store.StoreOptions;
import io.proxima.store.kafka.KafkaClientConfig;
import io.proxima.store.kafka.KafkaLog;
import io.proxima.store.kafka.KafkaLogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code proxima serve}: the durable HTTP service (see docs/api.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves curricula over HTTP/JSON (/v1/...), durably: every acknowledged request is in the "
                + "data directory's event log, and a restart (even after kill -9) recovers exactly. Stops on Ctrl-C / SIGTERM.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "proxima-data", description = "where the SQLite database lives (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--port", defaultValue = "" + ServerOptions.DEFAULT_PORT, description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST, description = "interface to bind (default: ${DEFAULT-VALUE}, loopback only); "
            + "0.0.0.0 binds every interface: then use --token")
    String host;

    @Option(names = "--token", description = "bearer token required on every route but /healthz (default: env " + ServerOptions.TOKEN_ENV + ", else none; "
            + "an empty token is refused)")
    String token;

    @Option(names = "--tokens", paramLabel = "FILE", description = "tenants: a token file, one 'token tenant [admin]' per line (or JSON "
            + "{\"tokens\": [{\"token\", \"tenant\", \"admin\"}]}); each tenant sees only its own curricula, an admin sees all "
            + "(docs/api.md, Tenants); not with --token / " + ServerOptions.TOKEN_ENV)
    Path tokens;

    @Option(names = "--allowed-hosts", split = ",", paramLabel = "HOST[:PORT]", description = "Host header values answered besides the bind address, "
            + "localhost, 127.0.0.1 and [::1] (the names clients reach the server by, e.g. a DNS name or a proxy's host:port; '*' answers any); "
            + "other Host values get 403 (DNS rebinding)")
    List<String> allowedHosts = List.of();

    @Option(names = "--access-log", description = "log one line per request (remote address, method, path, status, µs) to stderr")
    boolean accessLog;

    @Option(names = "--body-timeout-s", defaultValue = "10", description = "a request body may take this long plus 1 s per --min-body-rate-kb KiB, "
            + "and never pause longer (408 beyond) (default: ${DEFAULT-VALUE})")
    double bodyTimeoutSeconds;

    @Option(names = "--min-body-rate-kb", defaultValue = "16", description = "KiB/s at which a large body earns more time (default: ${DEFAULT-VALUE})")
    long minBodyRateKb;

    @Option(names = "--max-waiting-bodies", defaultValue = "" + HttpLimits.DEFAULT_MAX_WAITING_BODIES, description = "requests that may wait at once "
            + "for the rest of their body (503 with Retry-After beyond; bodies already received never wait) (default: ${DEFAULT-VALUE})")
    int maxWaitingBodies;

    @Option(names = "--max-threads", defaultValue = "" + HttpLimits.DEFAULT_MAX_THREADS, description = "request handler threads (default: ${DEFAULT-VALUE})")
    int maxThreads;

    @Option(names = "--durability", defaultValue = "sync", description = "sync: commit and fsync each request before answering; group: group commit (one fsync) across requests; process: group commit without fsync, answered once written to the OS: survives the server process being killed, not an OS crash or power loss (see docs/api.md) (default: ${DEFAULT-VALUE})")
    String durability;

    @Option(names = "--group-window-us", defaultValue = "0", description = "with --durability group, longest extra wait for more requests to share a commit, in µs; 0 commits as soon as the committer is free (default: ${DEFAULT-VALUE})")
    long groupWindowMicros;

    @Option(names = "--snapshot-every", defaultValue = "1000", description = "snapshot a curriculum once N events have passed and the log since is at least half the last snapshot's size (default: ${DEFAULT-VALUE})")
    int snapshotEvery;

    @Option(names = "--keep-events", defaultValue = "all", description = "events of each curriculum's log kept before its second-newest snapshot: "
            + "'all', or N to delete older ones (bounded disk; the export and retries of batch ids that old lose them) (default: ${DEFAULT-VALUE})")
    String keepEvents;

    @Option(names = "--backend", defaultValue = "sqlite", description = "where the log lives: sqlite (in --data-dir, the default) or kafka "
            + "(topics on the cluster at --bootstrap; docs/scale-out.md) (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "with --backend kafka: the Kafka cluster's bootstrap servers")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "proxima", description = "with --backend kafka: the topics are PREFIX.events and PREFIX.state, "
            + "and PREFIX.owner is the transactional id a new instance takes over (default: ${DEFAULT-VALUE})")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "6", description = "with --backend kafka: partitions of each topic when they are created (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication", defaultValue = "0", description = "with --backend kafka: replication factor of the topics when they are created; "
            + "0: min(3, brokers) (default: ${DEFAULT-VALUE})")
    int replication;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "with --backend kafka: a Kafka client properties file (TLS, SASL, "
            + "tuning) passed to every producer, consumer and admin client; properties Proxima sets itself (transactional.id, acks, "
            + "bootstrap.servers, ...) are refused (docs/scale-out.md)")
    Path kafkaConfig;

    @Option(names = "--scale-out", description = "with --backend kafka: share the log with other instances started so, each owning some of its "
            + "partitions (consumer group PREFIX.owners); any instance answers any request, forwarding it to the curriculum's owner "
            + "(docs/scale-out.md). Without it, one instance owns the whole log and a new one takes it over.")
    boolean scaleOut;

    @Option(names = "--advertise", paramLabel = "URL", description = "with --scale-out: the URL other instances forward requests to "
            + "(default: http://HOST:PORT of this instance)")
    String advertise;

    @Option(names = "--owner-session-ms", defaultValue = "10000", description = "with --scale-out: how long an instance that stopped answering "
            + "the group keeps its partitions before others take them over, ms (the cluster allows 6000..300000 by default) (default: ${DEFAULT-VALUE})")
    int ownerSessionMs;

    @Option(names = "--max-body-mb", defaultValue = "16", description = "largest request body but task uploads, MiB (default: ${DEFAULT-VALUE})")
    long maxBodyMb;

    @Option(names = "--max-tasks-body-mb", defaultValue = "1024", description = "largest task upload, MiB (default: ${DEFAULT-VALUE})")
    long maxTasksBodyMb;

    static long keepEvents(String v) {
        if (v.trim().equalsIgnoreCase("all")) return StoreOptions.KEEP_ALL;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--keep-events must be 'all' or a number of events, got '" + v + "'");
        }
    }

    /** Whether the Kafka backend is chosen; a clear error for a backend that is not known or not fully given. */
    static boolean backend(String backend, String bootstrap) {
        switch (backend.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sqlite" -> {
                if (bootstrap != null) throw new IllegalArgumentException("--bootstrap is for --backend kafka; the sqlite backend keeps its log in --data-dir");
                return false;
            }
            case "kafka" -> {
                if (bootstrap == null || bootstrap.isBlank()) throw new IllegalArgumentException("--backend kafka needs --bootstrap HOST:PORT (the Kafka cluster)");
                return true;
            }
            default -> throw new IllegalArgumentException("--backend must be 'sqlite' or 'kafka', got '" + backend + "'");
        }
    }

    /** The start line with the Kafka log in place of the data directory (tests read the port from it). */
    static String kafkaBanner(ProximaServer s, KafkaLogOptions k) {
        var o = s.options();
        return "proxima: serving http://" + o.host() + ":" + s.port() + " (Kafka log at " + k.bootstrap() + ", topics " + k.eventsTopic() + " and "
                + k.stateTopic() + ", owner " + k.transactionalId() + (o.token() != null ? ", token required" : "")
                + (o.tenants() != null ? ", " + o.tenants().size() + " tokens of " + o.tenants().names().size() + " tenants" : "") + ")";
    }

    /** The advertised URL without a trailing slash; a clear error for one the other instances could not use. */
    static String advertisedUrl(String v) {
        String u = v.strip();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        java.net.URI uri;
        try {
            uri = java.net.URI.create(u);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null) {
            throw new IllegalArgumentException("--advertise must be a URL like http://HOST:PORT (no path), got '" + v + "'");
        }
        return u;
    }

    private int serveScaledOut(ServerOptions o, KafkaLogOptions k) throws InterruptedException {
        ScaleOutServer server = ScaleOutServer.start(o, k, advertise, java.time.Duration.ofMillis(ownerSessionMs));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "proxima-shutdown"));
        System.out.println("proxima: serving http://" + o.host() + ":" + server.port() + " (Kafka log at " + k.bootstrap() + ", topics " + k.eventsTopic()
                + " and " + k.stateTopic() + ", scaled out: " + server.partitions() + " partitions shared by the group " + k.topicPrefix()
                + ".owners, this instance advertised as " + server.advertised() + (o.token() != null ? ", token required" : "") + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    @Override
    public Integer call() throws InterruptedException {
        String t = token != null ? token : System.getenv(ServerOptions.TOKEN_ENV);
        StoreOptions store = new StoreOptions(Durability.parse(durability), groupWindowMicros, snapshotEvery, StoreOptions.DEFAULTS.idempotencyMemory(),
                keepEvents(keepEvents));
        HttpLimits http = new HttpLimits(Math.round(bodyTimeoutSeconds * 1000), minBodyRateKb * 1024, maxWaitingBodies, maxThreads);
        ServerOptions o = new ServerOptions(host, port, dataDir, t, store, maxBodyMb << 20, maxTasksBodyMb << 20, allowedHosts, http, accessLog,
                tokens == null ? null : io.proxima.server.Tenants.read(tokens));
        boolean kafka = backend(backend, bootstrap);
        if (!kafka && kafkaConfig != null) throw new IllegalArgumentException("--kafka-config is for --backend kafka");
        KafkaLogOptions kafkaOptions = kafka ? KafkaLogOptions.at(bootstrap).withTopicPrefix(topicPrefix).withPartitions(partitions).withReplication(replication)
                .withClientOverrides(kafkaConfig == null ? java.util.Map.of() : KafkaClientConfig.read(kafkaConfig)) : null;
        if (!kafka && (scaleOut || advertise != null)) throw new IllegalArgumentException("--scale-out and --advertise are for --backend kafka");
        if (!scaleOut && advertise != null) throw new IllegalArgumentException("--advertise is for --scale-out");
        if (advertise != null) advertise = advertisedUrl(advertise);
        if (ownerSessionMs < 100) throw new IllegalArgumentException("--owner-session-ms must be >= 100, got " + ownerSessionMs);
        if (scaleOut) return serveScaledOut(o, kafkaOptions);
        ProximaServer server = kafka ? ProximaServer.start(o, () -> KafkaLog.open(kafkaOptions)) : ProximaServer.start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "proxima-shutdown"));
        System.out.println(kafka ? kafkaBanner(server, kafkaOptions) : ServerMain.banner(server));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
