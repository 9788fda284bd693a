package io.proxima.sim.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void aucIsTheTrapezoidAreaOverTheRange() {
        // area = 10·(0 + 0.5)/2 + 10·(0.5 + 0.5)/2 = 2.5 + 5 = 7.5; / 20 = 0.375
        assertThat(Metrics.auc(new long[] {0, 10, 20}, new double[] {0, 0.5, 0.5})).isCloseTo(0.375, within(1e-12));
        // uneven spacing: 30·(0.2 + 0.4)/2 + 10·(0.4 + 0.8)/2 = 9 + 6 = 15; / 40 = 0.375
        assertThat(Metrics.auc(new long[] {0, 30, 40}, new double[] {0.2, 0.4, 0.8})).isCloseTo(0.375, within(1e-12));
        assertThat(Metrics.auc(new long[] {5}, new double[] {0.7})).isEqualTo(0.7);
    }

    @Test
    void rolloutsToTargetIsTheFirstPointThatReachesIt() {
        long[] x = {0, 100, 200, 300};
        double[] y = {0.1, 0.3, 0.6, 0.5};
        assertThat(Metrics.rolloutsToTarget(x, y, 0.6)).isEqualTo(200);
        assertThat(Metrics.rolloutsToTarget(x, y, 0.05)).isEqualTo(0);
        assertThat(Metrics.rolloutsToTarget(x, y, 0.61)).isNaN();
    }

    @Test
    void effectiveRatioCountsGroupsWhoseRewardsDisagree() {
        assertThat(Metrics.effective(new double[] {1, 1, 1, 1}, 4)).isFalse();
        assertThat(Metrics.effective(new double[] {0, 0, 1, 0}, 4)).isTrue();
        assertThat(Metrics.effective(new double[] {0, 0, 1, 0}, 2)).isFalse();
        assertThat(Metrics.effectiveRatio(3, 4)).isEqualTo(0.75);
        assertThat(Metrics.effectiveRatio(0, 0)).isNaN();
    }

    @Test
    void meanAndSampleSdIgnoreNaN() {
        Metrics.MeanSd m = Metrics.meanSd(new double[] {1, 2, 3, Double.NaN});
        assertThat(m.mean()).isEqualTo(2.0);
        assertThat(m.sd()).isEqualTo(1.0); // sqrt(((1)² + 0 + (1)²)/2)
        assertThat(m.n()).isEqualTo(3);
        assertThat(m.format("%.1f")).isEqualTo("2.0 ± 1.0");
        assertThat(Metrics.meanSd(new double[] {Double.NaN}).format("%.1f")).isEqualTo("—");
    }
}
