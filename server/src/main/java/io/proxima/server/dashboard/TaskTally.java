package io.proxima.server.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-task counts the dashboard ranks and searches: how often each task was drawn, reported, its
 * rollouts and reward sum. Primitive columns by dense task number (the curriculum's own numbering:
 * order of addition) plus one id map; about 60 bytes per task besides the id strings, which the map
 * shares with nothing else. Not thread-safe (its owner locks).
 */
final class TaskTally {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private int[] group = new int[16];
    private long[] selected = new long[16];
    private long[] reported = new long[16];
    private long[] rollouts = new long[16];
    private double[] rewardSum = new double[16];

    /** One task's counts. {@code meanReward} is NaN before any reward. */
    record Row(String id, int group, long selected, long reported, long rollouts, double meanReward) {}

    /** Adds a task (an id already present keeps its number, as the pool does not take duplicates). */
    int add(String id, int g) {
        Integer known = index.get(id);
        if (known != null) return known;
        int t = ids.size();
        if (t == group.length) grow();
        ids.add(id);
        index.put(id, t);
        group[t] = g;
        return t;
    }

    /** The task's number, or -1. */
    int find(String id) {
        Integer t = index.get(id);
        return t == null ? -1 : t;
    }

    int size() {
        return ids.size();
    }

    int group(int t) {
        return group[t];
    }

    void selected(int t) {
        selected[t]++;
    }

    void reported(int t, double[] rewards) {
        reported[t]++;
        rollouts[t] += rewards.length;
        for (double r : rewards) rewardSum[t] += r;
    }

    Row row(int t) {
        return new Row(ids.get(t), group[t], selected[t], reported[t], rollouts[t], rollouts[t] == 0 ? Double.NaN : rewardSum[t] / rollouts[t]);
    }

    /**
     * The {@code limit} most (or least) selected tasks whose id contains {@code query} (ignoring case;
     * null or empty: all), ties by id; and how many tasks matched in all. A bounded heap: one pass, no sort of the pool.
     */
    Ranked rank(boolean most, String query, int limit) {
        String q = query == null ? "" : query.toLowerCase(Locale.ROOT);
        java.util.Comparator<Integer> order = (a, b) -> {
            int c = Long.compare(selected[a], selected[b]);
            if (!most) c = -c;
            return c != 0 ? c : ids.get(b).compareTo(ids.get(a)); // the heap's head is the worst kept
        };
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(Math.max(1, limit + 1), order);
        int matched = 0;
        for (int t = 0; t < ids.size(); t++) {
            if (!q.isEmpty() && !ids.get(t).toLowerCase(Locale.ROOT).contains(q)) continue;
            matched++;
            heap.add(t);
            if (heap.size() > limit) heap.poll();
        }
        List<Row> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) out.add(row(heap.poll()));
        java.util.Collections.reverse(out);
        return new Ranked(out, matched);
    }

    record Ranked(List<Row> tasks, int matched) {}

    private void grow() {
        int cap = group.length * 2;
        group = Arrays.copyOf(group, cap);
        selected = Arrays.copyOf(selected, cap);
        reported = Arrays.copyOf(reported, cap);
        rollouts = Arrays.copyOf(rollouts, cap);
        rewardSum = Arrays.copyOf(rewardSum, cap);
    }
}
