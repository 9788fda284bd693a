package io.proxima.core.teacher;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Adaptive hinting after GHPO (Liu et al. 2025, "GHPO: Adaptive Guidance for Stable and Efficient
 * LLM Reinforcement Learning", arXiv:2507.10628) [CODE hkgc-1/GHPO src/ghpo/ghpo_trainer.py].
 * Directive {@code hint_level}: the share of the reference solution to show with the prompt.
 *
 * <pre>
 *   levels      0, 0.25, 0.5, 0.75                  (GHPO retries an all-wrong group with 25 %, 50 %, 75 %)
 *   escalate    a group reported at level h with every reward ≤ 0 → next time h + 0.25 (at most 0.75)
 *   de-escalate a group reported at level h with p̂ ≥ 0.5 → next time h − 0.25 (at least 0)
 *   hinting starts at batch {@code startStep}
 * </pre>
 * The level a report counts for is the {@code hint_level} directive it carries (absent = 0), so
 * a trainer that ignored a hint does not corrupt the state. Outcomes generated with a hint say
 * little about the unaided policy: the curriculum's pass-rate estimate skips them (the per-task
 * estimate is kept for hint level 0 only). One byte a task.
 */
public final class AdaptiveHint implements DirectivePolicy {
    /** Directive name. */
    public static final String KEY = "hint_level";
    /** Step between levels. */
    public static final double STEP = 0.25;

    /**
     * @param maxLevel highest hint share (0.75 [CODE])
     * @param startStep first batch with hints (0 [CODE start_hint_step])
     * @param relaxAt p̂ at or above which the level goes down one step (0.5 [INF])
     */
    public record Params(double maxLevel, long startStep, double relaxAt) {
        public static final Params DEFAULTS = new Params(0.75, 0, 0.5);
    }

    public static final ComponentType<Params, AdaptiveHint> TYPE = ComponentType.of(node -> new Params(
            node.number("maxLevel", Params.DEFAULTS.maxLevel(), 0, 1), node.longValue("startStep", Params.DEFAULTS.startStep()),
            node.number("relaxAt", Params.DEFAULTS.relaxAt(), 0, 1)), AdaptiveHint::new);

    private final Params params;
    private final TeacherContext ctx;
    private final int maxSteps;
    private byte[] level = new byte[0];

    public AdaptiveHint(Params params, TeacherContext ctx) {
        this.params = params;
        this.ctx = ctx;
        this.maxSteps = (int) Math.floor(params.maxLevel() / STEP + 1e-9);
    }

    private void ensure() {
        if (ctx.pool().size() > level.length) level = Arrays.copyOf(level, Math.max(ctx.pool().size(), 2 * level.length));
    }

    /** The hint level the task gets next. */
    public double level(int task) {
        ensure();
        return level[task] * STEP;
    }

    @Override
    public void directives(int task, long step, Map<String, Double> out) {
        ensure();
        if (ctx.groupStats().batches() < params.startStep()) return;
        out.put(KEY, level[task] * STEP);
    }

    @Override
    public void observe(ObservedBatch b) {
        ensure();
        for (int i = 0; i < b.size; i++) {
            if (b.rollouts[i] == 0) continue;
            int t = b.task[i];
            double used = b.directives.get(i).getOrDefault(KEY, 0.0);
            int at = (int) Math.round(used / STEP);
            boolean allWrong = true;
            for (double r : b.rewards[i]) allWrong &= r <= 0;
            if (allWrong) level[t] = (byte) Math.min(maxSteps, at + 1);
            else if (b.passRate[i] >= params.relaxAt()) level[t] = (byte) Math.max(0, at - 1);
            else level[t] = (byte) Math.min(maxSteps, Math.max(0, at));
        }
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }

    @Override
    public long footprintBytes() {
        return level.length;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        ensure();
        int n = ctx.pool().size();
        int[] v = new int[n];
        for (int t = 0; t < n; t++) v[t] = level[t];
        w.writeInts(v, n);
    }

    @Override
    public void readState(SnapshotReader r) {
        ensure();
        int[] v = r.readInts();
        for (int t = 0; t < v.length; t++) level[t] = (byte) v[t];
    }
}
