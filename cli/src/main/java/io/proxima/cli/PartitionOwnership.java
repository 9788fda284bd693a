package io.proxima.cli;

import io.proxima.server.MeterScope;
import io.proxima.server.ProximaServer;
import io.proxima.server.ServerOptions;
import io.proxima.store.kafka.KafkaLog;
import io.proxima.store.kafka.KafkaLogOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Which instance owns which partition of a shared Kafka log, and this instance's share of it.
 *
 * <p><b>Assignment</b> is Kafka's own group membership: every instance joins the consumer group
 * {@code PREFIX.owners} on {@code PREFIX.events} (classic protocol, cooperative-sticky assignor),
 * never reading a record (its partitions stay paused) — the group only says who owns what. A
 * partition assigned here is <em>adopted</em>: an embedded {@link ProximaServer} (no port: the
 * front hands it the partition's requests inside the JVM) over the partition's own {@link KafkaLog} ({@link KafkaLogOptions#withPartition}), whose opening fences
 * the partition's previous owner (transactional id {@code PREFIX.owner.N}) before it reads the
 * partition to its end. A partition revoked or lost is <em>released</em>: its server closes after
 * its queued writes settled. An instance that dies leaves the group when its session expires, and
 * its partitions are assigned to the others.
 *
 * <p>Why the group and not a membership topic of our own: Kafka already detects dead members
 * (session timeout), agrees on one assignment, and moves only the partitions that must move; the
 * correctness does not rest on it anyway — two instances that both believe they own a partition
 * cannot both acknowledge, since only the latest opener of {@code PREFIX.owner.N} can commit.
 *
 * <p><b>Metrics</b>: the partition servers share one registry, their meters tagged
 * {@code partition="N"}, so {@code /metrics} of any of them covers every partition served here.
 *
 * <p><b>Routing</b>: each member's client id is its advertised URL, so the group's description
 * ({@link #owners()}, refreshed in the background) names the owner of every partition.
 */
final class PartitionOwnership implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class.getName());

    /** A partition served here: its server (embedded: the front hands it requests in the JVM), and its log (to tell a fenced one). */
    record Local(ProximaServer server, KafkaLog log) {}

    private final KafkaLogOptions kafka;
    private final ServerOptions partitionServer;
    private final String advertised;
    private final int partitions;
    private final Duration session;
    private final Map<Integer, Local> local = new ConcurrentHashMap<>();
    /** One registry for the partition servers of this instance, so /metrics of any of them shows every partition served here. */
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics = MeterScope.sharedRegistry();
    private final java.util.Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private volatile Map<Integer, String> owners = Map.of();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final Thread member;
    private final Thread directory;
    private volatile boolean running = true;

    /**
     * Joins the group; partitions are adopted on the membership thread as they are assigned.
     *
     * @param kafka the shared log's options (every partition)
     * @param partitionServer options of each partition's server: the front's (it checks the Host of the front's requests as the front does)
     * @param advertised the URL other instances forward to (this instance's front)
     * @param partitions partitions of the topics
     * @param session how long a silent instance keeps its partitions (the group's session timeout)
     */
    PartitionOwnership(KafkaLogOptions kafka, ServerOptions partitionServer, String advertised, int partitions, Duration session) {
        this.kafka = kafka;
        this.partitionServer = partitionServer;
        this.advertised = advertised;
        this.partitions = partitions;
        this.session = session;
        Map<String, Object> p = new HashMap<>(kafka.clientOverrides());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group(kafka));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, advertised);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, session.toMillis() / 4));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(60_000, 4 * kafka.timeout().toMillis()));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(p);
        Map<String, Object> a = new HashMap<>(kafka.clientOverrides());
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.timeout().toMillis());
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.timeout().toMillis()); // may not exceed the line above (a timeout < 30 s)
        this.admin = Admin.create(a);
        this.member = new Thread(this::memberLoop, "proxima-owner-member");
        this.member.setDaemon(true);
        this.directory = new Thread(this::directoryLoop, "proxima-owner-directory");
        this.directory.setDaemon(true);
        consumer.subscribe(List.of(kafka.eventsTopic()), new Listener());
        member.start();
        directory.start();
    }

    static String group(KafkaLogOptions kafka) {
        return kafka.topicPrefix() + ".owners";
    }

    int partitions() {
        return partitions;
    }

    String advertised() {
        return advertised;
    }

    /** The partition of a stored curriculum id: the one {@link KafkaLog} writes it to. */
    int partitionOf(String storedId) {
        return Utils.toPositive(Utils.murmur2(storedId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The partition's server here, or null: not owned here, or not adopted yet. */
    Local local(int partition) {
        return local.get(partition);
    }

    /** Partitions served here, ascending. */
    java.util.SortedSet<Integer> served() {
        return new TreeSet<>(local.keySet());
    }

    /** Partitions the group assigned here (adopted or still being adopted). */
    java.util.SortedSet<Integer> assigned() {
        return new TreeSet<>(assigned);
    }

    /** The owner's advertised URL of each partition, as the group last described it. */
    Map<Integer, String> owners() {
        return owners;
    }

    // ---------------------------------------------------------------- membership

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            for (TopicPartition tp : parts) release(tp.partition(), "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            for (TopicPartition tp : parts) release(tp.partition(), "lost (this instance's session expired)");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            consumer.pause(parts); // the group is for ownership only: no record is ever fetched
            for (TopicPartition tp : parts) assigned.add(tp.partition());
            adoptAssigned();
        }
    }

    private void memberLoop() {
        long lastTry = 0;
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(200));
                if (System.nanoTime() - lastTry > TimeUnit.SECONDS.toNanos(1)) { // retry adoptions that failed
                    lastTry = System.nanoTime();
                    adoptAssigned();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.severe("the ownership group failed; this instance serves no partition any more: " + e);
            for (Integer p : List.copyOf(local.keySet())) release(p, "the group failed");
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5)); // leaves the group: the others take its partitions at once
            } catch (RuntimeException e) {
                LOG.fine("closing the group member: " + e);
            }
            for (Integer p : List.copyOf(local.keySet())) release(p, "closing");
        }
    }

    /** Opens a server for every assigned partition not served yet (on the membership thread). */
    private void adoptAssigned() {
        for (Integer p : new TreeSet<>(assigned)) {
            if (!running || local.containsKey(p)) continue;
            long t0 = System.nanoTime();
            try {
                KafkaLog[] opened = new KafkaLog[1];
                ProximaServer s = ProximaServer.embedded(partitionServer, () -> opened[0] = KafkaLog.open(kafka.withPartition(p)),
                        MeterScope.within(metrics, "partition", Integer.toString(p)));
                local.put(p, new Local(s, opened[0]));
                LOG.info("partition " + p + " adopted in " + (System.nanoTime() - t0) / 1_000_000 + " ms (its previous owner is fenced)");
            } catch (RuntimeException e) {
                LOG.warning("partition " + p + " could not be adopted yet (retried every second): " + e.getMessage());
            }
        }
    }

    private void release(int partition, String why) {
        assigned.remove(partition);
        Local l = local.remove(partition);
        if (l == null) return;
        try {
            l.server().close(); // stops answering, then lets the log's queued writes settle
        } catch (RuntimeException e) {
            LOG.warning("closing partition " + partition + ": " + e);
        }
        LOG.info("partition " + partition + " released: " + why);
    }

    // ---------------------------------------------------------------- directory

    private void directoryLoop() {
        while (running) {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.fine("describing the group: " + e);
            }
            try {
                Thread.sleep(Math.min(1000, Math.max(100, session.toMillis() / 10)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the group's current assignment: partition → the member's advertised URL. */
    void refresh() {
        String g = group(kafka);
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(g)).describedGroups().get(g).get(kafka.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Map<Integer, String> now = new TreeMap<>();
        for (MemberDescription m : d.members()) {
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (tp.topic().equals(kafka.eventsTopic())) now.put(tp.partition(), m.clientId());
            }
        }
        owners = Map.copyOf(now);
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        directory.interrupt();
        consumer.wakeup();
        try {
            member.join(kafka.timeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
