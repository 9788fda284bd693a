package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.Selection;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link CurriculumLog} keeps, run through the store that uses it
 * ({@link Curricula#open(CurriculumLog, StoreOptions, Faults)}): a crash mid-stream loses nothing
 * acknowledged and counts no batch twice; keyed requests are applied once, also across a reopen;
 * a recovered curriculum equals one that never stopped (replay = live); a call that fails at any
 * stage changes nothing, and the store writes again once the fault is gone; snapshots bound the
 * replay, checkpoints restore exactly, and a bounded log still recovers; a deleted curriculum's
 * records never reach a new one of the same id. One subclass per implementation says how to open
 * its log at a place ({@link #openLog}); each test uses places of its own.
 *
 * <p>A crash is modelled by {@link Crashable}: from the crash on, nothing more is acknowledged,
 * while what was already submitted may still land (kill -9 between a commit and its answer); the
 * implementation's log is then closed and the same place reopened. A real kill -9 of a process is
 * the server's {@code CrashTest}.
 */
public abstract class CurriculumLogContract {
    /**
     * Opens the log at {@code place} with {@code options}' durability; the same place opened again
     * after a close or a crash holds exactly what was durable there. Places are unique per test.
     */
    protected abstract CurriculumLog openLog(String place, StoreOptions options);

    private final AtomicInteger places = new AtomicInteger();

    /** A place no other test of this instance uses. */
    protected final String newPlace(String test) {
        return test + "-" + places.incrementAndGet();
    }

    private Curricula open(String place, StoreOptions options) {
        return Curricula.open(openLog(place, options), options, Faults.NONE);
    }

    /** The durability the suite runs with (group: a committer thread; {@link Durability#PROCESS}: commits on the submitting threads). */
    protected Durability durability() {
        return Durability.GROUP;
    }

    private StoreOptions options(int snapshotEvery) {
        return StoreOptions.DEFAULTS.withDurability(durability()).withSnapshotEvery(snapshotEvery);
    }

    static List<Trainer.Spec> oneOfEachKind() {
        return Trainer.oneOfEachKind();
    }

    // ---------------------------------------------------------------- replay equals live

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    public void aReopenedCurriculumEqualsOneThatNeverStopped(Trainer.Spec spec) {
        String place = newPlace("replay");
        Trainer trainer = spec.make(11);
        SplittableRandom rnd = new SplittableRandom(5);
        try (Curricula store = open(place, options(4))) {
            trainer.create(store, "a");
            trainer.run(store, "a", 10, 6, rnd, "b");
        }
        try (Curricula store = open(place, options(4))) {
            assertThat(store.ids()).containsExactly("a");
            assertThat(store.kind("a")).isEqualTo(spec.kind());
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            assertThat(store.info("a").events()).isEqualTo(trainer.events());
            trainer.run(store, "a", 4, 6, rnd, "c"); // the same answers as the reference, round by round
        }
        // replay of the whole log, ignoring snapshots, gives the same state as the store holds
        try (Curricula store = open(place, options(1_000_000))) {
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            assertThat(replayOfExport(store, "a")).isEqualTo(trainer.snapshot());
        }
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    public void keyedRequestsAreAppliedOnceAndAnsweredTheSameAlsoAfterReopen() {
        String place = newPlace("keys");
        Outcome o = Outcome.of("t1", 1, 0, 1, 1);
        byte[] report;
        byte[] next;
        Curricula.StepReply step;
        try (Curricula store = open(place, options(3))) {
            store.create("a", Workload.config("sec", 8));
            store.addTasks("a", Workload.tasks("t", 10));
            Curricula.Reply r1 = store.report("a", "b1", List.of(o), Workload::bytes);
            Curricula.Reply r2 = store.report("a", "b1", List.of(o), Workload::bytes);
            assertThat(r1.replayed()).isFalse();
            assertThat(r2.replayed()).isTrue();
            assertThat(r2.body()).isEqualTo(r1.body());
            report = r1.body();
            assertThatThrownBy(() -> store.report("a", "b1", List.of(Outcome.of("t1", 0, 0, 0, 0)), Workload::bytes))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("b1");
            Curricula.Reply n1 = store.next("a", 3, "n1", Workload::bytes);
            next = n1.body();
            assertThat(store.next("a", 3, "n1", Workload::bytes).body()).isEqualTo(next);
            step = store.step("a", "s1", List.of(o), 2, Workload::bytes, Workload::bytes);
            Curricula.StepReply again = store.step("a", "s1", List.of(o), 2, Workload::bytes, Workload::bytes);
            assertThat(again.report().replayed()).isTrue();
            assertThat(again.next().body()).isEqualTo(step.next().body());
            assertThat(store.info("a").events()).isEqualTo(5);
        }
        try (Curricula store = open(place, options(3))) {
            Curricula.Reply r3 = store.report("a", "b1", List.of(o), Workload::bytes);
            assertThat(r3.replayed()).isTrue();
            assertThat(r3.body()).isEqualTo(report);
            assertThat(store.next("a", 3, "n1", Workload::bytes).body()).isEqualTo(next);
            Curricula.StepReply again = store.step("a", "s1", List.of(o), 2, Workload::bytes, Workload::bytes);
            assertThat(again.next().replayed()).isTrue();
            assertThat(again.next().body()).isEqualTo(step.next().body());
            assertThat(store.info("a").events()).isEqualTo(5);
            assertThat(store.stats("a").reports()).isEqualTo(2);
        }
    }

    @Test
    public void concurrentRepeatsOfOneBatchAreCountedOnce() throws Exception {
        try (Curricula store = open(newPlace("repeats"), options(1000))) {
            store.create("a", Workload.config("uniform", 1));
            store.addTasks("a", Workload.tasks("t", 10));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 8; round++) {
                    String batch = "b" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Curricula.Reply>> fs = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                        fs.add(pool.submit(() -> {
                            go.await();
                            return store.report("a", batch, List.of(Outcome.of("t2", 1, 0)), Workload::bytes);
                        }));
                    }
                    go.countDown();
                    int applied = 0;
                    for (Future<Curricula.Reply> f : fs) if (!f.get().replayed()) applied++;
                    assertThat(applied).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.info("a").events()).isEqualTo(9);
            assertThat(store.stats("a").reports()).isEqualTo(8);
        }
    }

    // ---------------------------------------------------------------- crash mid-stream

    @Test
    public void aCrashMidStreamLosesNothingAcknowledgedAndCountsNoBatchTwice() throws Exception {
        String place = newPlace("crash");
        List<String> ids = List.of("c0", "c1", "c2");
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        Map<String, List<Outcome>> inFlight = new ConcurrentHashMap<>(); // the batch a trainer sent and got no answer for
        Map<String, String> inFlightId = new ConcurrentHashMap<>();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int cycle = 0; cycle < 2; cycle++) {
            Crashable log = new Crashable(openLog(place, options(5)));
            Curricula store = Curricula.open(log, options(5), Faults.NONE);
            if (cycle == 0) {
                for (String id : ids) {
                    store.create(id, Workload.config(id.equals("c1") ? "odf" : "sec", id.hashCode()));
                    store.addTasks(id, Workload.tasks("t", 40));
                }
            } else {
                // each trainer retries the batch it got no answer for, with the same id: applied once in all
                for (Map.Entry<String, List<Outcome>> e : inFlight.entrySet()) {
                    store.report(e.getKey(), inFlightId.get(e.getKey()), e.getValue(), Workload::bytes);
                    acked.get(e.getKey()).add(inFlightId.get(e.getKey()));
                }
                inFlight.clear();
                inFlightId.clear();
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger total = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(1);
            List<Thread> trainers = new ArrayList<>();
            int cyc = cycle;
            for (String id : ids) {
                Set<String> mine = acked.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
                Thread t = new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(id.hashCode() * 31L + cyc);
                    for (int i = 0; !stop.get(); i++) {
                        String batch = id + "-" + cyc + "-" + i;
                        try {
                            byte[] sel = store.next(id, 4, batch + "n", s -> encode(s)).body();
                            List<Outcome> o = outcomes(sel, rnd, i);
                            inFlight.put(id, o);
                            inFlightId.put(id, batch);
                            store.report(id, batch, o, Workload::bytes);
                            mine.add(batch);
                            inFlight.remove(id);
                            inFlightId.remove(id);
                            if (total.incrementAndGet() >= 45 * (cyc + 1)) enough.countDown();
                        } catch (RuntimeException e) {
                            if (!log.crashed) unexpected.add(e);
                            return; // the store crashed under this call
                        }
                    }
                }, "trainer-" + id);
                t.start();
                trainers.add(t);
            }
            assertThat(enough.await(120, java.util.concurrent.TimeUnit.SECONDS)).as("trainers made progress").isTrue();
            log.crash(); // nothing is acknowledged from here on
            stop.set(true);
            for (Thread t : trainers) t.join(60_000);
            store.close();
        }
        try (Curricula store = open(place, options(5))) {
            for (String id : ids) {
                // every acknowledged batch is in the log exactly once
                Map<String, Integer> logged = new HashMap<>();
                store.exportLog(id, e -> {
                    if (e.key() != null && EventCodec.isReport((byte) e.kind())) logged.merge(e.key(), 1, Integer::sum);
                });
                for (String b : acked.get(id)) assertThat(logged.get(b)).as(id + " batch " + b).isEqualTo(1);
                assertThat(logged.values()).as(id + ": no batch twice").allMatch(n -> n == 1);
                // and the state is the replay of that log
                assertThat(replayOfExport(store, id)).isEqualTo(Trainer.stored(store, id));
                // an acknowledged batch id is known to the log: reused for other content, it is refused
                String some = acked.get(id).iterator().next();
                long events = store.info(id).events();
                assertThatThrownBy(() -> store.report(id, some, List.of(Outcome.of("t0", 1)), Workload::bytes)).isInstanceOf(ConflictException.class);
                assertThat(store.info(id).events()).isEqualTo(events);
            }
        }
        assertThat(unexpected).as("errors other than the crash").isEmpty();
    }

    // ---------------------------------------------------------------- failed calls

    @ParameterizedTest(name = "fault at {0}")
    @EnumSource(Faults.Stage.class)
    public void aCallThatFailsAtAnyStageChangesNothingAndTheStoreWritesAgain(Faults.Stage stage) {
        String place = newPlace("fault");
        InjectedFaults faults = new InjectedFaults();
        byte[] state;
        long events;
        try (Curricula store = Curricula.open(openLog(place, options(2)), options(2), faults)) {
            store.create("a", Workload.config("sec", 3));
            store.addTasks("a", Workload.tasks("t", 12));
            store.report("a", "r0", List.of(Outcome.of("t1", 1, 0)), Workload::bytes);
            store.checkpoint("a", 1);
            state = store.read("a", Curriculum::snapshot);
            events = store.info("a").events();
            int reached = 0;
            for (String op : List.of("next", "report", "checkpoint")) {
                int before = faults.fired();
                faults.once(stage, op);
                Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> call(store, op, "k-" + op));
                faults.disarm();
                if (faults.fired() == before) { // this stage is not on this call's path: it went through
                    assertThat(thrown).as(op).isNull();
                    state = store.read("a", Curriculum::snapshot);
                    events = store.info("a").events();
                    continue;
                }
                reached++;
                assertThat(thrown).as(op).isInstanceOfAny(InjectedFaults.Fault.class, StoreFailedException.class);
                assertThat(store.read("a", Curriculum::snapshot)).as(op + ": state").isEqualTo(state);
                assertThat(store.info("a").events()).as(op + ": events").isEqualTo(events);
                assertThat(store.checkpoints("a")).as(op + ": checkpoints").hasSize(1);
                if (stage == Faults.Stage.COMMIT) assertThat(store.resume()).as("writes again once the fault is gone").isTrue();
                assertThat(store.failed()).isFalse();
                // the key of the failed call is free: nothing was stored under it
                Object again = call(store, op, "k-" + op);
                if (again instanceof Curricula.Reply r) assertThat(r.replayed()).as(op + " retried").isFalse();
                state = store.read("a", Curriculum::snapshot);
                events = store.info("a").events();
            }
            assertThat(reached).as("calls that reached stage " + stage).isPositive();
        }
        try (Curricula store = open(place, options(2))) {
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(state);
            assertThat(store.info("a").events()).isEqualTo(events);
            assertThat(replayOfExport(store, "a")).isEqualTo(state);
        }
    }

    private static Object call(Curricula store, String op, String key) {
        return switch (op) {
            case "next" -> store.next("a", 3, key, Workload::bytes);
            case "report" -> store.report("a", key, List.of(Outcome.of("t2", 1, 1, 0)), Workload::bytes);
            case "checkpoint" -> store.checkpoint("a", 2);
            default -> throw new IllegalArgumentException(op);
        };
    }

    // ---------------------------------------------------------------- snapshots, checkpoints, deletes

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEachKind")
    public void snapshotsBoundTheReplayAndACheckpointRestoresExactlyAlsoAfterReopen(Trainer.Spec spec) {
        String place = newPlace("snap");
        Trainer trainer = spec.make(21);
        SplittableRandom rnd = new SplittableRandom(9);
        StoreOptions bounded = options(3).withKeepEvents(6);
        byte[] atCheckpoint;
        long eventsAtCheckpoint;
        try (Curricula store = open(place, bounded)) {
            trainer.create(store, "a");
            trainer.run(store, "a", 8, 5, rnd, "b");
            Curricula.Checkpoint cp = store.checkpoint("a", 1200);
            atCheckpoint = trainer.snapshot();
            eventsAtCheckpoint = cp.events();
            trainer.run(store, "a", 20, 5, rnd, "c");
        }
        try (Curricula store = open(place, bounded)) {
            Curricula.Recovered r = store.recovered().get(0);
            assertThat(r.events()).isEqualTo(trainer.events());
            assertThat(r.replayed()).as("a snapshot spared most of the replay").isLessThan(r.events() / 2);
            List<Long> seqs = new ArrayList<>();
            store.exportLog("a", e -> seqs.add(e.seq()));
            assertThat(seqs.get(0)).as("the bounded log forgot its oldest events").isGreaterThan(1L);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(trainer.events());
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            assertThat(store.checkpoints("a")).extracting(Curricula.Checkpoint::step).containsExactly(1200L);
            store.restore("a", 1200);
            assertThat(Trainer.stored(store, "a")).isEqualTo(atCheckpoint);
            assertThat(store.info("a").events()).isEqualTo(eventsAtCheckpoint);
            trainer.restore(atCheckpoint);
            trainer.run(store, "a", 3, 5, rnd, "d"); // batch ids of the discarded log are new again
        }
        try (Curricula store = open(place, bounded)) {
            assertThat(Trainer.stored(store, "a")).isEqualTo(trainer.snapshot());
            trainer.run(store, "a", 2, 5, rnd, "e");
        }
    }

    @Test
    public void aDeletedCurriculumIsGoneAndANewOneOfTheSameIdStartsEmpty() {
        String place = newPlace("delete");
        try (Curricula store = open(place, options(2))) {
            store.create("a", Workload.config("sec", 1));
            store.addTasks("a", Workload.tasks("t", 10));
            for (int i = 0; i < 5; i++) store.report("a", "b" + i, List.of(Outcome.of("t" + i, 1, 0)), Workload::bytes);
            store.create("keep", Workload.config("odf", 2));
            store.delete("a");
            assertThat(store.ids()).containsExactly("keep");
        }
        byte[] fresh;
        try (Curricula store = open(place, options(2))) {
            assertThat(store.ids()).containsExactly("keep");
            store.create("a", Workload.config("sec", 1));
            assertThat(store.info("a").events()).isZero();
            store.addTasks("a", List.of(TaskSpec.of("u0", "g"), TaskSpec.of("u1", "g")));
            // the old incarnation's batch ids mean nothing to the new one
            assertThat(store.report("a", "b0", List.of(Outcome.of("u0", 1)), Workload::bytes).replayed()).isFalse();
            fresh = store.read("a", Curriculum::snapshot);
        }
        try (Curricula store = open(place, options(2))) {
            assertThat(store.ids()).containsExactly("a", "keep");
            assertThat(store.read("a", Curriculum::snapshot)).isEqualTo(fresh);
            assertThat(store.info("a").events()).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The state a curriculum has after replaying its exported log from its configuration. */
    static byte[] replayOfExport(Curricula store, String id) {
        Engine e = Engine.create(store.kind(id), store.info(id).configJson());
        store.exportLog(id, ev -> e.replay(ev.event()));
        return e.snapshot();
    }

    private static byte[] encode(Selection s) {
        StringBuilder b = new StringBuilder();
        for (var t : s.tasks()) b.append(t.taskId()).append(',').append(t.rollouts()).append(';');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Outcomes for a selection encoded by {@link #encode}: deterministic in the seed. */
    private static List<Outcome> outcomes(byte[] selection, SplittableRandom rnd, long step) {
        List<Outcome> out = new ArrayList<>();
        for (String part : new String(selection, StandardCharsets.UTF_8).split(";")) {
            if (part.isEmpty()) continue;
            String[] f = part.split(",");
            double[] r = new double[Integer.parseInt(f[1])];
            for (int k = 0; k < r.length; k++) r[k] = rnd.nextDouble() < 0.5 ? 1 : 0;
            out.add(new Outcome(f[0], r, Outcome.NO_LENGTHS, step, null));
        }
        return out;
    }

    /**
     * A log that can crash: from {@link #crash} on, nothing more is acknowledged — writes still in
     * flight fail (though they may land, as under kill -9 between a commit and its answer), new
     * ones are refused — and the log underneath is closed, so it writes nothing more.
     */
    static final class Crashable implements CurriculumLog {
        private final CurriculumLog log;
        volatile boolean crashed;
        private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

        Crashable(CurriculumLog log) {
            this.log = log;
        }

        void crash() {
            crashed = true;
            for (CompletableFuture<Void> f : pending) f.completeExceptionally(new StoreFailedException("crashed", null));
            log.close();
        }

        private StoreFailedException dead() {
            return new StoreFailedException("the process was killed", null);
        }

        @Override
        public CompletableFuture<Void> submit(List<Write> writes) {
            CompletableFuture<Void> out = new CompletableFuture<>();
            if (crashed) {
                out.completeExceptionally(dead());
                return out;
            }
            pending.add(out);
            log.submit(writes).whenComplete((v, e) -> {
                pending.remove(out);
                if (crashed) out.completeExceptionally(dead());
                else if (e != null) out.completeExceptionally(e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e);
                else out.complete(null);
            });
            if (crashed) out.completeExceptionally(dead()); // a crash between the check and the add
            return out;
        }

        private void alive() {
            if (crashed) throw dead();
        }

        @Override
        public List<Row> curricula() {
            alive();
            return log.curricula();
        }

        @Override
        public boolean exists(long cid) {
            alive();
            return log.exists(cid);
        }

        @Override
        public long maxCid() {
            return log.maxCid();
        }

        @Override
        public List<Long> snapshotSeqs(long cid) {
            alive();
            return log.snapshotSeqs(cid);
        }

        @Override
        public StoredSnapshot snapshot(long cid, long seq) {
            alive();
            return log.snapshot(cid, seq);
        }

        @Override
        public void events(long cid, long afterSeq, long limit, Sink<StoredEvent> sink) {
            alive();
            log.events(cid, afterSeq, limit, sink);
        }

        @Override
        public void keyedEvents(long cid, long afterSeq, Sink<StoredEvent> sink) {
            alive();
            log.keyedEvents(cid, afterSeq, sink);
        }

        @Override
        public StoredEvent event(long cid, long seq) {
            alive();
            return log.event(cid, seq);
        }

        @Override
        public long firstSeq(long cid) {
            alive();
            return log.firstSeq(cid);
        }

        @Override
        public List<StoredCheckpoint> checkpoints(long cid) {
            alive();
            return log.checkpoints(cid);
        }

        @Override
        public byte[] checkpoint(long cid, long step) {
            alive();
            return log.checkpoint(cid, step);
        }

        @Override
        public StoreFailedException failure() {
            return crashed ? dead() : log.failure();
        }

        @Override
        public boolean resume(Runnable guard) {
            return !crashed && log.resume(guard);
        }

        @Override
        public boolean failedCommitsMayHaveLanded() {
            return log.failedCommitsMayHaveLanded();
        }

        @Override
        public long commits() {
            return log.commits();
        }

        @Override
        public long committedOps() {
            return log.committedOps();
        }

        @Override
        public void close() {
            if (!crashed) log.close();
        }
    }
}
