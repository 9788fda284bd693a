package io.proxima.bench;

import io.proxima.core.continuous.AlpGmm;
import io.proxima.core.continuous.AlpHistory;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.GaussianMixture;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.sample.Rng;
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
 * The continuous ALP-GMM teacher at its defaults ({@link AlpGmm.Params#DEFAULTS}: fitRate = fit
 * window = 250 episodes, k ∈ [2, 10] by AIC, 1 EM init, ≤ 100 EM iterations, ALP history of
 * 20 000 pairs), in a box [0, 1]^d with d = 2 and 4 (rows of 3 and 5 columns: the task, then its
 * ALP).
 *
 * <p>Synthetic learner: the return of task p after e episodes is
 * {@code exp(−‖p − c(e)‖² / 0.05) + 0.05·u}, u uniform in [0, 1), where the "competence centre"
 * {@code c(e)} moves along the diagonal of the box (one pass per {@link #PERIOD} episodes): the ALP
 * (|r − r of the nearest earlier task|) is large where the learner is improving and near 0
 * elsewhere, as ALP-GMM expects.
 *
 * <ul>
 *   <li>{@link #refit}: one {@link GaussianMixture#select} on a 250 × (d + 1) [task, ALP] matrix —
 *       the last 250 episodes of {@link #WARM_EPISODES} uniform episodes scored by a real
 *       {@link AlpHistory} — i.e. 9 EM fits (k = 2 … 10) with their k-means seeding; a fresh
 *       {@link Rng}(1) per call, so every call fits the same data the same way. ms per refit.</li>
 *   <li>{@link #report}: a {@link ContinuousCurriculum} with teacher {@code alp-gmm}, warmed with
 *       {@link #WARM_EPISODES} one-episode reports (the ALP history full, 80 fits done); one
 *       invocation = 250 {@code report} calls of one episode each (task drawn uniformly, return from
 *       the learner), exactly one of which triggers the refit. With {@link OperationsPerInvocation}
 *       the figure is µs per one-episode report averaged over a fit period: the refit / 250 plus
 *       the per-episode nearest-neighbour scan of the history (O(20 000 · d)) and validation.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GmmRefitBenchmark {
    /** Episodes before measuring: the ALP history (20 000) full, a multiple of fitRate. */
    static final int WARM_EPISODES = 20_000;
    /** Episodes for the competence centre to cross the box once. */
    static final double PERIOD = 50_000;

    @Param({"2", "4"})
    public int dims;

    private int fitRate;
    private double[] window;
    private GaussianMixture.Params em;
    private ContinuousCurriculum curriculum;
    private Rng learner;
    private long episode;

    /** The learner's return on task p at episode e. */
    double reward(double[] p, long e) {
        double c = (e % (long) PERIOD) / PERIOD;
        double d2 = 0;
        for (double x : p) d2 += (x - c) * (x - c);
        return StrictMath.exp(-d2 / 0.05) + 0.05 * learner.nextDouble();
    }

    @Setup(Level.Trial)
    public void build() {
        AlpGmm.Params defaults = AlpGmm.Params.DEFAULTS;
        fitRate = defaults.fitRate();
        em = defaults.em();
        learner = new Rng(7);
        int width = dims + 1;

        // the [task, ALP] matrix of the last fitRate episodes, scored by a real history
        AlpHistory history = new AlpHistory(dims, defaults.alpMaxSize());
        Rng tasks = new Rng(3);
        window = new double[fitRate * width];
        double[] p = new double[dims];
        for (int e = 0; e < WARM_EPISODES; e++) {
            for (int a = 0; a < dims; a++) p[a] = tasks.nextDouble();
            double alp = history.alpAndAdd(p, reward(p, e));
            int row = (e % fitRate) * width;
            System.arraycopy(p, 0, window, row, dims);
            window[row + dims] = alp;
        }

        ContinuousConfig.Builder b = ContinuousConfig.builder().teacher("alp-gmm").seed(Pools.SEED);
        for (int a = 0; a < dims; a++) b.dim("x" + a, 0, 1);
        curriculum = ContinuousCurriculum.create(b.build());
        for (episode = 0; episode < WARM_EPISODES; ) oneEpisode();
        GaussianMixture g = ((AlpGmm) curriculum.teacher()).mixture();
        System.out.printf("%nd = %d: after %d episodes the mixture has k = %d; the refit matrix fits k = %d%n", dims, episode,
                g.components(), GaussianMixture.select(window, fitRate, width, em, new Rng(1)).components());
    }

    private int oneEpisode() {
        double[] p = new double[dims];
        for (int a = 0; a < dims; a++) p[a] = learner.nextDouble();
        return curriculum.report(List.of(ParamOutcome.at(p, reward(p, episode++))));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public GaussianMixture refit() {
        return GaussianMixture.select(window, fitRate, dims + 1, em, new Rng(1));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(250)
    public int report() {
        int s = 0;
        for (int i = 0; i < fitRate; i++) s += oneEpisode();
        return s;
    }
}
