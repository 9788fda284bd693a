package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.proxima.core.continuous.ContinuousConfigTest.SPACE;
import static io.proxima.core.continuous.ContinuousConfigTest.error;
import static io.proxima.core.continuous.GmmTeachersTest.oneComponent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Recent ALP-GMM: the recent-window ALP and the learned relevance by hand, relevance invariants, configuration. */
class RecentAlpGmmTest {
    static RecentAlpGmm teacher(int fitRate, int alpWindow, boolean relevance, ParameterSpace box) {
        return new RecentAlpGmm(new RecentAlpGmm.Params(fitRate, fitRate, 0.2, alpWindow, relevance, 1, oneComponent()), box, new Rng(1));
    }

    /**
     * x ∈ [0, 10], window of 6 pairs: (0, 0), then five (5, 0.5): ALP 0 (≤ 5 pairs held). (1, 0.9):
     * nearest is x = 0 → ALP 0.9, and x = 0 leaves the window. (0, 0.3): nearest held is x = 1
     * (r = 0.9) → ALP 0.6; ALP-GMM, whose history keeps x = 0 (r = 0), says 0.3.
     */
    @Test
    void alpIsMeasuredAgainstTheRecentWindow() {
        ParameterSpace box = ParameterSpace.cube(1, 0, 10);
        RecentAlpGmm recent = teacher(100, 6, true, box);
        AlpGmm whole = new AlpGmm(new AlpGmm.Params(100, 100, 0.2, 1000, oneComponent()), box, new Rng(1));
        double[][] xs = {{0}, {5}, {5}, {5}, {5}, {5}, {1}, {0}};
        double[] rs = {0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.3};
        double[] recentAlp = {0, 0, 0, 0, 0, 0, 0.9, 0.6};
        double[] wholeAlp = {0, 0, 0, 0, 0, 0, 0.9, 0.3};
        for (int i = 0; i < xs.length; i++) {
            recent.observe(xs[i], rs[i]);
            whole.observe(xs[i], rs[i]);
            assertThat(recent.view().get("lastAlp")).as("episode %d", i).isCloseTo(recentAlp[i], within(1e-12));
            assertThat(whole.view().get("lastAlp")).as("episode %d", i).isCloseTo(wholeAlp[i], within(1e-12));
        }
        assertThat(recent.view()).containsEntry("historySize", 6.0);
    }

    /**
     * 20 rows, B = 5 bins, chance (B−1)/(n−1) = 4/19. Returns: 0 for ten rows at x0 = 0.1, 1 for ten
     * at x0 = 0.9 (mean 0.5, total sum of squares 5). x0: bin means 0 and 1, η² = 5/5 = 1 → 15/19.
     * x1: bin 0 holds eight 0s and two 1s (mean 0.2), bin 4 two 0s and eight 1s (mean 0.8):
     * between = 10·0.09 + 10·0.09 = 1.8, η² = 0.36 → 0.36 − 4/19 = 2.84/19. Scaled: (1, 2.84/15).
     */
    @Test
    void relevanceIsTheChanceCorrectedCorrelationRatioByHand() {
        RecentAlpGmm t = teacher(20, 50, true, ParameterSpace.cube(2, 0, 1));
        assertThat(t.relevance()).containsExactly(1.0, 1.0); // before the first fit
        for (int i = 0; i < 10; i++) t.observe(new double[] {0.1, i < 8 ? 0.1 : 0.9}, 0);
        for (int i = 0; i < 10; i++) t.observe(new double[] {0.9, i < 2 ? 0.1 : 0.9}, 1);
        double[] w = t.relevance();
        assertThat(w[0]).isEqualTo(1.0);
        assertThat(w[1]).isCloseTo(2.84 / 15, within(1e-12));
        assertThat(t.view()).containsEntry("fits", 1.0).containsEntry("relevantDims", 1.0);
        // ALP column: 1 for the first x0 = 0.9 row (nearest (0.1, 0.1)) and for the first (0.9, 0.9)
        // (tie at 0.64 with (0.9, 0.1), the older (0.1, 0.9) wins), 0 elsewhere: mean 2/20
        assertThat(t.mixture().mean(0, 2)).isCloseTo(0.1, within(1e-12));
    }

    /**
     * x0 ∈ [0, 1] decides the return, x1 ∈ [0, 10] does not (every row in x1's bin [8, 10)):
     * relevance (1, 0). A query (0.52, 8.0) with return 0.2 then has the x0 = 0.9 rows (r = 1) as
     * neighbours: ALP 0.8. Without relevance (range-scaled distance), (0.1, 8.0) is nearer
     * (0.1764 &lt; 0.1444 + 0.0361): ALP 0.2.
     */
    @Test
    void irrelevantDimensionsAreIgnoredByTheNeighbourSearch() {
        ParameterSpace box = ParameterSpace.of(java.util.List.of(new ParameterSpace.Dim("a", 0, 1), new ParameterSpace.Dim("b", 0, 10)));
        for (boolean relevance : new boolean[] {true, false}) {
            RecentAlpGmm t = teacher(20, 50, relevance, box);
            for (int i = 0; i < 10; i++) t.observe(new double[] {0.1, 8.0}, 0);
            for (int i = 0; i < 10; i++) t.observe(new double[] {0.9, 9.9}, 1);
            assertThat(t.relevance()).containsExactly(relevance ? new double[] {1, 0} : new double[] {1, 1});
            t.observe(new double[] {0.52, 8.0}, 0.2);
            assertThat(t.view().get("lastAlp")).as("relevance %s", relevance).isCloseTo(relevance ? 0.8 : 0.2, within(1e-12));
        }
    }

