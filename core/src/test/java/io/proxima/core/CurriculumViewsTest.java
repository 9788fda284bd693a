package io.proxima.core;

import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only views the dashboard uses: the pool's pass-rate histogram and a task's group. */
class CurriculumViewsTest {
    @Test
    void aNewPoolSitsAtThePriorMeanOfOneHalf() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"uniform\", \"seed\": 1}"),
                List.of(TaskSpec.of("a", "g"), TaskSpec.of("b", "g"), TaskSpec.of("c")));
        // Beta(1, 1): mean 0.5, which is the lower edge of bin 1 of 2 and of bin 10 of 20
        assertThat(c.passRateHistogram(2)).containsExactly(0, 3);
        assertThat(c.passRateHistogram(1)).containsExactly(3);
        assertThat(c.passRateHistogram(20)[10]).isEqualTo(3);
        assertThat(c.group("a")).isEqualTo("g");
        assertThat(c.group("c")).isEmpty();
        assertThatThrownBy(() -> c.group("zzz")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zzz");
        assertThatThrownBy(() -> c.passRateHistogram(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bins");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theHistogramCountsEveryTasksEstimateInItsBin(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TaskSpec> tasks = new ArrayList<>();
        int n = 5 + rnd.nextInt(60);
        for (int i = 0; i < n; i++) tasks.add(new TaskSpec("t" + i, "g" + rnd.nextInt(3), rnd.nextBoolean() ? Double.NaN : rnd.nextDouble(), null));
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"odf\", \"seed\": " + seed + ", \"rollouts\": 4}"), tasks);
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (int s = 0; s < 20; s++) {
            List<Outcome> outs = new ArrayList<>();
            for (SelectedTask t : c.next(Math.min(4, n)).tasks()) {
                reported.add(t.taskId());
                double[] r = new double[t.rollouts()];
                for (int k = 0; k < r.length; k++) r[k] = rnd.nextInt(2);
                outs.add(Outcome.of(t.taskId(), r));
            }
            c.report(outs);
        }
        int bins = 1 + rnd.nextInt(30);
        long[] expected = new long[bins];
        for (TaskSpec t : tasks) expected[Math.min(bins - 1, (int) (c.passRate(t.id()) * bins))]++;
        assertThat(c.passRateHistogram(bins)).containsExactly(expected);
        for (TaskSpec t : tasks) assertThat(c.group(t.id())).isEqualTo(t.group());
        // the band: every task counted once, in-band ones by the public estimate
        long[] band = c.bandCounts(0.2, 0.8);
        assertThat(band[0] + band[1] + band[2] + band[3]).isEqualTo(n);
        long in = 0;
        long untried = 0;
        for (TaskSpec t : tasks) {
            if (reported.contains(t.id())) {
                double m = c.passRate(t.id());
                if (m >= 0.2 && m <= 0.8) in++;
            } else {
                untried++;
            }
        }
        assertThat(band[0]).isEqualTo(untried);
        assertThat(band[2]).isEqualTo(in);
    }

    @Test
    void theBandIsCheckedAndANewPoolIsUntried() {
        Curriculum c = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\": \"odf\", \"seed\": 1}"), List.of(TaskSpec.of("a"), TaskSpec.of("b")));
        assertThat(c.bandCounts(0.2, 0.8)).containsExactly(2, 0, 0, 0);
        c.report(List.of(Outcome.of("a", 1, 1, 1, 1, 1, 1, 1, 1)));
        // a is reported: it leaves 'untried' for the bin its estimate falls in
        long[] band = c.bandCounts(0.2, 0.8);
        assertThat(band[0]).isEqualTo(1);
        assertThat(band[3] + band[2]).isEqualTo(1);
        assertThat(c.passRate("a") > 0.8 ? band[3] : band[2]).isEqualTo(1);
        assertThatThrownBy(() -> c.bandCounts(0.9, 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low");
    }
}
