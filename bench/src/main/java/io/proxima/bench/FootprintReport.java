package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.space.TaskSpec;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bytes of state per task, two ways, for pools of 1M and 10M tasks per recipe. Target (issue #3):
 * ≤ 64 B/task (the id strings excluded: they are the caller's data and their size is the
 * caller's choice).
 *
 * <ul>
 *   <li>{@code footprint}: {@link Curriculum#footprintBytes()} / size — the columns as the core
 *       accounts for them (capacity, not just size).</li>
 *   <li>{@code retained}: heap in use after a full GC with the curriculum alive, minus the heap in
 *       use with only the id strings alive; so it counts everything the curriculum holds (columns,
 *       id index, group lists, teachers) except the id strings.</li>
 *   <li>{@code ids}: heap the id strings themselves take ({@code "t0"…}, Latin-1 compact strings),
 *       without the {@code String[]} that holds them here.</li>
 * </ul>
 * Not a JMH benchmark: a plain main, JMH-independent. Run with a large heap and a stop-the-world
 * collector so that "after GC" is exact:
 * {@code java -Xmx12g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.proxima.bench.FootprintReport [sizes] [recipes]}
 * (defaults {@code 1000000,10000000} and {@code uniform,odf,sec,pcl}).
 */
public final class FootprintReport {
    private FootprintReport() {}

    public static void main(String[] args) throws InterruptedException {
        String[] sizes = (args.length > 0 ? args[0] : "1000000,10000000").split(",");
        String[] recipes = (args.length > 1 ? args[1] : "uniform,odf,sec,pcl").split(",");
        System.out.printf(Locale.ROOT, "%-8s %10s %16s %16s %12s%n", "recipe", "tasks", "footprint B/task", "retained B/task", "ids B/task");
        for (String s : sizes) {
            int n = Integer.parseInt(s.trim());
            for (String recipe : recipes) measure(recipe.trim(), n);
        }
    }

    private static void measure(String recipe, int n) throws InterruptedException {
        long base = usedAfterGc();
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) ids[i] = Pools.id(i);
        long withIds = usedAfterGc();
        long idArray = 16L + (long) referenceBytes() * n;
        long idBytes = withIds - base - idArray;

        List<TaskSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) specs.add(TaskSpec.of(ids[i], "g" + (i % Pools.GROUPS), Pools.difficulty(i)));
        Curriculum c = Curriculum.create(Pools.config(recipe), specs);
        specs = null;
        Pools.warmUp(c, NextBenchmark.WARM_ROUNDS);
        long withCurriculum = usedAfterGc();
        long retained = withCurriculum - withIds;

        System.out.printf(Locale.ROOT, "%-8s %10d %16.1f %16.1f %12.1f%n", recipe, n,
                (double) c.footprintBytes() / c.size(), (double) retained / c.size(), (double) idBytes / n);
        // Keep both alive until the last measurement.
        if (c.size() != ids.length) throw new AssertionError();
    }

    /** Bytes of one reference: 4 with compressed oops (the default below a 32 GB heap), else 8. */
    private static int referenceBytes() {
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue()) ? 4 : 8;
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
