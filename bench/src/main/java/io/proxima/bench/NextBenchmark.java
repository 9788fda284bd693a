package io.proxima.bench;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Selection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Latency of {@code next(1024)} on pools of 10k, 1M and 10M tasks in 8 groups with prior
 * difficulties (see {@link Pools}). Target (issue #3): &lt; 200 µs at 1M tasks.
 *
 * <p>The curriculum is built once per trial (10M tasks take ~10 s and several GB, hence -Xmx12g)
 * and warmed with {@link #WARM_ROUNDS} next/report rounds; then every invocation is one
 * {@code next(1024)}, which advances the walks, so successive calls see the steady state of a
 * long-running curriculum, not one call repeated on a frozen state.
 *
 * <p>Mode: {@code SampleTime}, so that besides the mean JMH reports the median and the tail of
 * single calls; the median is the figure that other processes on a shared machine disturb least.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class NextBenchmark {
    /** next/report rounds run in the setup before measuring. */
    static final int WARM_ROUNDS = 8;

    @Param({"10000", "1000000", "10000000"})
    public int tasks;

    @Param({"uniform", "odf", "greso", "sec", "pcl"})
    public String recipe;

    private Curriculum curriculum;

    @Setup(Level.Trial)
    public void build() {
        curriculum = Pools.curriculum(recipe, tasks);
        Pools.warmUp(curriculum, WARM_ROUNDS);
    }

    @Benchmark
    public Selection next() {
        return curriculum.next(Pools.BATCH);
    }
}
