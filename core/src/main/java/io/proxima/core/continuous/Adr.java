package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ADR — Automatic Domain Randomization (OpenAI et al., "Solving Rubik's Cube with a Robot Hand",
 * 2019, arXiv:1910.07113, §5), as re-implemented in TeachMyAgent (Romac et al., ICML 2021,
 * arXiv:2103.09815) {@code teachers/algos/adr.py} [CODE]; specification
 * {@code shared/algorithms/alp-gmm-family.md} §5.1.
 *
 * <pre>
 *   state:     a box [lo, hi] ⊂ [low, high], first a single point (lo = hi = initial);
 *              per dimension i two buffers of rewards, D_i^lo and D_i^hi
 *   propose(): x ~ U[lo, hi]                                       (one draw per dimension)
 *              with probability boundaryProbability: i ~ U{0 .. d−1};
 *                  unless lo_i = low_i and hi_i = high_i (both capped): x_i ← lo_i or hi_i, ½ each
 *   observe(x, r), for each i:
 *              if x_i = lo_i: D_i^lo ← D_i^lo + r;  when |D_i^lo| = queueLength:
 *                  mean ≥ highThreshold:  lo_i ← max(lo_i − Δ_i, low_i)       (widen)
 *                  mean ≤ lowThreshold:   lo_i ← min(lo_i + Δ_i, hi_i)        (narrow)
 *                  D_i^lo ← ∅
 *              if x_i = hi_i: the same on D_i^hi, hi_i ← min(hi_i + Δ_i, high_i) / max(hi_i − Δ_i, lo_i)
 *              Δ_i = step · (high_i − low_i)
 * </pre>
 * A collapsed dimension (lo_i = hi_i) feeds both buffers with every episode, so a point grows
 * into an interval. Equality is exact, as in the reference: only proposals put on a boundary
 * (or reports of exactly that value) count. As in the reference, a dimension with only one side
 * capped still picks each side with probability ½ (a capped side's episode then refills its
 * buffer but cannot widen it further).
 *
 * <p>Defaults are TeachMyAgent's benchmark settings; the thresholds are its raw BipedalWalker
 * returns 0 and 180 mapped through the reference reward scale [−150, 350] → [0, 1]: ADR's
 * thresholds are in the units of the reward the teacher sees (after {@code rewardScale}).
 */
public final class Adr implements ContinuousTeacher {
    /**
     * @param boundaryProbability share of proposals with one dimension on a boundary (0.7 TMA benchmark; TMA class and
     *                            OpenAI's p_b 0.5)
     * @param queueLength rewards per boundary buffer before a decision (10 [CODE TMA]; OpenAI's m)
     * @param step boundary move, a share of each dimension's range (0.1: TMA's 0.1 task units on [0, 1] [INF])
     * @param lowThreshold narrow when a full buffer's mean is ≤ this (0.3 = TMA's 0 on [−150, 350] [INF]; OpenAI's t_L)
     * @param highThreshold widen when a full buffer's mean is ≥ this (0.66 = TMA's 180 on [−150, 350] [INF]; OpenAI's t_H)
     * @param initial the starting point (TMA: the expert's easy task); null: a uniform draw (TMA without expert knowledge)
     */
    public record Params(double boundaryProbability, int queueLength, double step, double lowThreshold, double highThreshold,
                         double[] initial) implements ContinuousTeacher.Params {
        public static final Params DEFAULTS = new Params(0.7, 10, 0.1, 0.3, 0.66, null);

        public Params {
            if (!(boundaryProbability >= 0 && boundaryProbability <= 1)) {
                throw new IllegalArgumentException("boundaryProbability must lie in [0, 1], got " + boundaryProbability);
            }
            if (queueLength < 1) throw new IllegalArgumentException("queueLength must be >= 1, got " + queueLength);
            if (!(step > 0 && step <= 1)) throw new IllegalArgumentException("step must lie in (0, 1] (a share of the range), got " + step);
            if (!Double.isFinite(lowThreshold) || !Double.isFinite(highThreshold) || !(lowThreshold < highThreshold)) {
                throw new IllegalArgumentException("lowThreshold must be < highThreshold, both finite, got " + lowThreshold + " and " + highThreshold);
            }
            initial = initial == null ? null : initial.clone();
        }

        /** A copy of the starting point, or null. */
        @Override
        public double[] initial() {
            return initial == null ? null : initial.clone();
        }

        @Override
        public String type() {
            return "adr";
        }

        @Override
        public ContinuousTeacher create(ParameterSpace space, Rng rng) {
            return new Adr(this, space, rng);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Params p && p.boundaryProbability == boundaryProbability && p.queueLength == queueLength && p.step == step
                    && p.lowThreshold == lowThreshold && p.highThreshold == highThreshold && java.util.Arrays.equals(p.initial, initial);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(boundaryProbability, queueLength, step, lowThreshold, highThreshold) * 31
                    + java.util.Arrays.hashCode(initial);
        }
    }

    private final Params params;
    private final ParameterSpace space;
    private final Rng rng;
    private final int d;
    private final double[] lo;
    private final double[] hi;
    /** Buffers per dimension and side: rewards at [i·queueLength, i·queueLength + count); LOW side then HIGH side. */
    private final double[] loBuffer;
    private final double[] hiBuffer;
    private final int[] loCount;
    private final int[] hiCount;
    private long episodes;
    private long widened;
    private long narrowed;

