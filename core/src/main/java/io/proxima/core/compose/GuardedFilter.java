package io.proxima.core.compose;

import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Signal;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A filter whose verdicts pass through a {@link KeepShareGuard}: the subclass says which outcomes
 * it would keep ({@link #verdicts}); the guard lets everything through while too little of the
 * recent outcomes would be kept. The guard is the whole state (snapshots) and the whole view
 * ({@code filter.keptShare}, {@code filter.bypassed}). The filter learns from rewards.
 */
public abstract class GuardedFilter implements OutcomeFilter {
    private final KeepShareGuard guard;

    protected GuardedFilter(double minKeepShare, int guardWindow) {
        this.guard = new KeepShareGuard(minKeepShare, guardWindow);
    }

    /** Sets {@code keep[i]} for every outcome of the batch, before the guard sees them. */
    protected abstract void verdicts(ObservedBatch b, boolean[] keep);

    @Override
    public final boolean judge(ObservedBatch b, boolean[] keep) {
        verdicts(b, keep);
        return guard.apply(keep, b.size);
    }

    @Override
    public Map<String, Double> view() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("filter.keptShare", guard.keptShare());
        m.put("filter.bypassed", guard.bypassed() ? 1.0 : 0.0);
        return m;
    }

    @Override
    public void writeState(SnapshotWriter w) {
        guard.write(w);
    }

    @Override
    public void readState(SnapshotReader r) {
        guard.read(r);
    }

    @Override
    public Set<Signal> consumes() {
        return Set.of(Signal.REWARDS);
    }
}
