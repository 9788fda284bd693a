package io.proxima.core.sample;

/**
 * The curriculum's seeded random generator: xoshiro256** (Blackman and Vigna 2018), seeded
 * through SplitMix64.
 *
 * <p>Why our own: the state must go into snapshots (four longs), and the sequence must be the
 * same on every JVM. {@code java.util.Random} is too weak for shuffles of millions of items and
 * {@code SplittableRandom} / the JDK 17 generators do not expose their state.
 *
 * <p>Transcendental functions come from {@code StrictMath} throughout the core, so a seed gives the
 * same draws and selections on every JVM and CPU.
 *
 * <p>Not thread-safe: a curriculum has a single writer.
 */
public final class Rng {
    private long s0, s1, s2, s3;

    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = ((nextLong() >>> 32) & 0xFFFFFFFFL) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = ((nextLong() >>> 32) & 0xFFFFFFFFL) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal by Box-Muller; no cached second value, so the state is just the four longs. */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape &lt; 1 via the boost u^(1/shape). */
    public double nextGamma(double shape) {
        if (!(shape > 0)) throw new IllegalArgumentException("gamma shape must be > 0, got " + shape);
        if (shape < 1) {
            double u = 1.0 - nextDouble();
            return nextGamma(shape + 1) * StrictMath.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x, v;
            do {
                x = nextGaussian();
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - nextDouble();
            if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) return d * v;
        }
    }

    /** Beta(a, b) as Ga/(Ga+Gb). */
    public double nextBeta(double a, double b) {
        double x = nextGamma(a);
        double y = nextGamma(b);
        return x / (x + y);
    }

    /** The full state, for snapshots. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    public void setState(long[] state) {
        if (state.length != 4) throw new IllegalArgumentException("Rng state has 4 longs, got " + state.length);
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng state must not be all zero");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }
}