    public Adr(Params params, ParameterSpace space, Rng rng) {
        this.params = params;
        this.space = space;
        this.rng = rng;
        this.d = space.dims();
        this.lo = new double[d];
        if (params.initial() != null) {
            if (params.initial().length != d) {
                throw new IllegalArgumentException("initial has " + params.initial().length + " values, the space has " + d + " dimensions");
            }
            for (int i = 0; i < d; i++) lo[i] = space.checked(i, params.initial()[i], "initial[" + i + "]");
        } else {
            space.uniform(rng, lo);
        }
        this.hi = lo.clone();
        int q = params.queueLength();
        this.loBuffer = new double[d * q];
        this.hiBuffer = new double[d * q];
        this.loCount = new int[d];
        this.hiCount = new int[d];
    }

    /** The current lower bound of dimension i. */
    public double low(int i) {
        return lo[i];
    }

    /** The current upper bound of dimension i. */
    public double high(int i) {
        return hi[i];
    }

    @Override
    public void propose(double[] out) {
        for (int i = 0; i < d; i++) out[i] = lo[i] + rng.nextDouble() * (hi[i] - lo[i]);
        if (rng.nextDouble() < params.boundaryProbability()) {
            int i = rng.nextInt(d);
            boolean capped = lo[i] == space.low(i) && hi[i] == space.high(i);
            if (!capped) out[i] = rng.nextDouble() < 0.5 ? lo[i] : hi[i];
        }
    }

    @Override
    public void observe(double[] task, double reward) {
        episodes++;
        int q = params.queueLength();
        for (int i = 0; i < d; i++) {
            // both tests read the bounds as they were before this dimension's update (the reference's zip)
            boolean atLow = task[i] == lo[i];
            boolean atHigh = task[i] == hi[i];
            double step = params.step() * space.range(i);
            if (atLow) {
                loBuffer[i * q + loCount[i]++] = reward;
                if (loCount[i] == q) {
                    double mean = mean(loBuffer, i * q, q);
                    if (mean >= params.highThreshold()) {
                        lo[i] = Math.max(lo[i] - step, space.low(i));
                        widened++;
                    } else if (mean <= params.lowThreshold()) {
                        lo[i] = Math.min(lo[i] + step, hi[i]);
                        narrowed++;
                    }
                    loCount[i] = 0;
                }
            }
            if (atHigh) {
                hiBuffer[i * q + hiCount[i]++] = reward;
                if (hiCount[i] == q) {
                    double mean = mean(hiBuffer, i * q, q);
                    if (mean >= params.highThreshold()) {
                        hi[i] = Math.min(hi[i] + step, space.high(i));
                        widened++;
                    } else if (mean <= params.lowThreshold()) {
                        hi[i] = Math.max(hi[i] - step, lo[i]);
                        narrowed++;
                    }
                    hiCount[i] = 0;
                }
            }
        }
    }

    private static double mean(double[] a, int from, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += a[from + k];
        return s / n;
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("episodes", (double) episodes);
        m.put("widened", (double) widened);
        m.put("narrowed", (double) narrowed);
        double share = 1;
        for (int i = 0; i < d; i++) share *= (hi[i] - lo[i]) / space.range(i);
        m.put("volumeShare", share);
        for (int i = 0; i < d; i++) {
            m.put("low." + space.name(i), lo[i]);
            m.put("high." + space.name(i), hi[i]);
        }
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        w.writeLong(episodes);
        w.writeLong(widened);
        w.writeLong(narrowed);
        w.writeDoubles(lo, d);
        w.writeDoubles(hi, d);
        w.writeInts(loCount, d);
        w.writeInts(hiCount, d);
        w.writeDoubles(loBuffer, loBuffer.length);
        w.writeDoubles(hiBuffer, hiBuffer.length);
    }

    @Override
    public void readState(SnapshotReader r) {
        episodes = r.readLong();
        widened = r.readLong();
        narrowed = r.readLong();
        copy(r.readDoubles(), lo, "bounds");
        copy(r.readDoubles(), hi, "bounds");
        int[] lc = r.readInts();
        int[] hc = r.readInts();
        if (lc.length != d || hc.length != d) throw new IllegalArgumentException("corrupt snapshot: ADR buffer counts for " + lc.length + " dimensions");
        for (int i = 0; i < d; i++) {
            if (lc[i] < 0 || lc[i] >= params.queueLength() || hc[i] < 0 || hc[i] >= params.queueLength()) {
                throw new IllegalArgumentException("corrupt snapshot: ADR buffer count out of [0, " + params.queueLength() + ")");
            }
            if (!(space.low(i) <= lo[i] && lo[i] <= hi[i] && hi[i] <= space.high(i))) {
                throw new IllegalArgumentException("corrupt snapshot: ADR bounds of dimension " + i + " outside the box");
            }
        }
        System.arraycopy(lc, 0, loCount, 0, d);
        System.arraycopy(hc, 0, hiCount, 0, d);
        copy(r.readDoubles(), loBuffer, "buffers");
        copy(r.readDoubles(), hiBuffer, "buffers");
    }

    private static void copy(double[] from, double[] to, String what) {
        if (from.length != to.length) throw new IllegalArgumentException("corrupt snapshot: ADR " + what + " of " + from.length + " values, expected " + to.length);
        System.arraycopy(from, 0, to, 0, to.length);
    }
}
