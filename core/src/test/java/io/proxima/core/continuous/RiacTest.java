package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RiacTest {
    private static Riac.Params small(int maxRegion, int minRegion) {
        Riac.Params d = Riac.Params.DEFAULTS;
        return new Riac.Params(maxRegion, maxRegion, d.splitAttempts(), minRegion, d.minDimsRangeRatio(), d.discardRatio(),
                d.mutateShare(), d.randomShare(), d.mutationStd(), d.maxSplitRetries());
    }

    @Test
    void regionAlpByHand() {
        double[] r = {0.1, 0.2, 0.3, 0.9};
        // w = 4, h = 2: |mean(0.1, 0.2) − mean(0.3, 0.9)| = |0.15 − 0.6| = 0.45
        assertThat(Riac.alpOf(r, 0, 4, 4, 4)).isCloseTo(0.45, within(1e-12));
        // window 3: w = 3, h = 1: |mean(0.2, 0.3) − 0.9| = 0.65
        assertThat(Riac.alpOf(r, 0, 4, 4, 3)).isCloseTo(0.65, within(1e-12));
        // m = 5, w = 5, h = 2 on a ring starting at slot 2: rewards in order 0.3, 0.9, 0.1, 0.2 … (cap 5)
        double[] ring = {0.1, 0.2, 0.3, 0.9, 0.5};
        // order: ring[2..4], ring[0..1] = 0.3, 0.9, 0.5, 0.1, 0.2; older = 0.3, 0.9, 0.5 (mean 0.5667), recent = 0.1, 0.2 (0.15)
        assertThat(Riac.alpOf(ring, 2, 5, 5, 5)).isCloseTo(1.7 / 3 - 0.15, within(1e-12));
        assertThat(Riac.alpOf(r, 0, 2, 4, 4)).isZero();
    }

    /**
     * A hand-made region: 1-D box [0, 1], maxRegionSize 20. Eleven "left" tasks in [0, 0.2] whose
     * reward jumps 0 → 1 (region ALP 1), ten "right" tasks in [0.81, 0.99] at a constant 0.5
     * (ALP 0), interleaved. The 21st pair overflows the root; any cut in the gap (0.2, 0.81)
     * separates ALP 1 from ALP 0 (|ΔALP| = 1, the maximum), and 50 attempts find one.
     */
    @Test
    void splitSeparatesTheLearningHalfFromTheFlatHalf() {
        Riac riac = new Riac(small(20, 1), ParameterSpace.cube(1, 0, 1), new Rng(11));
        int left = 0;
        for (int i = 0; i <= 20; i++) {
            if (i % 2 == 0) {
                riac.observe(new double[] {0.01 * i}, left < 6 ? 0.0 : 1.0);
                left++;
            } else {
                riac.observe(new double[] {0.8 + 0.01 * i}, 0.5);
            }
        }
        assertThat(riac.regions()).isEqualTo(3);
        int lo = riac.lowChild(0);
        int hi = riac.highChild(0);
        double cut = riac.regionHigh(lo, 0);
        assertThat(cut).isBetween(0.2, 0.81);
        assertThat(riac.regionLow(hi, 0)).isEqualTo(cut);
        assertThat(riac.regionSize(lo)).isEqualTo(11);
        assertThat(riac.regionSize(hi)).isEqualTo(10);
        // left child: older = first 6 (all 0), recent = last 5 (all 1)
        assertThat(riac.regionAlp(lo)).isCloseTo(1.0, within(1e-12));
        assertThat(riac.regionAlp(hi)).isZero();
        // the root keeps its FIFO (21 pairs) and its own ALP
        assertThat(riac.regionSize(0)).isEqualTo(21);

        // sampling: 70 % goes to a region ∝ ALP; the left child (ALP 1) dominates the right one (0)
        double[] p = new double[1];
        int inLeft = 0;
        for (int i = 0; i < 2000; i++) {
            riac.propose(p);
            assertThat(p[0]).isBetween(0.0, 1.0);
            if (p[0] <= cut) inLeft++;
        }
        assertThat(inLeft / 2000.0).isGreaterThan(0.55);
    }

    @Test
    void identicalPointsNeverHangAndDiscardTheOldest() {
        Riac.Params d = Riac.Params.DEFAULTS;
        Riac.Params p = new Riac.Params(20, 20, 5, 2, d.minDimsRangeRatio(), 0.25, 0.1, 0.2, 0.1, 50);
        Riac riac = new Riac(p, ParameterSpace.cube(2, 0, 1), new Rng(3));
        for (int i = 0; i < 21; i++) riac.observe(new double[] {0.5, 0.5}, i % 2);
        // no cut gives both children >= 2 points: split fails, the oldest ⌊20·0.25⌋ = 5 pairs go
        assertThat(riac.regions()).isEqualTo(1);
        assertThat(riac.regionSize(0)).isEqualTo(16);
    }

    @Test
    void minimumExtentForbidsThinChildren() {
        Riac.Params d = Riac.Params.DEFAULTS;
        // children must span >= 0.45 of the range: only cuts in [0.45, 0.55] are valid
        Riac.Params p = new Riac.Params(20, 20, 200, 1, 0.45, 0.25, 0.1, 0.2, 0.1, 1000);
        Riac riac = new Riac(p, ParameterSpace.cube(1, 0, 1), new Rng(5));
        for (int i = 0; i < 21; i++) riac.observe(new double[] {i / 20.0}, i < 5 ? 1 : 0);
        assertThat(riac.regions()).isEqualTo(3);
        double cut = riac.regionHigh(riac.lowChild(0), 0);
        assertThat(cut).isBetween(0.45, 0.55);
    }

    @Test
    void stateRoundTripsByteForByte() {
        Riac riac = new Riac(small(30, 2), ParameterSpace.cube(2, -1, 1), new Rng(9));
        Rng env = new Rng(1);
        double[] p = new double[2];
        for (int i = 0; i < 500; i++) {
            riac.propose(p);
            riac.observe(p, p[0] > 0 ? env.nextDouble() * i / 500 : 0);
        }
        SnapshotWriter w = new SnapshotWriter();
        riac.writeState(w);
        byte[] bytes = w.toByteArray();
        Riac back = new Riac(small(30, 2), ParameterSpace.cube(2, -1, 1), new Rng(9));
        back.readState(new SnapshotReader(bytes));
        SnapshotWriter w2 = new SnapshotWriter();
        back.writeState(w2);
        assertThat(w2.toByteArray()).isEqualTo(bytes);
        assertThat(back.regions()).isEqualTo(riac.regions()).isGreaterThan(1);
    }
}
