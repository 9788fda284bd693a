package io.proxima.core.sample;

import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class EpochWalkTest {
    static LongStream seeds() {
        return LongStream.range(0, 50);
    }

    private static TaskPool pool(Rng rng, int groups, int maxSize) {
        TaskPool p = new TaskPool(0);
        List<TaskSpec> specs = new ArrayList<>();
        int id = 0;
        for (int g = 0; g < groups; g++) {
            int n = 1 + rng.nextInt(maxSize);
            for (int i = 0; i < n; i++) specs.add(TaskSpec.of("t" + id++, "g" + g));
        }
        p.addAll(specs);
        return p;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyTaskExactlyOncePerEpoch(long seed) {
        Rng rng = new Rng(seed);
        TaskPool pool = pool(rng, 1 + rng.nextInt(5), 40);
        EpochWalk walk = new EpochWalk(pool);
        for (int g = 0; g < pool.groupCount(); g++) {
            int size = pool.groupSize(g);
            for (int epoch = 0; epoch < 4; epoch++) {
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < size; i++) {
                    assertThat(walk.remainingInEpoch(g)).as("seed %d", seed).isEqualTo(i == 0 && epoch > 0 ? 0 : size - i);
                    int t = walk.next(g, rng);
                    assertThat(pool.group(t)).isEqualTo(g);
                    assertThat(seen.add(t)).as("seed %d: task %d twice in epoch %d", seed, t, epoch).isTrue();
                }
                assertThat(seen).hasSize(size);
                assertThat(walk.epoch(g)).as("seed %d", seed).isEqualTo(epoch);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tasksAddedMidEpochAreVisitedInThatEpoch(long seed) {
        Rng rng = new Rng(seed);
        TaskPool pool = new TaskPool(0);
        List<TaskSpec> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) first.add(TaskSpec.of("a" + i, "g"));
        pool.addAll(first);
        EpochWalk walk = new EpochWalk(pool);
        Set<Integer> seen = new HashSet<>();
        int before = rng.nextInt(11); // 0..10 draws before the addition
        for (int i = 0; i < before; i++) seen.add(walk.next(0, rng));
        List<TaskSpec> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) more.add(TaskSpec.of("b" + i, "g"));
        pool.addAll(more);
        // even after all 10 first tasks (before == 10) the epoch rolls over lazily, at the next draw:
        // the 5 new ones belong to the current epoch
        for (int i = before; i < 15; i++) assertThat(seen.add(walk.next(0, rng))).as("seed %d", seed).isTrue();
        assertThat(seen).hasSize(15);
        assertThat(walk.remainingInEpoch(0)).isZero();
        assertThat(walk.epoch(0)).as("seed %d", seed).isZero();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void stateRoundTripsWithThePool(long seed) {
        Rng rng = new Rng(seed);
        TaskPool pool = pool(rng, 3, 20);
        EpochWalk walk = new EpochWalk(pool);
        for (int i = 0; i < 25; i++) walk.next(rng.nextInt(3), rng);
        SnapshotWriter w = new SnapshotWriter();
        pool.write(w);
        walk.write(w);
        SnapshotReader r = new SnapshotReader(w.toByteArray());
        TaskPool pool2 = TaskPool.read(r);
        EpochWalk walk2 = new EpochWalk(pool2);
        walk2.read(r);
        long[] state = rng.state();
        Rng rng2 = new Rng(0);
        rng2.setState(state);
        for (int i = 0; i < 100; i++) {
            int g = i % 3;
            assertThat(walk2.next(g, rng2)).as("seed %d", seed).isEqualTo(walk.next(g, rng));
            assertThat(walk2.epoch(g)).isEqualTo(walk.epoch(g));
        }
    }
}
