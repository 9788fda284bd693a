package io.proxima.store.kafka;

import io.proxima.store.CurriculumLog;
import io.proxima.store.StoreFailedException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The {@link CurriculumLog} in two Kafka topics: {@code PREFIX.events}, every curriculum's events
 * keyed by curriculum id (kept forever), and {@code PREFIX.state}, compacted, holding curricula
 * rows, snapshots and checkpoints ({@link LogRecord} says the bytes). A curriculum's records of both
 * topics go to the same partition number (the id's murmur2 hash, as Kafka's own partitioner), so a
 * partition is the unit of ownership.
 *
 * <p><b>Transactions.</b> One transactional producer (idempotent, {@code acks=all}) and one committer
 * thread: each transaction holds every submission queued at the time (group commit, like SQLite's
 * {@code group} durability), its records sent to both topics and committed together. A submission
 * is acknowledged only once {@code commitTransaction} returned, so it is on every in-sync replica;
 * a transaction that fails is aborted, and readers ({@code read_committed}) never see any of it. A
 * retried request cannot be applied twice: its batch id is in the log with its answer.
 *
 * <p><b>Ownership and fencing.</b> Opening the log calls {@code initTransactions} with its
 * transactional id before it reads the topics: a previous owner with the same id is fenced (its
 * open transaction aborted, its later commits refused with {@code ProducerFencedException}), so
 * the new owner reads everything the old one ever acknowledged and the old one cannot acknowledge
 * anything more. A fenced log fails for good: {@link #resume} returns false.
 *
 * <p><b>Reads</b> come from the {@link Mirror}: both topics read to their end at open, then the
 * records of each committed transaction. After a failed transaction (whose commit may have landed
 * if only its answer was lost) {@link #resume} starts a new producer, which settles that
 * transaction, and reads the topics again before its probe; the store then rebuilds its curricula
 * from what the log really holds ({@link #failedCommitsMayHaveLanded}).
 */
public final class KafkaLog implements CurriculumLog {
    private static final Logger LOG = Logger.getLogger(KafkaLog.class.getName());
    /** Submissions per transaction, at most. */
    private static final int MAX_GROUP = 1024;
    /** Largest record (a snapshot of a large pool): producer request and topic message limit. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private record Pending(List<Write> writes, CompletableFuture<Void> done, Runnable probe) {}

    /** A record to send: topic, partition owner's name, key (slot or id), value (null: tombstone). */
    private record Out(String topic, String name, String key, byte[] value) {}

    private final KafkaLogOptions options;
    private final int partitions;
    private volatile Mirror mirror;
    private KafkaProducer<byte[], byte[]> producer;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean running = true;
    private volatile StoreFailedException failure;
    private volatile boolean fenced;
    private volatile long commits;
    private volatile long committedOps;
    /** Events partition → an offset at or below where its next record goes: the start of what a new snapshot covers from (committer thread). */
    private final Map<Integer, Long> eventsEnd = new java.util.concurrent.ConcurrentHashMap<>();
    /** Events partition → the offset the last full read started at. */
    private final Map<Integer, Long> readFrom = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object olderLock = new Object();
    private volatile long olderLoads;

    private KafkaLog(KafkaLogOptions options, int partitions) {
        this.options = options;
        this.partitions = partitions;
        this.committer = new Thread(this::commitLoop, "proxima-kafka-committer");
        this.committer.setDaemon(true);
    }

    /**
     * Opens the log: creates the topics if missing, takes ownership (fencing a previous owner with
     * the same transactional id), reads both topics to their end.
     */
    public static KafkaLog open(KafkaLogOptions options) {
        int partitions = ensureTopics(options);
        if (options.partition() >= partitions) {
            throw new IllegalArgumentException("partition " + options.partition() + " does not exist: the topics have " + partitions + " partitions");
        }
        KafkaLog log = new KafkaLog(options, partitions);
        try {
            log.producer = log.newProducer();
            log.mirror = log.readAll();
        } catch (RuntimeException e) {
            log.closeProducer(Duration.ZERO);
            throw failed("cannot open the Kafka log at " + options.bootstrap() + " (topics " + options.eventsTopic() + ", " + options.stateTopic() + ")", e);
        }
        log.committer.start();
        return log;
    }

    public KafkaLogOptions options() {
        return options;
    }

    /** Partitions of each topic (as found, if they existed). */
    public int partitions() {
        return partitions;
    }

    /** Events moved to quarantine by recoveries, as read from the log. */
    public long quarantined() {
        return mirror.quarantined();
    }

    /** Whether another owner took over (its producer has the same transactional id): this log never writes again. */
    public boolean fenced() {
        return fenced;
    }

    // ---------------------------------------------------------------- setup

    private Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.putAll(options.clientOverrides());
        return p;
    }

    /**
     * Creates both topics if they are missing and returns their number of partitions, taking no
     * ownership (several instances sharing the log learn its partitions so).
     */
    public static int ensureTopics(KafkaLogOptions options) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(options.timeout().toMillis(), Integer.MAX_VALUE));
        p.putAll(options.clientOverrides());
        long ms = options.timeout().toMillis();
        Admin created;
        try {
            created = Admin.create(p);
        } catch (KafkaException e) { // the client settings themselves are refused (a SASL mechanism without its JAAS entry, ...)
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalArgumentException("the Kafka client settings are refused: " + root.getMessage(), e);
        }
        try (Admin admin = created) {
            short replication = options.replication();
            if (replication == 0) replication = (short) Math.min(3, admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS).size());
            NewTopic events = new NewTopic(options.eventsTopic(), options.partitions(), replication).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES)));
            NewTopic state = new NewTopic(options.stateTopic(), options.partitions(), replication).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES)));
            for (NewTopic t : List.of(events, state)) {
                try {
                    admin.createTopics(List.of(t)).all().get(ms, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            Map<String, TopicDescription> d = describe(admin, options);
            int ne = d.get(options.eventsTopic()).partitions().size();
            int ns = d.get(options.stateTopic()).partitions().size();
            if (ne != ns) {
                throw new IllegalStateException("topics " + options.eventsTopic() + " (" + ne + " partitions) and " + options.stateTopic() + " (" + ns
                        + ") must have the same number of partitions");
            }
            return ne;
        } catch (ExecutionException e) {
            // the admin client's own deadline can fire before ours: the same answer either way
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw failed("the Kafka cluster at " + options.bootstrap() + " did not answer within " + options.timeout(), e.getCause());
            }
            throw failed("cannot create or describe the topics at " + options.bootstrap(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw failed("the Kafka cluster at " + options.bootstrap() + " did not answer within " + options.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while creating the topics", e);
        }
    }

    /** Describes both topics, waiting for a just-created topic's metadata to reach the broker answering. */
    private static Map<String, TopicDescription> describe(Admin admin, KafkaLogOptions options) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        long ms = options.timeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            try {
                return admin.describeTopics(List.of(options.eventsTopic(), options.stateTopic())).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    /** A transactional producer that has taken over the transactional id (fencing any previous one). */
    private KafkaProducer<byte[], byte[]> newProducer() {
        long ms = options.timeout().toMillis();
        Map<String, Object> p = common();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, ms / 2));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2000, ms));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(10_000, 2 * ms));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_RECORD_BYTES);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        try {
            producer.initTransactions(); // fences an earlier producer of this id; settles its open transaction
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }

    /** Consumer settings of every read of the topics: committed records only, from where it seeks. */
    private Map<String, Object> readerConfig() {
        Map<String, Object> p = common();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /**
     * Reads the topics into a new mirror: the state topic whole (compacted, it holds only what is
     * live), then each events partition from its <em>bounded start</em> — the smallest offset its
     * curricula need ({@link Mirror#readFrom}: recorded with each one's oldest kept snapshot, or its
     * row) — to its end. The events a curriculum's snapshots cover and that lie before that offset
     * are not read; {@link #loadOlder} reads them for that curriculum if something asks for them
     * (an export, a retry of a batch id that old). A curriculum written by an earlier version
     * carries no offset: its partition is read from 0.
     */
    private Mirror readAll() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(60, 4 * options.timeout().toSeconds()));
        Mirror m = new Mirror();
        Map<TopicPartition, Long> state = new HashMap<>();
        List<TopicPartition> events = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            if (options.partition() >= 0 && i != options.partition()) continue; // a partition's owner reads only its own
            state.put(new TopicPartition(options.stateTopic(), i), 0L);
            events.add(new TopicPartition(options.eventsTopic(), i));
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readerConfig())) { // one consumer per phase: no fetch of the first outlives its assignment
            read(c, state, m, null, deadline);
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readerConfig())) {
            Map<TopicPartition, Long> end = c.endOffsets(events, options.timeout());
            Map<TopicPartition, Long> from = new HashMap<>(end); // a partition without curricula has nothing to read
            Map<Long, long[]> need = new HashMap<>();
            for (Row r : m.rows()) {
                TopicPartition tp = new TopicPartition(options.eventsTopic(), partition(r.name()));
                if (!from.containsKey(tp)) continue;
                long[] rf = m.readFrom(r.cid());
                need.put(r.cid(), rf);
                from.merge(tp, rf == null ? 0L : rf[0], Math::min);
            }
            for (Row r : m.rows()) {
                long[] rf = need.get(r.cid());
                if (rf != null && from.get(new TopicPartition(options.eventsTopic(), partition(r.name()))) > 0) m.markPartial(r.cid(), rf[1]);
            }
            read(c, from, m, null, deadline);
            eventsEnd.clear();
            readFrom.clear();
            for (TopicPartition tp : events) {
                eventsEnd.put(tp.partition(), end.get(tp));
                readFrom.put(tp.partition(), from.get(tp));
            }
        }
        m.dropOrphans();
        return m;
    }

    /**
     * Reads {@code from} (partition → first offset) to the partitions' current ends into {@code m};
     * with {@code onlyKey}, only the records of that key (one curriculum's).
     */
    private void read(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> from, Mirror m, byte[] onlyKey, long deadline) {
        List<TopicPartition> tps = new ArrayList<>(from.keySet());
        c.assign(tps);
        for (TopicPartition tp : tps) c.seek(tp, from.get(tp));
        Map<TopicPartition, Long> end = c.endOffsets(tps, options.timeout());
        while (true) {
            boolean done = true;
            for (TopicPartition tp : tps) if (c.position(tp, options.timeout()) < end.get(tp)) done = false;
            if (done) break;
            if (System.nanoTime() > deadline) throw new StoreFailedException("the Kafka log could not be read to its end in time", null);
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (onlyKey != null && !java.util.Arrays.equals(onlyKey, r.key())) continue;
                try {
                    if (r.topic().equals(options.eventsTopic())) m.applyEvent(r.value());
                    else m.applyState(new String(r.key(), StandardCharsets.UTF_8), r.value());
                } catch (RuntimeException e) {
                    throw new StoreFailedException("unreadable record at " + r.topic() + "-" + r.partition() + " offset " + r.offset() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The events of curriculum {@code cid} that a bounded start did not read: its partition of the
     * events topic read from 0 for its records alone (the same fold as a full read), then merged
     * into the mirror. Once per curriculum and open, and only when something asks for them.
     */
    private void loadOlder(long cid) {
        String name = null;
        for (Row r : mirror.rows()) if (r.cid() == cid) name = r.name();
        if (name == null) return;
        long t0 = System.nanoTime();
        Mirror full = new Mirror();
        synchronized (olderLock) {
            Mirror m = mirror;
            if (!m.missesAfter(cid, 0)) return; // another caller brought them meanwhile
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readerConfig())) {
                read(c, Map.of(new TopicPartition(options.eventsTopic(), partition(name)), 0L), full, name.getBytes(StandardCharsets.UTF_8),
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(60, 4 * options.timeout().toSeconds())));
            }
            m.fillOlder(cid, full);
            olderLoads++;
        }
        LOG.info("curriculum '" + name + "': its events before the bounded start were read in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** Brings the events of {@code cid} after {@code afterSeq} into memory if a bounded start left some out. */
    private void complete(long cid, long afterSeq) {
        if (mirror.missesAfter(cid, afterSeq)) loadOlder(cid);
    }

    /** The offset each events partition this log holds was read from at open (or at the last re-read): 0 = its whole history. */
    public Map<Integer, Long> eventsReadFrom() {
        return Map.copyOf(readFrom);
    }

    /** How many curricula had their older events read since open, because something asked for them. */
    public long olderLoads() {
        return olderLoads;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<Void> submit(List<Write> writes) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        StoreFailedException failed = failure;
        if (failed != null || !running) {
            f.completeExceptionally(failed != null ? failed : new StoreFailedException("the store is closed", null));
            return f;
        }
        if (options.partition() >= 0) {
            for (Write w : writes) {
                String name = nameOf(w);
                if (name != null && partition(name) != options.partition()) { // a misrouted call: its writes would escape this owner's fencing
                    f.completeExceptionally(new StoreFailedException("curriculum '" + name + "' belongs to partition " + partition(name)
                            + ", and this log owns partition " + options.partition() + " only", null));
                    return f;
                }
            }
        }
        queue.add(new Pending(List.copyOf(writes), f, null));
        return f;
    }

    private static String nameOf(Write w) {
        if (w instanceof Write.Create c) return c.row().name();
        if (w instanceof Write.Delete d) return d.name();
        if (w instanceof Write.Append a) return a.name();
        if (w instanceof Write.PutSnapshot x) return x.name();
        if (w instanceof Write.DropSnapshotsBefore x) return x.name();
        if (w instanceof Write.ForgetEventsUpTo x) return x.name();
        if (w instanceof Write.PutCheckpoint x) return x.name();
        if (w instanceof Write.TruncateAfter x) return x.name();
        if (w instanceof Write.QuarantineAfter x) return x.name();
        return null;
    }

    private void commitLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) continue;
            if (first.probe != null) {
                resumeNow(first);
                continue;
            }
            batch.clear();
            batch.add(first);
            while (batch.size() < MAX_GROUP && queue.peek() != null && queue.peek().probe == null) batch.add(queue.poll());
            commit(batch);
        }
    }

    /** Submissions of one transaction that put snapshots or checkpoints not yet in the mirror (their slots may be dropped later in it). */
    private static final class Staged {
        final Map<Long, TreeSet<Long>> snapshots = new HashMap<>();
        final Map<Long, TreeMap<Long, Long>> checkpoints = new HashMap<>(); // step → seq
    }

    private void commit(List<Pending> batch) {
        StoreFailedException failed = failure;
        if (failed == null) {
            List<Out> sent = new ArrayList<>();
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> events = new ArrayList<>();
            try {
                producer.beginTransaction();
                Staged staged = new Staged();
                for (Pending p : batch) {
                    for (Write w : p.writes) {
                        if (w instanceof Write.Guard g) {
                            g.check().run();
                            continue;
                        }
                        int from = sent.size();
                        encode(w, sent, staged);
                        for (Out o : sent.subList(from, sent.size())) {
                            var f = send(o);
                            if (o.topic.equals(options.eventsTopic())) events.add(f);
                        }
                    }
                }
                producer.commitTransaction();
                for (var f : events) { // done: the commit flushed them
                    var md = f.get();
                    eventsEnd.merge(md.partition(), md.offset() + 1, Math::max);
                }
                Mirror m = mirror;
                for (Out o : sent) apply(m, o);
                commits++;
                committedOps += batch.size();
                for (Pending p : batch) p.done.complete(null);
                return;
            } catch (RuntimeException e) {
                failed = fail(e);
            } catch (InterruptedException | ExecutionException e) { // cannot happen after a commit returned; counted as a failed one
                failed = fail(new KafkaException(e));
            }
        }
        for (Pending p : batch) p.done.completeExceptionally(failed);
    }

    /** Records the failure of a transaction (aborting it if the producer still can) and returns it. */
    private StoreFailedException fail(RuntimeException e) {
        StoreFailedException f;
        if (isFencing(e)) {
            fenced = true;
            f = new StoreFailedException("another Proxima instance took over this log (transactional id '" + options.transactionalId()
                    + "' was fenced); this one acknowledges nothing more", e);
            LOG.warning(f.getMessage());
        } else {
            try {
                producer.abortTransaction();
            } catch (RuntimeException x) {
                e.addSuppressed(x); // the producer is unusable: resume() replaces it
            }
            f = new StoreFailedException("a Kafka transaction failed; the store refuses writes until one succeeds again: " + e.getMessage(), e);
        }
        failure = f;
        return f;
    }

    private static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof TransactionalIdAuthorizationException || t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    private java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(Out o) {
        return producer.send(new ProducerRecord<>(o.topic, partition(o.name), o.key.getBytes(StandardCharsets.UTF_8), o.value));
    }

    /** The end of {@code name}'s events partition before the transaction being built: its next records go at or after it. */
    private long eventsEndOf(String name) {
        return eventsEnd.getOrDefault(partition(name), 0L);
    }

    /** The partition of curriculum {@code name} in both topics: Kafka's own key partitioning of the id. */
    int partition(String name) {
        return Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void apply(Mirror m, Out o) {
        if (o.topic.equals(options.eventsTopic())) m.applyEvent(o.value);
        else m.applyState(o.key, o.value);
    }

    /** The records of one write; slots it deletes are found in the mirror and in what this transaction staged. */
    private void encode(Write w, List<Out> out, Staged staged) {
        String events = options.eventsTopic();
        String state = options.stateTopic();
        Mirror m = mirror;
        if (w instanceof Write.Create c) {
            String name = c.row().name();
            out.add(new Out(state, name, LogRecord.rowKey(name), LogRecord.encode(new LogRecord.RowRecord(c.row()))));
            out.add(new Out(state, name, LogRecord.readFromKey(c.row().cid(), 0), LogRecord.encode(new LogRecord.ReadFrom(c.row().cid(), 0, eventsEndOf(name)))));
            out.add(new Out(state, name, LogRecord.maxCidKey(partition(name)), LogRecord.encode(new LogRecord.MaxCid(c.row().cid()))));
        } else if (w instanceof Write.Delete d) {
            out.add(new Out(events, d.name(), d.name(), LogRecord.encode(new LogRecord.Deleted(d.cid()))));
            out.add(new Out(state, d.name(), LogRecord.rowKey(d.name()), null));
            out.add(new Out(state, d.name(), LogRecord.readFromKey(d.cid(), 0), null));
            out.add(new Out(state, d.name(), LogRecord.forgetKey(d.cid()), null));
            dropSnapshots(d.cid(), d.name(), Long.MIN_VALUE, Long.MAX_VALUE, m, staged, out);
            dropCheckpoints(d.cid(), d.name(), Long.MIN_VALUE, m, staged, out);
        } else if (w instanceof Write.Append a) {
            out.add(new Out(events, a.name(), a.name(), LogRecord.encode(new LogRecord.Append(a.cid(), a.event()))));
        } else if (w instanceof Write.PutSnapshot s) {
            out.add(new Out(state, s.name(), LogRecord.snapshotKey(s.cid(), s.snapshot().seq()), LogRecord.encode(new LogRecord.SnapshotRecord(s.cid(), s.snapshot()))));
            out.add(new Out(state, s.name(), LogRecord.readFromKey(s.cid(), s.snapshot().seq()),
                    LogRecord.encode(new LogRecord.ReadFrom(s.cid(), s.snapshot().seq(), eventsEndOf(s.name())))));
            staged.snapshots.computeIfAbsent(s.cid(), k -> new TreeSet<>()).add(s.snapshot().seq());
        } else if (w instanceof Write.DropSnapshotsBefore s) {
            dropSnapshots(s.cid(), s.name(), Long.MIN_VALUE, s.seq(), m, staged, out);
        } else if (w instanceof Write.ForgetEventsUpTo f) {
            out.add(new Out(events, f.name(), f.name(), LogRecord.encode(new LogRecord.Forget(f.cid(), f.seq()))));
            out.add(new Out(state, f.name(), LogRecord.forgetKey(f.cid()), LogRecord.encode(new LogRecord.Forget(f.cid(), f.seq()))));
        } else if (w instanceof Write.PutCheckpoint c) {
            out.add(new Out(state, c.name(), LogRecord.checkpointKey(c.cid(), c.step()),
                    LogRecord.encode(new LogRecord.CheckpointRecord(c.cid(), c.step(), c.seq(), c.state()))));
            staged.checkpoints.computeIfAbsent(c.cid(), k -> new TreeMap<>()).put(c.step(), c.seq());
        } else if (w instanceof Write.TruncateAfter t) {
            out.add(new Out(events, t.name(), t.name(), LogRecord.encode(new LogRecord.Truncate(t.cid(), t.seq()))));
            dropSnapshots(t.cid(), t.name(), t.seq() + 1, Long.MAX_VALUE, m, staged, out);
            dropCheckpoints(t.cid(), t.name(), t.seq(), m, staged, out);
        } else if (w instanceof Write.QuarantineAfter q) {
            out.add(new Out(events, q.name(), q.name(), LogRecord.encode(new LogRecord.Quarantine(q.cid(), q.seq(), q.reason()))));
            dropSnapshots(q.cid(), q.name(), q.seq() + 1, Long.MAX_VALUE, m, staged, out);
            dropCheckpoints(q.cid(), q.name(), q.seq(), m, staged, out);
        } else {
            throw new IllegalArgumentException("unknown write " + w);
        }
    }

    /** Tombstones for the snapshots with seq in [from, to). */
    private void dropSnapshots(long cid, String name, long from, long to, Mirror m, Staged staged, List<Out> out) {
        TreeSet<Long> seqs = new TreeSet<>(m.snapshotSeqs(cid));
        TreeSet<Long> mine = staged.snapshots.get(cid);
        if (mine != null) seqs.addAll(mine);
        for (long s : seqs.subSet(from, true, to, false)) {
            out.add(new Out(options.stateTopic(), name, LogRecord.snapshotKey(cid, s), null));
            if (s != 0) out.add(new Out(options.stateTopic(), name, LogRecord.readFromKey(cid, s), null)); // seq 0's is the row's
            if (mine != null) mine.remove(s);
        }
    }

    /** Tombstones for the checkpoints covering an event after {@code afterSeq}. */
    private void dropCheckpoints(long cid, String name, long afterSeq, Mirror m, Staged staged, List<Out> out) {
        TreeSet<Long> steps = new TreeSet<>(m.checkpointsAfter(cid, afterSeq));
        TreeMap<Long, Long> mine = staged.checkpoints.get(cid);
        if (mine != null) {
            for (Map.Entry<Long, Long> e : List.copyOf(mine.entrySet())) {
                if (e.getValue() > afterSeq) {
                    steps.add(e.getKey());
                    mine.remove(e.getKey());
                }
            }
        }
        for (long step : steps) out.add(new Out(options.stateTopic(), name, LogRecord.checkpointKey(cid, step), null));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<Row> curricula() {
        return mirror.rows();
    }

    @Override
    public boolean exists(long cid) {
        return mirror.exists(cid);
    }

    @Override
    public long maxCid() {
        return mirror.maxCid();
    }

    /**
     * The smallest number from {@code atLeast} that is {@code partition(name)} modulo the
     * partitions: owners of different partitions never pick the same number, and a reader of every
     * partition sees each number once.
     */
    @Override
    public long cidFor(String name, long atLeast) {
        long want = partition(name);
        long c = Math.max(1, atLeast);
        return c + Math.floorMod(want - c, (long) partitions);
    }

    /** The partition this log owns, or -1: all of them. */
    public int ownedPartition() {
        return options.partition();
    }

    @Override
    public List<Long> snapshotSeqs(long cid) {
        return mirror.snapshotSeqs(cid);
    }

    @Override
    public StoredSnapshot snapshot(long cid, long seq) {
        return mirror.snapshot(cid, seq);
    }

    @Override
    public void events(long cid, long afterSeq, long limit, Sink<StoredEvent> sink) {
        complete(cid, afterSeq);
        for (StoredEvent e : mirror.events(cid, afterSeq, limit)) if (!sink.accept(e)) return;
    }

    @Override
    public void keyedEvents(long cid, long afterSeq, Sink<StoredEvent> sink) {
        complete(cid, afterSeq);
        for (StoredEvent e : mirror.events(cid, afterSeq, Long.MAX_VALUE)) {
            if (e.key() != null && !sink.accept(new StoredEvent(e.seq(), e.kind(), e.key(), e.hash(), null, e.crc(), null))) return;
        }
    }

    @Override
    public StoredEvent event(long cid, long seq) {
        if (mirror.misses(cid, seq)) loadOlder(cid); // a retry of a batch id older than the bounded start
        return mirror.event(cid, seq);
    }

    @Override
    public long firstSeq(long cid) {
        return mirror.firstSeq(cid);
    }

    @Override
    public List<StoredCheckpoint> checkpoints(long cid) {
        return mirror.checkpoints(cid);
    }

    @Override
    public byte[] checkpoint(long cid, long step) {
        return mirror.checkpoint(cid, step);
    }

    // ---------------------------------------------------------------- failure

    @Override
    public StoreFailedException failure() {
        return failure;
    }

    @Override
    public boolean failedCommitsMayHaveLanded() {
        return true;
    }

    @Override
    public boolean resume(Runnable guard) {
        if (failure == null) return true;
        if (fenced || !running) return false;
        CompletableFuture<Void> f = new CompletableFuture<>();
        queue.add(new Pending(List.of(), f, guard));
        try {
            f.join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    /** On the committer: a new producer (settling the failed transaction), the topics read again, then a probe transaction. */
    private void resumeNow(Pending probe) {
        if (failure == null) {
            probe.done.complete(null);
            return;
        }
        if (fenced) {
            probe.done.completeExceptionally(failure);
            return;
        }
        try {
            closeProducer(Duration.ZERO);
            producer = newProducer();
            mirror = readAll();
            producer.beginTransaction();
            probe.probe.run();
            producer.send(new ProducerRecord<>(options.eventsTopic(), Math.max(0, options.partition()), new byte[0], LogRecord.encode(new LogRecord.Probe())));
            producer.commitTransaction();
            commits++;
            failure = null;
            LOG.warning("the Kafka log writes again after a failure; it was read again from the topics");
            probe.done.complete(null);
        } catch (RuntimeException e) {
            StoreFailedException f = e instanceof StoreFailedException s ? s : fail(e);
            if (isFencing(e)) fenced = true;
            probe.done.completeExceptionally(new StoreFailedException("the Kafka log still cannot write: " + f.getMessage(), e));
        }
    }

    @Override
    public long commits() {
        return commits;
    }

    @Override
    public long committedOps() {
        return committedOps;
    }

    private void closeProducer(Duration timeout) {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) return;
        try {
            p.close(timeout);
        } catch (KafkaException | IllegalStateException e) {
            LOG.fine("closing the producer: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        committer.interrupt();
        try {
            committer.join(options.timeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p; (p = queue.poll()) != null; ) p.done.completeExceptionally(new StoreFailedException("the store is closed", null));
        closeProducer(Duration.ofSeconds(5));
    }

    private static StoreFailedException failed(String what, Throwable cause) {
        return new StoreFailedException(what + ": " + (cause == null ? "" : cause.getMessage()), cause);
    }

    @Override
    public String toString() {
        return "KafkaLog[" + options.bootstrap() + ", " + options.eventsTopic() + ", " + options.stateTopic() + "]";
    }
}