    /** Over seeded random windows: weights in [0, 1], the largest exactly 1, order of rows irrelevant, a sole cause found. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void relevanceInvariants(long seed) {
        Rng g = new Rng(seed);
        int d = 1 + g.nextInt(8);
        int n = 10 + g.nextInt(300);
        ParameterSpace box = ParameterSpace.cube(d, -3, 7);
        int cause = g.nextInt(d);
        int mode = g.nextInt(3);
        double[] rows = new double[n * (d + 1)];
        double[] returns = new double[n];
        double[] p = new double[d];
        for (int i = 0; i < n; i++) {
            box.uniform(g, p);
            System.arraycopy(p, 0, rows, i * (d + 1), d);
            returns[i] = switch (mode) {
                case 0 -> g.nextDouble();                                   // noise
                case 1 -> 0.25;                                             // constant
                default -> Math.floor((p[cause] + 3) / 10 * 5) / 4;        // a function of cause's bin only
            };
        }
        double[] w = new double[d];
        RecentAlpGmm.relevanceOf(rows, returns, n, d + 1, box, w);
        double max = 0;
        for (double x : w) {
            assertThat(x).isBetween(0.0, 1.0);
            max = Math.max(max, x);
        }
        assertThat(max).isEqualTo(1.0);
        if (mode == 1) assertThat(w).containsOnly(1.0);
        boolean varied = false;
        for (double r : returns) varied |= r != returns[0];
        if (mode == 2 && varied) assertThat(w[cause]).as("seed %d, d %d, n %d", seed, d, n).isEqualTo(1.0);
        // reversed rows, same weights
        double[] rrows = new double[rows.length];
        double[] rret = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, (n - 1 - i) * (d + 1), rrows, i * (d + 1), d + 1);
            rret[i] = returns[n - 1 - i];
        }
        double[] w2 = new double[d];
        RecentAlpGmm.relevanceOf(rrows, rret, n, d + 1, box, w2);
        for (int a = 0; a < d; a++) assertThat(w2[a]).isCloseTo(w[a], within(1e-9));
    }

    @Test
    void configurationIsReadAndBadValuesNameTheField() {
        ContinuousConfig c = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\"}}");
        assertThat(c.teacher()).isEqualTo(RecentAlpGmm.Params.DEFAULTS);
        assertThat(c.canonicalJson()).contains("\"alpWindow\":200", "\"relevance\":true", "\"alpNeighbours\":11", "\"fitRate\":250", "\"randomTaskRatio\":0.2");
        ContinuousConfig set = ContinuousConfig.fromJson("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpWindow\": 500,"
                + " \"relevance\": false, \"alpNeighbours\": 1, \"fitRate\": 100}}");
        RecentAlpGmm.Params p = (RecentAlpGmm.Params) set.teacher();
        assertThat(p.alpWindow()).isEqualTo(500);
        assertThat(p.relevance()).isFalse();
        assertThat(p.alpNeighbours()).isEqualTo(1);
        assertThat(p.bootstrap()).isEqualTo(100);
        assertThat(ContinuousConfig.fromJson(set.canonicalJson())).isEqualTo(set);
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpWindow\": 5}}").path()).isEqualTo("teacher.alpWindow");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"relevance\": \"yes\"}}").path()).isEqualTo("teacher.relevance");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpNeighbours\": 4}}").path()).isEqualTo("teacher.alpNeighbours");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpNeighbours\": 0}}").path()).isEqualTo("teacher.alpNeighbours");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpWindow\": 10, \"alpNeighbours\": 11}}").path()).isEqualTo("teacher.alpNeighbours");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"randomTaskRatio\": 2}}").path()).isEqualTo("teacher.randomTaskRatio");
        assertThat(error("{" + SPACE + ", \"teacher\": {\"type\": \"recent-alp-gmm\", \"alpMaxSize\": 500}}").getMessage())
                .contains("teacher.alpMaxSize", "alpWindow");
        assertThatThrownBy(() -> new RecentAlpGmm.Params(250, 250, 0.2, 3, true, 1, GaussianMixture.Params.DEFAULTS)).hasMessageContaining("alpWindow");
        assertThatThrownBy(() -> new RecentAlpGmm.Params(250, 100, 0.2, 200, true, 1, GaussianMixture.Params.DEFAULTS)).hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> new RecentAlpGmm.Params(250, 250, 0.2, 200, true, 2, GaussianMixture.Params.DEFAULTS)).hasMessageContaining("alpNeighbours");
    }
}
