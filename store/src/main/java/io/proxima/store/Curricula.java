package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ContinuousStats;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.CurriculumLog.Write;
import io.proxima.store.sqlite.SqliteLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Durable curricula: every mutating call is applied to the in-memory curriculum and appended to
 * its event log; a call is answered only once its event is durable.
 *
 * <p><b>Kinds.</b> A curriculum is discrete (a {@link Curriculum} over a task pool: {@link #addTasks},
 * {@link #next}, {@link #report}) or continuous (a {@link ContinuousCurriculum} over a box of
 * parameters: {@link #nextParams}, {@link #reportParams}); its {@link Kind} is chosen at creation
 * and stored in its row. Everything below — log, snapshots, recovery, idempotency, checkpoints,
 * export — is the same code for both, written over {@link Engine}; a call of the other kind is a
 * {@link ConflictException} on field {@code kind} that changes nothing.
 *
 * <p><b>Where the log lives</b> is a {@link CurriculumLog}: SQLite in a data directory
 * ({@link #open(Path, StoreOptions)}, the default) or another implementation
 * ({@link #open(CurriculumLog, StoreOptions, Faults)}: Kafka, module {@code store-kafka}). This
 * class decides what is logged and when; the log only stores it atomically and reads it back.
 *
 * <p><b>Log and snapshots.</b> Per curriculum: its configuration (the row that creates it), the
 * events ({@link Event}, encoded by {@link EventCodec}, keyed by sequence number = the
 * curriculum's {@code events()} after the call), and a snapshot every
 * {@link StoreOptions#snapshotEvery()} events, written in the same transaction as the event whose
 * sequence number it covers. Recovery on open = latest readable snapshot + replay of the events
 * after it through the same API; the curriculum being deterministic, the state is the one it had.
 * A tail that cannot be replayed (bad checksum, undecodable, rejected by the curriculum, a gap) is
 * moved to quarantine and the curriculum resumes at the last good event
 * ({@link Recovery}).
 *
 * <p><b>Concurrency.</b> One lock per curriculum serializes its calls (a single writer); calls on
 * different curricula run in parallel. A call applies and enqueues its event under the lock and
 * waits for durability after releasing it, so one curriculum's calls pipeline while the committer
 * keeps their order (FIFO); one transaction may hold calls of many curricula (group commit).
 *
 * <p><b>Idempotency.</b> {@code report} with a batch id and {@code next} with a request id are
 * applied once: the answer is stored beside the event, and a repeated key (also while the first is
 * still in flight) gets the very same bytes. A key reused for different content is a conflict.
 *
 * <p><b>Failures.</b> A call that fails after it changed memory — its answer cannot be rendered,
 * the snapshot or the encoding throws, the database refuses the commit — rebuilds the curriculum
 * from its log (newest snapshot + replay) before it answers: a failed call changes nothing, and no
 * read after its answer shows it. A refused commit fails every write after it too (no gap can
 * form); each curriculum whose write was refused is rebuilt before its next use, and the store
 * writes again once a probe commits ({@link #resume}, retried in the background): the full disk
 * that has space again needs no restart. Tests inject faults at each stage ({@link Faults}).
 *
 * <p><b>Checkpoints.</b> {@link #checkpoint} stores a snapshot named by the trainer's step;
 * {@link #restore} makes the curriculum exactly that state and discards the log (and later
 * checkpoints and snapshots) after it.
 */
public final class Curricula implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Curricula.class.getName());
    /** Allowed curriculum ids: URL-safe, at most 128 characters. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Separates a tenant's name from the curriculum's id in a stored id ({@code tenant~id}); never in an {@link #ID}. */
    public static final char TENANT_SEPARATOR = '~';
    /** A tenant's name: like an id, at most 64 characters (no {@link #TENANT_SEPARATOR}, so a stored id splits one way only). */
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Ids the store holds: an {@link #ID}, or one in a tenant's namespace, {@code tenant~id} (the server's --tokens mode). */
    public static final Pattern STORED_ID = Pattern.compile("(?:" + TENANT.pattern() + "~)?" + ID.pattern());
    /** Longest batch id or request id. */
    public static final int MAX_KEY = 256;
    /** File name of the database inside the data directory. */
    public static final String DB_FILE = "proxima.db";
    /** Held (an OS file lock) while a process has the directory open: one process per data directory. */
    public static final String LOCK_FILE = "proxima.lock";

    /** The answer to a keyed call: the stored bytes, and whether this call was a repeat. */
    public record Reply(byte[] body, boolean replayed) {}

    /**
     * A curriculum's summary.
     *
     * @param recipe the recipe (discrete) or the teacher type, e.g. "alp-gmm" (continuous)
     * @param tasks tasks in the pool (discrete) or tasks proposed so far (continuous)
     * @param batches {@code next} calls answered
     * @param recoveryNote what recovery quarantined, or null
     */
    public record Info(String id, Kind kind, String recipe, long tasks, long events, long batches, String configJson, String recoveryNote) {}

    /** A stored checkpoint. */
    public record Checkpoint(long step, long events, int bytes) {}

    /**
     * What opening the store recovered of one curriculum (for the server's log).
     *
     * @param events events the curriculum has applied
     * @param replayed of those, events replayed from the log after its newest snapshot
     * @param note what recovery quarantined, or null
     */
    public record Recovered(String id, long events, long replayed, String note) {}

    /** One logged event, for export. */
    public record LoggedEvent(long seq, int kind, String key, Event event) {}

    private record Keyed(long hash, CompletableFuture<byte[]> body) {}

    private record Applied(Event event, byte[] response) {}

    /** One curriculum and its single-writer lock. */
    private final class Host {
        final String name;
        final long cid;
        final ReentrantLock lock = new ReentrantLock();
        Engine engine;
        boolean deleted;
        /** Memory may hold what the log does not (a rollback could not finish): rebuilt before the next use. */
        boolean stale;
        long lastSnapshot;
        /** Size of the newest snapshot and log bytes written since (0 when unknown, e.g. after recovery). */
        long lastSnapshotBytes;
        long logBytesSinceSnapshot;
        String recoveryNote;
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        /** Every key in the log (fingerprints): a new key needs no database read. */
        final KeyIndex keys = new KeyIndex();
        /** Keys the last rebuild of {@link #keys} read from the log rather than from a snapshot (tests, logs). */
        int keysLoadedFromLog;
        final LinkedHashMap<String, Keyed> recent = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Keyed> eldest) {
                return size() > options.idempotencyMemory() && eldest.getValue().body.isDone();
            }
        };

        Host(String name, long cid, Engine engine) {
            this.name = name;
            this.cid = cid;
            this.engine = engine;
        }

        /** The discrete curriculum, or a conflict naming {@code op} if this one is continuous. */
        Curriculum discrete(String op) {
            if (engine instanceof Engine.Discrete d) return d.c();
            throw wrongKind(op, Kind.DISCRETE);
        }

        /** The continuous curriculum, or a conflict naming {@code op} if this one is discrete. */
        ContinuousCurriculum continuous(String op) {
            if (engine instanceof Engine.Continuous c) return c.c();
            throw wrongKind(op, Kind.CONTINUOUS);
        }

        private ConflictException wrongKind(String op, Kind wanted) {
            String what = engine.kind() == Kind.CONTINUOUS ? "a box of parameters, no task pool" : "a task pool, no parameter box";
            return new ConflictException("kind", "curriculum '" + name + "' is " + engine.kind().key() + " (" + what + "): " + op
                    + " applies to " + wanted.key() + " curricula only");
        }
    }

    private final StoreOptions options;
    private final CurriculumLog log;
    private final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private final AtomicLong nextCid = new AtomicLong(1);
    /** Retries a failed store's writes in the background ({@link #resume}). */
    private final java.util.concurrent.ScheduledExecutorService resumer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "proxima-resumer");
        t.setDaemon(true);
        return t;
    });
    /** How often a failed store tries to write again. */
    static final long RESUME_RETRY_MILLIS = 1000;
    private final Faults faults;
    private java.nio.channels.FileChannel lockFile;
    private final List<Recovered> recovered = new ArrayList<>();

    private Curricula(CurriculumLog log, StoreOptions options, Faults faults) {
        this.log = log;
        this.options = options;
        this.faults = faults;
    }

    /** Opens (or creates) the store in {@code dataDir} and recovers every curriculum. */
    public static Curricula open(Path dataDir, StoreOptions options) {
        return open(dataDir, options, Faults.NONE);
    }

    /** {@link #open(Path, StoreOptions)} with faults injected at each stage of every mutating call (tests). */
    public static Curricula open(Path dataDir, StoreOptions options, Faults faults) {
        if (faults == null) throw new IllegalArgumentException("faults must not be null (Faults.NONE for none)");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        java.nio.channels.FileChannel lockFile;
        java.nio.channels.FileLock lock;
        try {
            lockFile = java.nio.channels.FileChannel.open(dataDir.resolve(LOCK_FILE),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        try {
            lock = lockFile.tryLock();
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            try {
                lockFile.close();
            } catch (IOException ignored) {
                // refusing anyway
            }
            throw new IllegalStateException("the data directory " + dataDir + " is in use by another Proxima server");
        }
        SqliteLog log;
        try {
            log = SqliteLog.open(dataDir.resolve(DB_FILE), options.durability(), options.groupWindowMicros());
        } catch (RuntimeException e) {
            release(lockFile);
            throw e;
        }
        Curricula s;
        try {
            s = open(log, options, faults);
        } catch (RuntimeException e) {
            release(lockFile);
            throw e;
        }
        s.lockFile = lockFile;
        return s;
    }

    /**
     * Opens a store over {@code log} (SQLite, Kafka, ...) and recovers every curriculum in it; the
     * store owns the log from here on and closes it. Faults are injected at each stage of every
     * mutating call ({@link Faults#NONE} for none).
     */
    public static Curricula open(CurriculumLog log, StoreOptions options, Faults faults) {
        if (log == null) throw new IllegalArgumentException("log must not be null");
        if (options == null) throw new IllegalArgumentException("options must not be null");
        if (faults == null) throw new IllegalArgumentException("faults must not be null (Faults.NONE for none)");
        Curricula s = new Curricula(log, options, faults);
        try {
            s.recoverAll();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        s.resumer.scheduleWithFixedDelay(s::resumeQuietly, RESUME_RETRY_MILLIS, RESUME_RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return s;
    }

    public StoreOptions options() {
        return options;
    }

    /** What {@link #open} recovered, per curriculum in the order of their creation. */
    public List<Recovered> recovered() {
        return List.copyOf(recovered);
    }

    /** Transactions committed (for metrics). */
    public long commits() {
        return log.commits();
    }

    /** Operations committed (for metrics). */
    public long committedOps() {
        return log.committedOps();
    }

    /** Whether a write failed and none has succeeded since: the store refuses writes (see {@link #resume}). */
    public boolean failed() {
        return log.failure() != null;
    }

    /** Why the store refuses writes, or null. */
    public String failure() {
        StoreFailedException f = log.failure();
        return f == null ? null : f.getMessage();
    }

    /**
     * Makes a failed store write again, if it can: with every curriculum locked and its writes
     * settled, each curriculum whose memory holds a refused write is rebuilt from its log, the
     * curricula held are made those of the durable rows (a refused create is dropped, a refused
     * delete restored), and a probe transaction is committed; if it commits (space is back), the
     * store acknowledges writes again. Also tried every {@value #RESUME_RETRY_MILLIS} ms in the
     * background. Returns whether the store accepts writes.
     */
    public boolean resume() {
        if (!failed()) return true;
        synchronized (createLock) {
            if (!failed()) return true;
            List<Host> all = new ArrayList<>(hosts.values());
            all.sort(java.util.Comparator.comparingLong(h -> h.cid));
            for (Host h : all) h.lock.lock();
            try {
                for (Host h : all) settle(h);
                reconcile();
                if (!log.resume(() -> faults.check(Faults.Stage.COMMIT, null, "probe"))) return false;
                if (log.failedCommitsMayHaveLanded()) {
                    // The log was re-read: a write answered as failed may be in it after all.
                    reconcile();
                    for (Host h : all) if (!h.deleted) reload(h);
                }
                LOG.warning("the store writes again after a failure; curricula were rebuilt from their logs");
            } finally {
                for (Host h : all) h.lock.unlock();
            }
        }
        return true;
    }

    private void resumeQuietly() {
        try {
            resume();
        } catch (RuntimeException e) {
            LOG.fine("resume failed: " + e.getMessage());
        }
    }

    /**
     * Under the create lock with every host settled: the curricula held become exactly those of the
     * durable rows. A row without its host (a delete that was refused) is recovered; a host whose
     * row is not durable (a create that was refused) is dropped.
     */
    private void reconcile() {
        java.util.Set<Long> rows = new java.util.HashSet<>();
        for (CurriculumLog.Row r : log.curricula()) {
            rows.add(r.cid());
            Host held = hosts.get(r.name());
            if (held != null && held.cid == r.cid()) continue;
            Recovery.Recovered rec = Recovery.recover(log, r.cid(), r.name(), r.kind(), r.config());
            Host h = new Host(r.name(), r.cid(), rec.engine());
            h.lastSnapshot = rec.lastSnapshot();
            h.recoveryNote = rec.note();
            loadKeys(h);
            if (held != null) held.deleted = true;
            hosts.put(r.name(), h);
        }
        for (Host h : List.copyOf(hosts.values())) {
            if (!rows.contains(h.cid)) {
                h.deleted = true;
                hosts.remove(h.name, h);
            }
        }
    }

    // ---------------------------------------------------------------- curricula

    /** Creates a discrete curriculum; throws {@link ConflictException} if the id is taken. */
    public Info create(String id, CurriculumConfig config) {
        checkStoredId(id);
        if (config == null) throw new IllegalArgumentException("config must not be null");
        return create(id, () -> new Engine.Discrete(Curriculum.create(config)));
    }

    /** Creates a continuous curriculum; throws {@link ConflictException} if the id is taken. */
    public Info create(String id, ContinuousConfig config) {
        checkStoredId(id);
        if (config == null) throw new IllegalArgumentException("config must not be null");
        return create(id, () -> new Engine.Continuous(ContinuousCurriculum.create(config)));
    }

    private Info create(String id, java.util.function.Supplier<Engine> engine) {
        Host h;
        CompletableFuture<Void> created;
        synchronized (createLock) {
            if (hosts.containsKey(id)) throw new ConflictException("id", "curriculum '" + id + "' already exists");
            long cid = log.cidFor(id, nextCid.get());
            nextCid.set(cid + 1);
            h = new Host(id, cid, engine.get());
            String json = h.engine.configJson();
            Kind kind = h.engine.kind();
            h.lock.lock();
            try {
                hosts.put(id, h);
                try {
                    faults.check(Faults.Stage.APPLY, id, "create");
                    created = log.submit(List.of(new Write.Guard(() -> faults.check(Faults.Stage.COMMIT, id, "create")),
                            new Write.Create(new CurriculumLog.Row(cid, id, kind, json))));
                    h.tail = created;
                } catch (RuntimeException | Error e) {
                    h.deleted = true;
                    hosts.remove(id, h);
                    throw e;
                }
            } finally {
                h.lock.unlock();
            }
        }
        durable(h, created); // refused: the host, whose row is not durable, is dropped before the answer
        return info(id);
    }

    /** Ids of all curricula, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(hosts.keySet());
        ids.sort(null);
        return ids;
    }

    public Info info(String id) {
        return locked(id, h -> h.engine.info(h.name, h.recoveryNote));
    }

    /** Whether the curriculum is discrete or continuous. */
    public Kind kind(String id) {
        return locked(id, h -> h.engine.kind());
    }

    /**
     * Deletes a curriculum with its log, snapshots and checkpoints. The curriculum is gone when this
     * returns (its row is deleted: a restart does not recover it); its rows are purged in the
     * background, a bounded chunk per transaction, so a long log does not stall the other
     * curricula's commits. A purge cut short by a stop is finished at the next start.
     */
    public void delete(String id) {
        Host h = host(id);
        CompletableFuture<Void> done;
        long cid = h.cid;
        // The create lock first (the order of create and resume): a refused delete puts the host back.
        synchronized (createLock) {
            h.lock.lock();
            try {
                settle(h);
                alive(h);
                h.deleted = true;
                hosts.remove(id, h);
                try {
                    faults.check(Faults.Stage.APPLY, id, "delete");
                    done = log.submit(List.of(new Write.Guard(() -> faults.check(Faults.Stage.COMMIT, id, "delete")), new Write.Delete(cid, id)));
                } catch (RuntimeException | Error e) {
                    h.deleted = false;
                    hosts.put(id, h);
                    throw e;
                }
                h.tail = done;
            } finally {
                h.lock.unlock();
            }
        }
        try {
            join(done);
        } catch (RuntimeException e) {
            undelete(h);
            throw e;
        }
    }

    /**
     * After a refused delete: the curriculum is back, rebuilt from its log. If a create of the same id
     * slipped in meanwhile (its write refused as well), {@link #resume} restores the durable one.
     */
    private void undelete(Host h) {
        synchronized (createLock) {
            h.lock.lock();
            try {
                if (hosts.putIfAbsent(h.name, h) == null) {
                    h.deleted = false;
                    settle(h);
                }
            } catch (RuntimeException e) {
                LOG.warning("curriculum '" + h.name + "': cannot rebuild it after a refused delete: " + e.getMessage());
            } finally {
                h.lock.unlock();
            }
        }
    }

    /** Whether any row of curriculum number {@code cid} is left besides its own (tests of the SQLite purge). */
    boolean hasRows(long cid) {
        return ((SqliteLog) log).hasRows(cid);
    }

    /** Rows deleted per transaction when a deleted curriculum's log is purged (tests of the SQLite purge). */
    void purgeChunk(int rows) {
        ((SqliteLog) log).purgeChunk(rows);
    }

    // ---------------------------------------------------------------- events

    /** Adds tasks to a discrete curriculum (all or nothing); returns the pool size after. */
    public int addTasks(String id, List<TaskSpec> tasks) {
        if (tasks == null) throw new IllegalArgumentException("tasks must not be null");
        int[] size = new int[1];
        apply(id, EventCodec.ADD_TASKS, "addTasks", null, 0, h -> {
            Curriculum c = h.discrete("addTasks");
            c.addTasks(tasks);
            size[0] = c.size();
            return new Applied(new Event.AddTasks(tasks), null);
        });
        return size[0];
    }

    /**
     * {@link #addTasks(String, List)} with an answer: {@code render} gets the pool size after the
     * call and makes the answer. With a {@code requestId} the call is applied once: a repeat (also
     * after a restart) gets the stored answer and changes nothing, and the same id with other
     * tasks is a conflict — so a trainer can retry an upload of generated tasks whose answer it lost.
     */
    public Reply addTasks(String id, String requestId, List<TaskSpec> tasks, IntFunction<byte[]> render) {
        if (tasks == null) throw new IllegalArgumentException("tasks must not be null");
        long hash = requestId == null ? 0 : hashTasks(tasks);
        return apply(id, EventCodec.ADD_TASKS, "addTasks", requestId, hash, h -> {
            Curriculum c = h.discrete("addTasks");
            c.addTasks(tasks);
            return new Applied(new Event.AddTasks(tasks), render.apply(c.size()));
        });
    }

    /**
     * {@link Curriculum#next} of a discrete curriculum; {@code render} turns the selection into the
     * stored answer. With a {@code requestId}, a repeat gets the stored answer and changes nothing.
     */
    public Reply next(String id, int n, String requestId, Function<Selection, byte[]> render) {
        return await(nextLater(id, n, requestId, render));
    }

    /**
     * {@link #next} without waiting for durability: applied (or found a repeat) before it returns,
     * the reply completes once durable — on the thread that commits (the committer; under
     * {@link Durability#PROCESS} a request thread, often this one, before it returns), so its dependents must not
     * block — or fails with the store's refusal once the curriculum was rebuilt from its log.
     * A refused call throws at once, as {@link #next} does.
     */
    public CompletableFuture<Reply> nextLater(String id, int n, String requestId, Function<Selection, byte[]> render) {
        return applyLater(id, EventCodec.NEXT, "next", requestId, n, h -> new Applied(new Event.Next(n), render.apply(h.discrete("next").next(n))));
    }

    /** Marks the key hash of an explained next (the hash of a plain one is n): a key is repeated only with the same explain flag. */
    private static final long EXPLAINED = 1L << 32;

    /**
     * {@link #next} answered with {@link Curriculum#explain} of the selection: {@code render} gets
     * both, right after the draw. The explanation is part of the stored answer, so a repeated
     * {@code requestId} gets the very bytes of the first answer; a key first used without explain
     * is refused with it (and the reverse). The logged event is a plain next: explaining changes
     * nothing, so replay needs no explanation.
     */
    public Reply nextExplained(String id, int n, String requestId, BiFunction<Selection, List<TaskExplanation>, byte[]> render) {
        return apply(id, EventCodec.NEXT, "next", requestId, n | EXPLAINED, h -> {
            Curriculum c = h.discrete("next");
            Selection s = c.next(n);
            return new Applied(new Event.Next(n), render.apply(s, c.explain(s)));
        });
    }

    /** {@link Curriculum#report}; with a {@code batchId}, a repeated batch is applied once and answered the same. */
    public Reply report(String id, String batchId, List<Outcome> outcomes, Function<ReportResult, byte[]> render) {
        return await(reportLater(id, batchId, outcomes, render));
    }

    /** {@link #report} without waiting for durability, as {@link #nextLater}. */
    public CompletableFuture<Reply> reportLater(String id, String batchId, List<Outcome> outcomes, Function<ReportResult, byte[]> render) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        long hash = batchId == null ? 0 : hash(outcomes);
        return applyLater(id, EventCodec.REPORT, "report", batchId, hash,
                h -> new Applied(new Event.Report(outcomes), render.apply(h.discrete("report").report(outcomes))));
    }

    /**
     * {@link ContinuousCurriculum#next} of a continuous curriculum; {@code render} turns the proposals
     * into the stored answer. With a {@code requestId}, a repeat gets the stored answer and changes nothing.
     */
    public Reply nextParams(String id, int n, String requestId, Function<List<ParamTask>, byte[]> render) {
        return apply(id, EventCodec.PARAM_NEXT, "nextParams", requestId, n,
                h -> new Applied(new Event.ParamNext(n), render.apply(h.continuous("nextParams").next(n))));
    }

    /**
     * {@link ContinuousCurriculum#report}; {@code render} gets the number of episodes applied. With a
     * {@code batchId}, a repeated batch is applied once and answered the same.
     */
    public Reply reportParams(String id, String batchId, List<ParamOutcome> outcomes, IntFunction<byte[]> render) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        long hash = batchId == null ? 0 : hashParams(outcomes);
        return apply(id, EventCodec.PARAM_REPORT, "reportParams", batchId, hash,
                h -> new Applied(new Event.ParamReport(outcomes), render.apply(h.continuous("reportParams").report(outcomes))));
    }

    /**
     * One event: applied to memory under the curriculum's lock, then logged (with a snapshot when
     * one is due) and answered once durable. A failure at any stage after memory changed — the
     * answer's rendering, the snapshot, the encoding, the commit — rebuilds the curriculum from its
     * log before the error is answered: a call that fails changes nothing.
     */
    private Reply apply(String id, byte kind, String op, String key, long hash, Function<Host, Applied> call) {
        Pending p = applyPending(id, kind, op, key, hash, call);
        return new Reply(durable(p.host, p.answer), p.replayed);
    }

    /** {@link #apply} answered once durable without waiting for it: the reply completes on the committer's thread. */
    private CompletableFuture<Reply> applyLater(String id, byte kind, String op, String key, long hash, Function<Host, Applied> call) {
        Pending p = applyPending(id, kind, op, key, hash, call);
        boolean replayed = p.replayed;
        return durableLater(p.host, p.answer).thenApply(body -> new Reply(body, replayed));
    }

    /** A call applied and submitted (or a repeat found): its answer once durable. */
    private record Pending(Host host, CompletableFuture<byte[]> answer, boolean replayed) {}

    /** {@link #apply} up to the wait for durability. */
    private Pending applyPending(String id, byte kind, String op, String key, long hash, Function<Host, Applied> call) {
        if (key != null) checkKey(kind, key);
        Host h = host(id);
        CompletableFuture<byte[]> answer;
        boolean replayed = false;
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            Keyed seen = key == null ? null : seen(h, kind, key);
            if (seen != null) {
                if (seen.hash != hash) throw reused(kind, key);
                answer = seen.body;
                replayed = true;
            } else {
                Engine before = h.engine;
                long eventsBefore = before.events();
                Applied a;
                try {
                    a = call.apply(h);
                } catch (IllegalArgumentException | ConflictException e) {
                    // Validation (or the other kind): the curriculum guarantees nothing changed. A
                    // refusal after the call went through (its answer's rendering) is rolled back.
                    if (h.engine != before || before.events() != eventsBefore) rollBack(h, e);
                    throw e;
                } catch (RuntimeException | Error e) {
                    rollBack(h, e);
                    throw e;
                }
                try {
                    faults.check(Faults.Stage.APPLY, h.name, op);
                    Logged l = toLog(h, kind, op, key, hash, a);
                    CompletableFuture<Void> durable = log.submitQueued(l.writes); // committed below, once the lock is released
                    h.tail = durable;
                    answer = durable.thenApply(v -> l.response);
                    remember(h, kind, key, hash, l.seq, answer);
                } catch (RuntimeException | Error e) {
                    rollBack(h, e);
                    throw e;
                }
            }
        } finally {
            h.lock.unlock();
            log.commitQueued();
        }
        return new Pending(h, answer, replayed);
    }

    /**
     * The answer of a combined report-then-next call ({@link #step}): each part's stored answer, and
     * whether it was a repeat.
     */
    public record StepReply(Reply report, Reply next) {}

    /**
     * Reports a batch and draws the next one in a single call of a discrete curriculum: one lock,
     * both events logged in one transaction (both durable or neither). Keyed by {@code batchId}:
     * the report is stored under it as a batch id and the next under it as a request id, so a
     * retry is answered the same and changes nothing. If either part is refused, or the call fails
     * at any stage after memory changed (as in {@link #apply}), nothing changes: the curriculum is
     * rebuilt from its log before the error is answered. A batch id already reported by a plain
     * report only draws the next part; one already used as a request id of a plain next is a
     * conflict. Faults are checked as operations {@code step.report} and {@code step.next}.
     */
    public StepReply step(String id, String batchId, List<Outcome> outcomes, int n, Function<ReportResult, byte[]> renderReport,
                          Function<Selection, byte[]> renderNext) {
        return await(stepLater(id, batchId, outcomes, n, renderReport, renderNext));
    }

    /** {@link #step} without waiting for durability, as {@link #nextLater}. */
    public CompletableFuture<StepReply> stepLater(String id, String batchId, List<Outcome> outcomes, int n, Function<ReportResult, byte[]> renderReport,
                                                  Function<Selection, byte[]> renderNext) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        long hash = batchId == null ? 0 : hash(outcomes);
        return stepLater(id, batchId, "step", EventCodec.REPORT, hash,
                h -> new Applied(new Event.Report(outcomes), renderReport.apply(h.discrete("step").report(outcomes))),
                EventCodec.NEXT, n, h -> new Applied(new Event.Next(n), renderNext.apply(h.discrete("step").next(n))));
    }

    /**
     * {@link #step} whose next part is answered with {@link Curriculum#explain} of its selection,
     * as {@link #nextExplained}: the explanation is part of the stored answer (a retry gets the very
     * bytes), the logged events are a plain report and a plain next, and the batch id is keyed as
     * an explained step — repeated without explain (or a plain step's repeated with it) it is a
     * conflict on {@code explain}.
     */
    public StepReply stepExplained(String id, String batchId, List<Outcome> outcomes, int n, Function<ReportResult, byte[]> renderReport,
                                   BiFunction<Selection, List<TaskExplanation>, byte[]> renderNext) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        long hash = batchId == null ? 0 : hash(outcomes);
        return step(id, batchId, "step", EventCodec.REPORT, hash,
                h -> new Applied(new Event.Report(outcomes), renderReport.apply(h.discrete("step").report(outcomes))),
                EventCodec.NEXT, n | EXPLAINED, h -> {
                    Curriculum c = h.discrete("step");
                    Selection s = c.next(n);
                    return new Applied(new Event.Next(n), renderNext.apply(s, c.explain(s)));
                });
    }

    /**
     * {@link #step} of a continuous curriculum: {@link #reportParams} then {@link #nextParams} in one
     * transaction. Faults are checked as operations {@code stepParams.report} and {@code stepParams.next}.
     */
    public StepReply stepParams(String id, String batchId, List<ParamOutcome> outcomes, int n, IntFunction<byte[]> renderReport,
                                Function<List<ParamTask>, byte[]> renderNext) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        long hash = batchId == null ? 0 : hashParams(outcomes);
        return step(id, batchId, "stepParams", EventCodec.PARAM_REPORT, hash,
                h -> new Applied(new Event.ParamReport(outcomes), renderReport.apply(h.continuous("step").report(outcomes))),
                EventCodec.PARAM_NEXT, n, h -> new Applied(new Event.ParamNext(n), renderNext.apply(h.continuous("step").next(n))));
    }

    /** {@code nextHash}: the key hash of the next part, its n (with {@link #EXPLAINED} set when it explains). */
    private StepReply step(String id, String key, String op, byte reportKind, long reportHash, Function<Host, Applied> report,
                           byte nextKind, long nextHash, Function<Host, Applied> next) {
        PendingStep p = stepPending(id, key, op, reportKind, reportHash, report, nextKind, nextHash, next);
        return new StepReply(new Reply(durable(p.host, p.report), p.reportReplayed), new Reply(durable(p.host, p.next), p.nextReplayed));
    }

    /** {@link #step} answered once durable without waiting for it: the reply completes on the committer's thread. */
    private CompletableFuture<StepReply> stepLater(String id, String key, String op, byte reportKind, long reportHash, Function<Host, Applied> report,
                                                   byte nextKind, long nextHash, Function<Host, Applied> next) {
        PendingStep p = stepPending(id, key, op, reportKind, reportHash, report, nextKind, nextHash, next);
        // both parts are durable with the same commit (or were already): one wait, one rollback if it fails
        return durableLater(p.host, p.report.thenCombine(p.next, (r, n) -> new StepReply(new Reply(r, p.reportReplayed), new Reply(n, p.nextReplayed))));
    }

    /** A step applied and submitted (or its repeat found): each part's answer once durable. */
    private record PendingStep(Host host, CompletableFuture<byte[]> report, boolean reportReplayed, CompletableFuture<byte[]> next, boolean nextReplayed) {}

    /** {@link #step} up to the wait for durability. */
    private PendingStep stepPending(String id, String key, String op, byte reportKind, long reportHash, Function<Host, Applied> report,
                                    byte nextKind, long nextHash, Function<Host, Applied> next) {
        if (key != null) {
            checkKey(reportKind, key);
            checkKey(nextKind, key);
        }
        String reportOp = op + ".report";
        String nextOp = op + ".next";
        Host h = host(id);
        CompletableFuture<byte[]> reportAnswer;
        CompletableFuture<byte[]> nextAnswer;
        boolean reportReplayed = false;
        boolean nextReplayed = false;
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            Keyed seenReport = key == null ? null : seen(h, reportKind, key);
            Keyed seenNext = key == null ? null : seen(h, nextKind, key);
            if (seenReport != null && seenReport.hash != reportHash) throw reused(reportKind, key);
            if (seenNext != null && seenReport == null) {
                throw new ConflictException(keyField(reportKind), keyField(reportKind) + " '" + key + "' was already used as the requestId of a next call;"
                        + " use a new id for a step");
            }
            if (seenNext != null && seenNext.hash != nextHash) {
                if ((seenNext.hash ^ nextHash) == EXPLAINED) {
                    throw new ConflictException("explain", "batch '" + key + "' was already stepped " + ((seenNext.hash & EXPLAINED) != 0 ? "with" : "without")
                            + " explain; repeat it as it was sent, or use a new batchId");
                }
                throw new ConflictException("n", "batch '" + key + "' was already stepped with another n; use a new batchId for new content");
            }
            if (seenNext != null) { // a retry of the whole step
                reportAnswer = seenReport.body;
                nextAnswer = seenNext.body;
                reportReplayed = true;
                nextReplayed = true;
            } else {
                Engine before = h.engine;
                long eventsBefore = before.events();
                try {
                    Logged rl = null;
                    if (seenReport == null) {
                        Applied r = report.apply(h);
                        faults.check(Faults.Stage.APPLY, h.name, reportOp);
                        rl = toLog(h, reportKind, reportOp, key, reportHash, r);
                    }
                    Applied a = next.apply(h);
                    faults.check(Faults.Stage.APPLY, h.name, nextOp);
                    Logged nl = toLog(h, nextKind, nextOp, key, nextHash, a);
                    Logged first = rl;
                    List<Write> writes = new ArrayList<>();
                    if (first != null) writes.addAll(first.writes);
                    writes.addAll(nl.writes);
                    CompletableFuture<Void> durable = log.submitQueued(writes); // committed below, once the lock is released
                    h.tail = durable;
                    if (first != null) {
                        reportAnswer = durable.thenApply(v -> first.response);
                        remember(h, reportKind, key, reportHash, first.seq, reportAnswer);
                    } else {
                        reportAnswer = seenReport.body;
                        reportReplayed = true;
                    }
                    nextAnswer = durable.thenApply(v -> nl.response);
                    remember(h, nextKind, key, nextHash, nl.seq, nextAnswer);
                } catch (IllegalArgumentException | ConflictException e) {
                    // A refused report part changed nothing; a refused next part after an applied
                    // report (or a refusal once memory changed) is rolled back with it.
                    if (h.engine != before || before.events() != eventsBefore) rollBack(h, e);
                    throw e;
                } catch (RuntimeException | Error e) {
                    rollBack(h, e);
                    throw e;
                }
            }
        } finally {
            h.lock.unlock();
            log.commitQueued();
        }
        return new PendingStep(h, reportAnswer, reportReplayed, nextAnswer, nextReplayed);
    }

    /** An applied event made ready to log: the write (event row, and a snapshot if one is due), its answer, its seq. */
    private record Logged(List<Write> writes, byte[] response, long seq) {}

    /**
     * Encodes an applied event, and the snapshot it makes due, into the write that logs them; keeps
     * the host's snapshot bookkeeping. Called under the curriculum's lock, right after the call; a
     * failure here or in the write (faults: encode, snapshot, commit of {@code op}) is rolled back
     * by the caller.
     */
    private Logged toLog(Host h, byte kind, String op, String key, long hash, Applied a) {
        long seq = h.engine.events();
        byte[] response = a.response;
        byte[] snapshot = null;
        long previousSnapshot = h.lastSnapshot;
        long forgetUpTo = 0; // events at or before this seq are deleted with the snapshot (keepEvents)
        byte[] snapshotKeys = null;
        faults.check(Faults.Stage.ENCODE, h.name, op);
        byte[] payload = EventCodec.encode(a.event);
        long crc = EventCodec.crc(payload);
        h.logBytesSinceSnapshot += payload.length;
        // The key is indexed as soon as its event is encoded, not when the call is done: a step logs
        // a report then a next, and a snapshot made due by the next must hold the report's key too
        // (it did not, and a retry of that step after a restart from the snapshot was refused).
        // A call that fails from here on is rolled back, which rebuilds the index from the log.
        if (key != null) h.keys.add(KeyIndex.fingerprint(kind, key), seq);
        if (snapshotDue(h, seq)) {
            faults.check(Faults.Stage.SNAPSHOT, h.name, op);
            snapshot = h.engine.snapshot();
            snapshotKeys = h.keys.toBytes();
            h.lastSnapshot = seq;
            h.lastSnapshotBytes = snapshot.length + snapshotKeys.length;
            h.logBytesSinceSnapshot = 0;
            if (options.keepEvents() != StoreOptions.KEEP_ALL && previousSnapshot - options.keepEvents() > 0) {
                forgetUpTo = previousSnapshot - options.keepEvents();
                h.keys.forgetUpTo(forgetUpTo);
            }
        }
        long cid = h.cid;
        String name = h.name;
        List<Write> write = new ArrayList<>(5);
        write.add(new Write.Guard(() -> faults.check(Faults.Stage.COMMIT, name, op)));
        write.add(new Write.Append(cid, name, new CurriculumLog.StoredEvent(seq, kind, key, hash, payload, crc, key == null ? null : response)));
        if (snapshot != null) {
            write.add(new Write.PutSnapshot(cid, name, new CurriculumLog.StoredSnapshot(seq, snapshot, snapshotKeys)));
            write.add(new Write.DropSnapshotsBefore(cid, name, previousSnapshot));
            if (forgetUpTo > 0) write.add(new Write.ForgetEventsUpTo(cid, name, forgetUpTo));
        }
        return new Logged(write, response, seq);
    }

    /** Keeps a keyed call's answer for repeats (in flight or done); its key is already in the index ({@link #toLog}). */
    private static void remember(Host h, byte kind, String key, long hash, long seq, CompletableFuture<byte[]> answer) {
        if (key == null) return;
        h.recent.put(kind + ":" + key, new Keyed(hash, answer));
    }

    private static ConflictException reused(byte kind, String key) {
        return new ConflictException(keyField(kind), keyField(kind) + " '" + key
                + "' was already used for a different request; use a new id for new content");
    }

    /**
     * Waits for a write of {@code h}; if the store refused it, the curriculum is rebuilt from its
     * log (under its lock) before the refusal is thrown, so no read after the answer shows it.
     */
    private <T> T durable(Host h, CompletableFuture<T> write) {
        try {
            return write.join();
        } catch (java.util.concurrent.CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
            settleAfterRefusal(h, cause);
            throw cause;
        }
    }

    /**
     * {@link #durable} without a waiting thread: {@code write} as it is when it succeeds (its
     * dependents run on the thread that completes it, the committer); when the store refused it,
     * the curriculum is rebuilt from its log on a thread of its own (never the committer's: a
     * rebuild waits for the queue the committer drains) before the refusal completes the result.
     */
    private <T> CompletableFuture<T> durableLater(Host h, CompletableFuture<T> write) {
        return write.exceptionallyComposeAsync(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            settleAfterRefusal(h, cause);
            return CompletableFuture.failedFuture(cause);
        }, ROLLBACKS);
    }

    /** After the store refused a write of {@code h}: rebuilds it from its log under its lock; a failure to do so is added to {@code cause}. */
    private void settleAfterRefusal(Host h, Throwable cause) {
        h.lock.lock();
        try {
            settle(h);
        } catch (RuntimeException x) {
            cause.addSuppressed(x);
        } finally {
            h.lock.unlock();
        }
    }

    /** Runs the rebuild after a refused write, each on a new thread (a refusal is rare; this holds no thread in between). */
    private static final java.util.concurrent.Executor ROLLBACKS = task -> {
        Thread t = new Thread(task, "proxima-rollback");
        t.setDaemon(true);
        t.start();
    };

    /** After a call failed under the lock with memory possibly changed: rebuild from the log. */
    private void rollBack(Host h, Throwable cause) {
        try {
            reload(h);
        } catch (RuntimeException x) {
            cause.addSuppressed(x); // the host's tail stays failed or memory stale: settle() retries
            h.stale = true;
        }
    }

    /**
     * Under the lock, before a curriculum is used: if one of its writes was refused (or a rollback
     * could not finish), its memory may hold what the log does not; it is rebuilt from the log.
     * A write still in flight on a healthy store is left to its caller.
     */
    private void settle(Host h) {
        CompletableFuture<Void> t = h.tail;
        if (!t.isDone()) {
            if (!failed()) {
                if (h.stale) reload(h);
                return;
            }
            log.commitQueued();
            quietJoin(t); // a failed store fails what is queued at once
        }
        if (h.stale || t.isCompletedExceptionally()) reload(h);
    }

    /** Waits for a reply of a {@code ...Later} call; its failure is thrown as it is. */
    public static <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }

    /** Waits for a write; its failure is thrown as it is (a {@link StoreFailedException}). */
    private static void join(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private static void quietJoin(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException ignored) {
            // the caller looks at how it completed
        }
    }

    /**
     * A snapshot is due once {@link StoreOptions#snapshotEvery()} events have passed and the log
     * written since is at least half the size of the last snapshot. The second rule keeps a large
     * pool (a 1M-task snapshot is ~45 MB) from being rewritten every few thousand small reports:
     * snapshots then cost at most twice the log's own writes, and recovery replays at most that
     * many bytes of log.
     */
    private boolean snapshotDue(Host h, long seq) {
        return seq - h.lastSnapshot >= options.snapshotEvery() && 2 * h.logBytesSinceSnapshot >= h.lastSnapshotBytes;
    }

    /**
     * Rebuilds a curriculum from its durable log after an unexpected failure inside a call, so
     * memory never runs ahead of (or apart from) the log.
     */
    private void reload(Host h) {
        h.stale = true;
        log.commitQueued(); // this thread's own write may still be queued (a failure right after submitQueued)
        quietJoin(h.tail); // everything submitted before is settled: the log is what it will be
        h.recent.clear();
        if (!log.exists(h.cid)) { // its create was refused
            h.deleted = true;
            hosts.remove(h.name, h);
            h.tail = CompletableFuture.completedFuture(null);
            h.stale = false;
            return;
        }
        Recovery.Recovered fresh = Recovery.recover(log, h.cid, h.name, h.engine.kind(), h.engine.configJson());
        h.engine = fresh.engine();
        h.lastSnapshot = fresh.lastSnapshot();
        h.lastSnapshotBytes = 0;
        h.logBytesSinceSnapshot = 0;
        loadKeys(h);
        h.tail = CompletableFuture.completedFuture(null);
        h.stale = false;
        LOG.warning("curriculum '" + h.name + "': rebuilt from its log after a failed call");
    }

    private Keyed seen(Host h, byte kind, String key) {
        Keyed k = h.recent.get(kind + ":" + key);
        if (k != null) return k;
        long[] candidates = h.keys.candidates(KeyIndex.fingerprint(kind, key));
        if (candidates.length == 0) return null; // a new key: no read
        for (long seq : candidates) {
            CurriculumLog.StoredEvent e = log.event(h.cid, seq);
            if (e != null && e.kind() == kind && key.equals(e.key())) return new Keyed(e.hash(), CompletableFuture.completedFuture(e.response()));
        }
        return null;
    }

    /** FNV-1a over the content of a batch: tells a true retry from a reused id. */
    static long hash(List<Outcome> outcomes) {
        long h = 0xcbf29ce484222325L;
        for (Outcome o : outcomes) {
            if (o == null) continue;
            h = mix(h, o.taskId() == null ? 0 : o.taskId().hashCode());
            if (o.rewards() != null) for (double r : o.rewards()) h = mix(h, Double.doubleToLongBits(r));
            for (int l : o.tokenLengths()) h = mix(h, l);
            h = mix(h, o.step());
            h = mix(h, Double.doubleToLongBits(o.loss()));
            for (Map.Entry<String, Double> d : o.directives().entrySet()) { // sorted by name
                h = mix(h, d.getKey().hashCode());
                h = mix(h, Double.doubleToLongBits(d.getValue()));
            }
        }
        return h;
    }

    /** The same for a task upload: ids, groups, priors, features and links. */
    static long hashTasks(List<TaskSpec> tasks) {
        long h = 0xcbf29ce484222325L;
        for (TaskSpec t : tasks) {
            if (t == null) continue;
            h = mix(h, java.util.Objects.hashCode(t.id()));
            h = mix(h, t.group().hashCode());
            h = mix(h, Double.doubleToLongBits(t.priorDifficulty()));
            h = mix(h, t.features().length);
            for (float f : t.features()) h = mix(h, Float.floatToIntBits(f));
            h = mix(h, java.util.Objects.hashCode(t.parent()));
            h = mix(h, t.derivation() == null ? 0 : t.derivation().code);
        }
        return h;
    }

    /** The same for a continuous batch: task ids, vectors and returns. */
    static long hashParams(List<ParamOutcome> outcomes) {
        long h = 0xcbf29ce484222325L;
        for (ParamOutcome o : outcomes) {
            if (o == null) continue;
            h = mix(h, o.taskId());
            h = mix(h, o.params() == null ? -1 : o.params().length);
            if (o.params() != null) for (double p : o.params()) h = mix(h, Double.doubleToLongBits(p));
            if (o.returns() != null) for (double r : o.returns()) h = mix(h, Double.doubleToLongBits(r));
        }
        return h;
    }

    private static long mix(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (8 * i)) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    // ---------------------------------------------------------------- reads

    /** Statistics of a discrete curriculum. */
    public CurriculumStats stats(String id) {
        return read(id, Curriculum::stats);
    }

    /** Statistics of a continuous curriculum. */
    public ContinuousStats continuousStats(String id) {
        return readContinuous(id, ContinuousCurriculum::stats);
    }

    /** Runs {@code fn} on the live discrete curriculum under its lock (reads only: do not mutate it). */
    public <T> T read(String id, Function<Curriculum, T> fn) {
        return locked(id, h -> fn.apply(h.discrete("read")));
    }

    /** Runs {@code fn} on the live continuous curriculum under its lock (reads only: do not mutate it). */
    public <T> T readContinuous(String id, Function<ContinuousCurriculum, T> fn) {
        return locked(id, h -> fn.apply(h.continuous("readContinuous")));
    }

    /** Runs {@code fn} on a live host under its lock. */
    private <T> T locked(String id, Function<Host, T> fn) {
        Host h = host(id);
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            return fn.apply(h);
        } finally {
            h.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** Stores the current state as the checkpoint of trainer step {@code step} (replacing one of the same step). */
    public Checkpoint checkpoint(String id, long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        Host h = host(id);
        CompletableFuture<Void> done;
        Checkpoint cp;
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            try {
                faults.check(Faults.Stage.SNAPSHOT, id, "checkpoint");
                byte[] state = h.engine.snapshot();
                long seq = h.engine.events();
                long cid = h.cid;
                cp = new Checkpoint(step, seq, state.length);
                faults.check(Faults.Stage.APPLY, id, "checkpoint");
                done = log.submit(List.of(new Write.Guard(() -> faults.check(Faults.Stage.COMMIT, id, "checkpoint")),
                        new Write.PutCheckpoint(cid, id, step, seq, state)));
            } catch (RuntimeException | Error e) {
                rollBack(h, e); // a snapshot changes nothing; rebuilt anyway, in case a failing one did
                throw e;
            }
            h.tail = done;
        } finally {
            h.lock.unlock();
        }
        durable(h, done);
        return cp;
    }

    public List<Checkpoint> checkpoints(String id) {
        Host h = durableHost(id);
        List<Checkpoint> out = new ArrayList<>();
        for (CurriculumLog.StoredCheckpoint c : log.checkpoints(h.cid)) out.add(new Checkpoint(c.step(), c.seq(), c.bytes()));
        return out;
    }

    /**
     * Makes the curriculum exactly the state of checkpoint {@code step} and discards everything
     * logged after it (events, snapshots, later checkpoints, remembered batch ids).
     */
    public Checkpoint restore(String id, long step) {
        Host h = host(id);
        Checkpoint cp;
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            cp = restoreLocked(h, id, step);
        } finally {
            h.lock.unlock();
        }
        return cp;
    }

    /** {@link #restore} under the lock: memory becomes the checkpoint only once the log says so. */
    private Checkpoint restoreLocked(Host h, String id, long step) {
        try {
            join(h.tail);
            long cid = h.cid;
            byte[] state = log.checkpoint(cid, step);
            if (state == null) throw new NotFoundException("step", "curriculum '" + id + "' has no checkpoint at step " + step);
            Engine restored = Engine.restore(h.engine.kind(), state);
            long seq = restored.events();
            Checkpoint cp = new Checkpoint(step, seq, state.length);
            faults.check(Faults.Stage.APPLY, id, "restore");
            // the key index is rebuilt from the log below (and at the next restart): none stored with the snapshot
            CompletableFuture<Void> done = log.submit(List.of(new Write.Guard(() -> faults.check(Faults.Stage.COMMIT, id, "restore")),
                    new Write.TruncateAfter(cid, id, seq), new Write.PutSnapshot(cid, id, new CurriculumLog.StoredSnapshot(seq, state, null))));
            h.tail = done;
            join(done);
            h.engine = restored;
            h.lastSnapshot = seq;
            h.lastSnapshotBytes = state.length;
            h.logBytesSinceSnapshot = 0;
            h.recent.clear();
            loadKeys(h);
            return cp;
        } catch (NotFoundException e) {
            throw e; // no such checkpoint: nothing was touched
        } catch (RuntimeException | Error e) {
            rollBack(h, e);
            throw e;
        }
    }

    /** The curriculum, once everything acknowledged for it so far is durable (for reads of its rows). */
    private Host durableHost(String id) {
        Host h = host(id);
        CompletableFuture<Void> tail;
        h.lock.lock();
        try {
            settle(h);
            alive(h);
            tail = h.tail;
        } finally {
            h.lock.unlock();
        }
        quietJoin(tail); // a refused write is not in the rows read next
        return h;
    }

    // ---------------------------------------------------------------- export

    /** Streams the curriculum's durable log, in order, to {@code sink}. */
    public void exportLog(String id, java.util.function.Consumer<LoggedEvent> sink) {
        exportLog(id, 0, Long.MAX_VALUE, sink);
    }

    /**
     * Streams at most {@code limit} events of the curriculum's durable log after sequence number
     * {@code afterSeq}, in order, to {@code sink}: a follower catching up in chunks (the dashboard's
     * history) holds a database reader only for one chunk.
     */
    public void exportLog(String id, long afterSeq, long limit, java.util.function.Consumer<LoggedEvent> sink) {
        Host h = durableHost(id);
        log.events(h.cid, afterSeq, limit, e -> {
            sink.accept(new LoggedEvent(e.seq(), e.kind(), e.key(), EventCodec.decode(e.payload())));
            return true;
        });
    }

    // ---------------------------------------------------------------- recovery

    private void recoverAll() {
        long maxCid = 0;
        for (CurriculumLog.Row r : log.curricula()) {
            maxCid = Math.max(maxCid, r.cid());
            Recovery.Recovered rec = Recovery.recover(log, r.cid(), r.name(), r.kind(), r.config());
            Host h = new Host(r.name(), r.cid(), rec.engine());
            h.lastSnapshot = rec.lastSnapshot();
            h.recoveryNote = rec.note();
            recovered.add(new Recovered(r.name(), rec.engine().events(), rec.engine().events() - rec.lastSnapshot(), rec.note()));
            loadKeys(h);
            hosts.put(r.name(), h);
        }
        nextCid.set(Math.max(maxCid, log.maxCid()) + 1); // numbers of deleted curricula are never reused
    }

    /**
     * Rebuilds the key index (after recovery, a reload or a restore): the index stored with the
     * snapshot the curriculum was recovered from, plus the keys of the events logged after it; the
     * whole log when that snapshot has none (a restore, or a database of an earlier version).
     */
    private void loadKeys(Host h) {
        h.keys.clear();
        long cid = h.cid;
        long since = h.lastSnapshot;
        CurriculumLog.StoredSnapshot snap = since <= 0 ? null : log.snapshot(cid, since);
        byte[] stored = snap == null ? null : snap.keys();
        long from = 0;
        if (stored != null) {
            try {
                h.keys.addAll(stored);
                from = since;
            } catch (IllegalArgumentException e) {
                h.keys.clear();
                LOG.warning("curriculum '" + h.name + "': the key index stored with snapshot " + since + " is unreadable (" + e.getMessage() + "); reading the log");
            }
        }
        int[] scanned = {0};
        log.keyedEvents(cid, from, e -> {
            h.keys.add(KeyIndex.fingerprint(e.kind(), e.key()), e.seq());
            scanned[0]++;
            return true;
        });
        long[] firstSeq = {log.firstSeq(cid)};
        if (firstSeq[0] != Long.MAX_VALUE) h.keys.forgetUpTo(firstSeq[0] - 1); // deleted by keepEvents since the snapshot
        h.keysLoadedFromLog = scanned[0];
    }

    /** How many keys the last key-index rebuild of {@code id} read from the log (the rest came with its snapshot). */
    int keysLoadedFromLog(String id) {
        return host(id).keysLoadedFromLog;
    }

    // ---------------------------------------------------------------- helpers

    private Host host(String id) {
        Host h = id == null ? null : hosts.get(id);
        if (h == null) throw NotFoundException.curriculum(id);
        return h;
    }

    private static void alive(Host h) {
        if (h.deleted) throw NotFoundException.curriculum(h.name);
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-128 characters of letters, digits, '.', '_' or '-' starting with a letter or digit, got "
                    + (id == null ? "null" : "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'"));
        }
    }

    /** Checks an id as the store holds it: an {@link #ID}, optionally in a tenant's namespace ({@link #STORED_ID}). */
    public static void checkStoredId(String id) {
        if (id == null || !STORED_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-128 characters of letters, digits, '.', '_' or '-' starting with a letter or digit,"
                    + " optionally after 'tenant~' (a tenant's namespace), got " + (id == null ? "null" : "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'"));
        }
    }

    /** The name of an event kind's idempotency key in the API. */
    private static String keyField(byte kind) {
        return EventCodec.isReport(kind) ? "batchId" : "requestId";
    }

    private static void checkKey(byte kind, String key) {
        String field = keyField(kind);
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException(field + " must be 1-" + MAX_KEY + " characters, got " + key.length());
        }
        io.proxima.core.Unicode.require(key, field); // stored as UTF-8: a retry must find it as sent
    }

    @Override
    public void close() {
        resumer.shutdownNow();
        log.close();
        release(lockFile);
    }

    private static void release(java.nio.channels.FileChannel f) {
        if (f == null) return;
        try {
            f.close(); // releases the lock
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}
