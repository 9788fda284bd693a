package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Selection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recipe {@code plr} (Prioritized Level Replay) on pools of 10k and 1M tasks (see {@link Pools}),
 * in the replay regime: the setup reports every task once ({@link Pools#reportAll}), so every
 * group is fully seen and the proportionate schedule replays on every slot (the exploration branch
 * never runs), then runs {@link NextBenchmark#WARM_ROUNDS} next/report rounds.
 *
 * <ul>
 *   <li>{@link #report}: one {@code report} of 1024 outcomes × 8 rollouts per invocation, cycling
 *       through {@link ReportBenchmark#LISTS} reports built from real (replay) selections;
 *       {@code AverageTime} with {@link OperationsPerInvocation}, so the figure is ns per outcome:
 *       the whole report path plus PLR's score update (a treap remove + insert in the task's group,
 *       which the class documents as O(log N)).</li>
 *   <li>{@link #next}: one {@code next(256)} per invocation, {@code SampleTime} in µs (rank draw,
 *       position → task by treap select, staleness by rejection; O(log N) per slot).</li>
 * </ul>
 * Compare 10k with 1M: O(log N) predicts a ratio of log 1M / log 10k ≈ 1.5 per outcome (groups of
 * 1 250 vs 125 000 tasks: log₂ 10.3 vs 16.9 → 1.6); cache misses add to that at 1M.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PlrBenchmark {
    /** Tasks per {@code next} call. */
    static final int NEXT = 256;

    @Param({"10000", "1000000"})
    public int tasks;

    private Curriculum curriculum;
    private List<Outcome>[] reports;
    private int cursor;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void build() {
        curriculum = Pools.curriculum("plr", tasks);
        Pools.reportAll(curriculum, tasks);
        Pools.warmUp(curriculum, NextBenchmark.WARM_ROUNDS);
        reports = new List[ReportBenchmark.LISTS];
        for (int i = 0; i < reports.length; i++) reports[i] = Pools.outcomes(curriculum.next(Pools.BATCH));
        System.out.printf("%nplr %d tasks after the warm-up: %s%n", tasks, curriculum.stats().teacher());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(Pools.BATCH)
    public ReportResult report() {
        List<Outcome> r = reports[cursor];
        cursor = (cursor + 1) % reports.length;
        return curriculum.report(r);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Selection next() {
        return curriculum.next(NEXT);
    }
}
