package io.proxima.bench;

import io.proxima.core.outcome.Selection;
import io.proxima.store.Curricula;
import io.proxima.store.Faults;
import io.proxima.store.StoreOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the rollback of a failed call costs (issue 12): a call that fails after it changed memory
 * rebuilds its curriculum from the log — the newest snapshot restored, the events since replayed —
 * before it answers. Measured here: a report that fails at the apply stage (an injected fault),
 * against a report that succeeds, on pools of several sizes, at several distances from the last
 * snapshot (events since it are replayed). The snapshot alternative (a snapshot taken before
 * every call) is priced by the snapshot time printed beside.
 *
 * <p>Not a JMH benchmark: a plain main over a real store in a temporary directory (SYNC, fsync per
 * commit). {@code java -cp bench/target/benchmarks.jar io.proxima.bench.RollbackCostReport [sizes] [rounds]}
 * (defaults {@code 10000,100000,1000000} and {@code 0,200,1000}: next+report rounds of 64 tasks
 * played after the pool was added, i.e. events to replay).
 */
public final class RollbackCostReport {
    private RollbackCostReport() {}

    /** Fails the next call of one operation at one stage, once. */
    private static final class Once implements Faults {
        volatile String op;

        @Override
        public void check(Stage stage, String curriculum, String operation) {
            if (stage == Stage.APPLY && operation.equals(op)) {
                op = null;
                throw new IllegalStateException("injected");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String[] sizes = (args.length > 0 ? args[0] : "10000,100000,1000000").split(",");
        String[] rounds = (args.length > 1 ? args[1] : "0,200,1000").split(",");
        System.out.printf(Locale.ROOT, "%10s %8s %14s %14s %14s %14s%n", "tasks", "replay", "report ms", "failed ms", "snapshot ms", "snapshot MB");
        for (String s : sizes) {
            for (String r : rounds) measure(Integer.parseInt(s.trim()), Integer.parseInt(r.trim()));
        }
    }

    private static void measure(int n, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("proxima-rollback");
        Once faults = new Once();
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS.withSnapshotEvery(1), Faults.NONE)) {
            store.create("c", Pools.config("sec"));
            store.addTasks("c", Pools.tasks(n)); // a snapshot with it
        }
        // then no snapshot: the rollback restores that one and replays the rounds played since
        StoreOptions opts = StoreOptions.DEFAULTS.withSnapshotEvery(Integer.MAX_VALUE);
        try (Curricula store = Curricula.open(dir, opts, faults)) {
            Selection[] last = new Selection[1];
            for (int i = 0; i < rounds; i++) round(store, last);
            double[] ok = new double[5];
            for (int k = 0; k < ok.length; k++) {
                store.next("c", 64, null, x -> {
                    last[0] = x;
                    return new byte[0];
                });
                long t0 = System.nanoTime();
                store.report("c", null, Pools.outcomes(last[0]), x -> new byte[0]);
                ok[k] = (System.nanoTime() - t0) / 1e6;
            }
            store.next("c", 64, null, x -> {
                last[0] = x;
                return new byte[0];
            });
            faults.op = "report";
            long t0 = System.nanoTime();
            try {
                store.report("c", null, Pools.outcomes(last[0]), x -> new byte[0]);
                throw new AssertionError("the fault did not fire");
            } catch (IllegalStateException expected) {
                // rolled back
            }
            double failed = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            byte[] snap = store.read("c", io.proxima.core.Curriculum::snapshot);
            double snapMs = (System.nanoTime() - t0) / 1e6;
            Arrays.sort(ok);
            System.out.printf(Locale.ROOT, "%10d %8d %14.2f %14.1f %14.1f %14.1f%n", n, 2L * rounds + 10, ok[ok.length / 2], failed, snapMs,
                    snap.length / 1e6);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void round(Curricula store, Selection[] last) {
        store.next("c", 64, null, x -> {
            last[0] = x;
            return "".getBytes(StandardCharsets.UTF_8);
        });
        store.report("c", null, Pools.outcomes(last[0]), x -> new byte[0]);
    }
}
