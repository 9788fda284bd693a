package io.proxima.core.compose;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeepShareGuardTest {
    @Test
    void bypassesWhileTheRecentKeptShareIsBelowTheMinimum() {
        KeepShareGuard g = new KeepShareGuard(0.5, 4);
        assertThat(g.keptShare()).isNaN();
        boolean[] keep = {false, false, true};
        // 1 of 3 < .5 → bypass, every verdict overwritten with true
        assertThat(g.apply(keep, 3)).isTrue();
        assertThat(keep).containsOnly(true);
        assertThat(g.keptShare()).isEqualTo(1 / 3.0); // the filter's own verdicts are remembered
        keep = new boolean[] {true};
        // ring [F, F, T, T]: 2/4 = .5, not below → filter applies
        assertThat(g.apply(keep, 1)).isFalse();
        assertThat(keep).containsExactly(true);
        keep = new boolean[] {false, true};
        // window 4 slides: [T, T, F, T] → 3/4
        assertThat(g.apply(keep, 2)).isFalse();
        assertThat(keep).containsExactly(false, true);
        assertThat(g.keptShare()).isEqualTo(0.75);
        keep = new boolean[] {false, false, false};
        // [T, F, F, F] → 1/4 < .5 → bypass
        assertThat(g.apply(keep, 3)).isTrue();
        assertThat(g.bypassed()).isTrue();
        assertThat(keep).containsOnly(true);
    }

    @Test
    void onlyTheFirstNVerdictsAreTouched() {
        KeepShareGuard g = new KeepShareGuard(1.0, 10);
        boolean[] keep = {false, false, false, false};
        assertThat(g.apply(keep, 2)).isTrue();
        assertThat(keep).containsExactly(true, true, false, false);
    }

    @Test
    void roundTripsAndValidates() {
        KeepShareGuard g = new KeepShareGuard(0.3, 5);
        g.apply(new boolean[] {true, false, false, true, false, false, false}, 7);
        SnapshotWriter w = new SnapshotWriter();
        g.write(w);
        KeepShareGuard back = new KeepShareGuard(0.3, 5);
        back.read(new SnapshotReader(w.toByteArray()));
        assertThat(back.keptShare()).isEqualTo(g.keptShare());
        assertThat(back.bypassed()).isEqualTo(g.bypassed());
        boolean[] a = {false, false};
        boolean[] b = {false, false};
        assertThat(back.apply(b, 2)).isEqualTo(g.apply(a, 2));
        assertThat(b).containsExactly(a);
        assertThatThrownBy(() -> new KeepShareGuard(0.3, 6).read(new SnapshotReader(w.toByteArray())))
                .hasMessageContaining("window");
        assertThatThrownBy(() -> new KeepShareGuard(1.5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeepShareGuard(0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
