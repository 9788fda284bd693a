package io.proxima.server.dashboard;

import io.proxima.core.Curriculum;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.store.Curricula;
import io.proxima.store.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@link History} of each curriculum the dashboard is asked about, brought up to date from the
 * store's log on every read.
 *
 * <p><b>Catching up.</b> A read first applies the events logged since the history's position, in
 * chunks of {@link #CHUNK} (a database reader is held for one chunk at a time). A history is
 * started at the first read: from the curriculum's configuration and the log's first event, so it
 * covers the whole run (after a restart too: the log is the same); or, when the log's start was
 * deleted ({@code --keep-events}), from a snapshot of the live curriculum, the history then starting there.
 *
 * <p><b>Starting over.</b> A history no longer matching the log is dropped and rebuilt: the
 * server calls {@link #forget} when a curriculum is deleted or restored to a checkpoint, and a read
 * also rebuilds when the curriculum has fewer events than the history (restored meanwhile) or
 * another configuration (deleted and created again).
 *
 * <p><b>Memory.</b> Each followed curriculum costs a second copy of its state plus its ring
 * ({@code capacity} steps); at most {@code maxFollowed} are followed, the least recently read is
 * dropped beyond (its history is rebuilt from the log if it is read again).
 */
public final class Histories {
    /** Events applied per log read while catching up. */
    static final int CHUNK = 256;
    /** Steps kept per curriculum by default. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** Curricula followed at once by default. */
    public static final int DEFAULT_MAX_FOLLOWED = 32;

    private final Curricula store;
    private final int capacity;
    private final int maxFollowed;
    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    /** A logical clock of reads, for least-recently-read eviction (no wall clock needed). */
    private final AtomicLong reads = new AtomicLong();

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        History history;
        String configJson;
        volatile long lastRead;
    }

    public Histories(Curricula store, int capacity, int maxFollowed) {
        if (capacity < 1) throw new IllegalArgumentException("history capacity must be >= 1, got " + capacity);
        if (maxFollowed < 1) throw new IllegalArgumentException("curricula followed must be >= 1, got " + maxFollowed);
        this.store = store;
        this.capacity = capacity;
        this.maxFollowed = maxFollowed;
    }

    /**
     * Brings the curriculum's history up to date and runs {@code fn} on it under its lock (a
     * {@link io.proxima.store.NotFoundException} if there is no such curriculum).
     */
    public <T> T read(String id, Function<History, T> fn) {
        Curricula.Info info = store.info(id); // 404 before anything is built
        Holder h = holders.computeIfAbsent(id, k -> new Holder());
        h.lastRead = reads.incrementAndGet();
        h.lock.lock();
        try {
            if (h.history == null || !info.configJson().equals(h.configJson) || info.events() < h.history.seq()) {
                h.history = start(id, info);
                h.configJson = info.configJson();
            }
            catchUp(id, h);
            return fn.apply(h.history);
        } finally {
            h.lock.unlock();
            evict();
        }
    }

    /** Drops the curriculum's history (deleted, or restored to a checkpoint): the next read rebuilds it from the log. */
    public void forget(String id) {
        Holder h = holders.remove(id);
        if (h == null) return;
        h.lock.lock();
        try {
            h.history = null;
        } finally {
            h.lock.unlock();
        }
    }

    /** Curricula followed now (tests). */
    int followed() {
        return holders.size();
    }

    private void catchUp(String id, Holder h) {
        while (true) {
            List<Curricula.LoggedEvent> chunk = new ArrayList<>(CHUNK);
            store.exportLog(id, h.history.seq(), CHUNK, chunk::add);
            if (chunk.isEmpty()) return;
            if (chunk.get(0).seq() != h.history.seq() + 1) {
                // the events the history needs next were deleted (--keep-events): start again from the live state
                h.history = fromLive(id, store.kind(id));
                continue;
            }
            for (Curricula.LoggedEvent e : chunk) h.history.apply(e);
            if (chunk.size() < CHUNK) return;
        }
    }

    /** A history from the curriculum's creation, or from its live state when the log no longer starts at event 1. */
    private History start(String id, Curricula.Info info) {
        long[] first = {-1};
        store.exportLog(id, 0, 1, e -> first[0] = e.seq());
        boolean whole = first[0] == 1 || (first[0] == -1 && info.events() == 0);
        if (!whole) return fromLive(id, info.kind());
        return info.kind() == Kind.CONTINUOUS
                ? new ContinuousHistory(id, ContinuousCurriculum.create(ContinuousConfig.fromJson(info.configJson())), capacity)
                : new DiscreteHistory(id, Curriculum.create(CurriculumConfig.fromStoredJson(info.configJson())), capacity);
    }

    private History fromLive(String id, Kind kind) {
        return kind == Kind.CONTINUOUS
                ? new ContinuousHistory(id, ContinuousCurriculum.restore(store.readContinuous(id, ContinuousCurriculum::snapshot)), capacity)
                : new DiscreteHistory(id, Curriculum.restore(store.read(id, Curriculum::snapshot)), capacity);
    }

    /** Drops the least recently read histories beyond {@link #maxFollowed}. */
    private void evict() {
        while (holders.size() > maxFollowed) {
            Map.Entry<String, Holder> oldest = null;
            for (Map.Entry<String, Holder> e : holders.entrySet()) {
                if (oldest == null || e.getValue().lastRead < oldest.getValue().lastRead) oldest = e;
            }
            if (oldest == null || !holders.remove(oldest.getKey(), oldest.getValue())) return;
        }
    }
}
