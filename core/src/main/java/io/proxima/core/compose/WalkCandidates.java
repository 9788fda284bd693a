package io.proxima.core.compose;

import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;

import java.util.Arrays;

/**
 * The candidates an item policy draws from one group's {@link EpochWalk} for one pick, so that the
 * ones it passes over can go back into the epoch.
 *
 * <p>Why: a policy that looks at k candidates per slot and spends the ones it passes over turns
 * the pool over k times faster for the tasks it likes: those are trained again every 1/k of an
 * epoch. On a learner that memorises what it sees again (shared/algorithms.md, the repetition
 * pitfall; docs/lab.md, neural learners) that is where ODF's and PCL's item policies lost to the
 * walk. Put back, every task is trained once per epoch and the policy only orders the epoch. [INF]
 */
public final class WalkCandidates {
    private int group = -1;
    private int[] task = new int[64];
    private int[] position = new int[64];
    private long[] epoch = new long[64];
    private int size;

    /**
     * Keeps a pick of {@code count} inside the walk's epoch: when fewer than {@code count} tasks
     * of the epoch are left, they all go into the batch first (the epoch's last tasks are taken,
     * not skipped into the next one); returns how many candidates the pick may then look at —
     * no more than the epoch still holds, so its candidates never cross into the next epoch
     * while a task of this one is waiting.
     */
    public int coverEpochEnd(EpochWalk walk, Rng rng, int group, int count, int limit, BatchBuilder batch) {
        int remaining = walk.remainingInEpoch(group);
        if (remaining >= count) return Math.min(limit, remaining);
        int target = batch.size() + count;
        for (int i = 0; i < remaining && batch.size() < target; i++) batch.add(walk.next(group, rng));
        return limit;
    }

    /** Starts a pick in {@code group}. */
    public void start(int group) {
        this.group = group;
        size = 0;
    }

    /** The next task of the group's walk, remembered with its place in the epoch. */
    public int draw(EpochWalk walk, Rng rng) {
        int t = walk.next(group, rng);
        if (t < 0) return t;
        if (size == task.length) {
            task = Arrays.copyOf(task, 2 * size);
            position = Arrays.copyOf(position, 2 * size);
            epoch = Arrays.copyOf(epoch, 2 * size);
        }
        task[size] = t;
        position[size] = walk.lastPosition(group);
        epoch[size++] = walk.epoch(group);
        return t;
    }

    /**
     * Puts every candidate of this pick that the batch does not hold back into the walk, if it was
     * drawn in the walk's current epoch (one drawn before the epoch turned is spent, as before).
     */
    public void putBackUntaken(EpochWalk walk, BatchBuilder batch) {
        long now = walk.epoch(group);
        // Draws of one epoch have increasing positions: going backwards puts them back in decreasing order.
        for (int i = size - 1; i >= 0; i--) {
            if (epoch[i] != now) break;
            if (!batch.contains(task[i])) walk.putBack(group, position[i]);
        }
        size = 0;
    }
}
