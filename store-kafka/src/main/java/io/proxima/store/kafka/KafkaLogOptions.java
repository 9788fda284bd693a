package io.proxima.store.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how a {@link KafkaLog} keeps the curricula's log.
 *
 * @param bootstrap the cluster's bootstrap servers, {@code HOST:PORT[,HOST:PORT...]}
 * @param topicPrefix names the two topics, {@code PREFIX.events} and {@code PREFIX.state} (default
 *     {@code proxima}); several stores can share a cluster under different prefixes
 * @param partitions partitions of each topic when this log creates them (default 6): curricula are
 *     spread over them by id, the unit a later multi-instance deployment hands from one owner to another
 * @param replication replication factor of the topics it creates; 0 (the default) picks min(3, brokers in the cluster)
 * @param transactionalId the producer's transactional id (default {@code PREFIX.owner}): a second
 *     log opened with the same id fences this one (its writes fail from then on)
 * @param timeout how long a call to the cluster may block before the store counts it as failed (default 30 s)
 * @param clientOverrides extra Kafka client settings (security, tuning), applied to producer, consumer and admin; the
 *     ones Proxima sets itself are refused ({@link KafkaClientConfig}, which also reads them from a properties file)
 * @param partition -1 (the default): the log is every partition of the topics, with one owner;
 *     N: only partition N, whose owner is the transactional id {@code PREFIX.owner.N} (several
 *     instances sharing the topics, one owner per partition: docs/scale-out.md)
 */
public record KafkaLogOptions(String bootstrap, String topicPrefix, int partitions, short replication, String transactionalId,
                              Duration timeout, Map<String, Object> clientOverrides, int partition) {
    /** Topic prefixes: a Kafka topic name's characters, leaving room for the suffixes. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public KafkaLogOptions {
        if (bootstrap == null || bootstrap.isBlank()) throw new IllegalArgumentException("bootstrap must be HOST:PORT[,HOST:PORT...], got " + bootstrap);
        if (topicPrefix == null || !PREFIX.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("topicPrefix must be 1-200 of letters, digits, '.', '_' or '-', got " + topicPrefix);
        }
        if (partitions < 1 || partitions > 10_000) throw new IllegalArgumentException("partitions must be in [1, 10000], got " + partitions);
        if (replication < 0) throw new IllegalArgumentException("replication must be >= 1 (or 0: min(3, brokers)), got " + replication);
        if (transactionalId == null || transactionalId.isBlank()) throw new IllegalArgumentException("transactionalId must not be blank");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        if (partition < -1) throw new IllegalArgumentException("partition must be >= 0 (or -1: all), got " + partition);
        clientOverrides = Map.copyOf(clientOverrides == null ? Map.of() : clientOverrides);
        KafkaClientConfig.check(clientOverrides, "clientOverrides");
    }

    /** The defaults for a cluster at {@code bootstrap}. */
    public static KafkaLogOptions at(String bootstrap) {
        return new KafkaLogOptions(bootstrap, "proxima", 6, (short) 0, "proxima.owner", Duration.ofSeconds(30), Map.of(), -1);
    }

    public KafkaLogOptions withTopicPrefix(String prefix) {
        return new KafkaLogOptions(bootstrap, prefix, partitions, replication, partition < 0 ? prefix + ".owner" : prefix + ".owner." + partition, timeout, clientOverrides, partition);
    }

    public KafkaLogOptions withPartitions(int n) {
        return new KafkaLogOptions(bootstrap, topicPrefix, n, replication, transactionalId, timeout, clientOverrides, partition);
    }

    public KafkaLogOptions withReplication(int n) {
        if (n > Short.MAX_VALUE) throw new IllegalArgumentException("replication must be <= " + Short.MAX_VALUE + ", got " + n);
        return new KafkaLogOptions(bootstrap, topicPrefix, partitions, (short) n, transactionalId, timeout, clientOverrides, partition);
    }

    public KafkaLogOptions withTransactionalId(String id) {
        return new KafkaLogOptions(bootstrap, topicPrefix, partitions, replication, id, timeout, clientOverrides, partition);
    }

    public KafkaLogOptions withTimeout(Duration t) {
        return new KafkaLogOptions(bootstrap, topicPrefix, partitions, replication, transactionalId, t, clientOverrides, partition);
    }

    public KafkaLogOptions withClientOverrides(Map<String, Object> overrides) {
        return new KafkaLogOptions(bootstrap, topicPrefix, partitions, replication, transactionalId, timeout, overrides, partition);
    }

    /**
     * Only partition {@code n} of both topics, owned through the transactional id
     * {@code PREFIX.owner.N}: opening it fences exactly that partition's previous owner.
     */
    public KafkaLogOptions withPartition(int n) {
        return new KafkaLogOptions(bootstrap, topicPrefix, partitions, replication, topicPrefix + ".owner." + n, timeout, clientOverrides, n);
    }

    /** The topic of every curriculum's events, keyed by curriculum id (retention: forever). */
    public String eventsTopic() {
        return topicPrefix + ".events";
    }

    /** The compacted topic of curricula rows, snapshots and checkpoints. */
    public String stateTopic() {
        return topicPrefix + ".state";
    }
}
