package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
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
 * Ingestion rate of {@code report}: one invocation reports 1024 outcomes of 8 binary rollouts
 * each; with {@link OperationsPerInvocation} JMH's ops/s is outcomes/s. Target (issue #3):
 * ≥ 1M outcomes/s on one core (the benchmark thread; JIT and GC threads share the second core).
 *
 * <p>The outcome lists are built in the setup from {@link #LISTS} real selections, so their ids
 * are pool tasks and each list holds distinct tasks, as a trainer's report would; invocations
 * cycle through them. Every report changes the estimators, as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ReportBenchmark {
    /** Distinct pre-built reports cycled through. */
    static final int LISTS = 64;

    @Param({"1000000"})
    public int tasks;

    @Param({"uniform", "odf", "greso", "sec", "pcl"})
    public String recipe;

    private Curriculum curriculum;
    private List<Outcome>[] reports;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void build() {
        curriculum = Pools.curriculum(recipe, tasks);
        reports = new List[LISTS];
        for (int i = 0; i < LISTS; i++) reports[i] = Pools.outcomes(curriculum.next(Pools.BATCH));
    }

    @Benchmark
    @OperationsPerInvocation(Pools.BATCH)
    public ReportResult report() {
        List<Outcome> r = reports[next];
        next = (next + 1) % LISTS;
        return curriculum.report(r);
    }
}
