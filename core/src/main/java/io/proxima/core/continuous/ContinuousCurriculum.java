package io.proxima.core.continuous;

import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotFormat;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * One curriculum over a continuous task space: a box of named parameters ({@link ParameterSpace}),
 * a {@link ContinuousTeacher} and their state. The continuous sibling of
 * {@link io.proxima.core.Curriculum}.
 *
 * <pre>{@code
 * ContinuousCurriculum c = ContinuousCurriculum.create(
 *     "{\"space\": {\"dims\": [{\"name\": \"stump_height\", \"low\": 0, \"high\": 3}]}, \"seed\": 7}");
 * for (ParamTask t : c.next(16)) { ... run an episode on t.params() ... }
 * c.report(List.of(ParamOutcome.of(t.id(), episodeReturn), ...));
 * }</pre>
 *
 * <p><b>Determinism.</b> Same configuration + same seed + same sequence of calls ⇒ same state and
 * same proposals. All randomness comes from the curriculum's own {@link Rng}; no clock, no global
 * state. {@link #snapshot()} captures everything, so restoring it and replaying the calls that
 * followed gives the future the curriculum would have had.
 *
 * <p><b>Ids.</b> Each proposed task gets the next id (0, 1, 2, …). The last {@code pendingWindow}
 * proposals are remembered, so a report may name a task by id alone; a report may also name any
 * vector of the box (tasks the curriculum never proposed are fine: deep-RL users evaluate
 * arbitrary tasks). A proposal may be reported several times, or never.
 *
 * <p><b>Validation.</b> {@link #report} checks the whole batch before changing anything; a
 * rejected batch throws {@link IllegalArgumentException} naming {@code outcomes[i]…} and leaves
 * the state byte-identical. Vectors must have the space's dimension, finite coordinates, inside
 * the box up to {@link ParameterSpace#TOLERANCE} of the range (clamped in; farther is an error,
 * not a clip: a task the teacher can never propose is almost certainly a units or ordering bug).
 * Returns must be finite, at least one per outcome; each return is one teacher update, in order,
 * after the optional {@link ContinuousConfig.RewardScale}.
 *
 * <p><b>Snapshot format</b> (big-endian, see {@link SnapshotWriter}):
 * <pre>
 *   int MAGIC 'PRXC' | int VERSION | string canonical config JSON | long config hash
 *   long events | long[4] generator state | long nextId | long batches | long reports
 *   long episodes | double returnSum | double lastMeanReturn
 *   double[] pending proposals, oldest first (min(nextId, pendingWindow) × d)
 *   teacher state | int END
 * </pre>
 * Not thread-safe: a curriculum has a single writer.
 */
public final class ContinuousCurriculum {
    public static final int MAGIC = 0x50525843; // "PRXC"
    public static final int VERSION = 1;
    /** Most returns in one outcome. */
    public static final int MAX_RETURNS = 1 << 16;

    private final ContinuousConfig config;
    private final ParameterSpace space;
    private final int d;
    private final Rng rng;
    private final ContinuousTeacher teacher;
    /**
     * Ring of the last pendingWindow proposals: id i lives at (i mod window)·d. Grows by doubling
     * up to window·d (before the first wrap id i is at i·d, so a copy keeps every slot).
     */
    private double[] pending;
    private final int window;
    private final double[] scratch;
    private long nextId;
    private long batches;
    private long reports;
    private long episodes;
    private double returnSum;
    private double lastMeanReturn = Double.NaN;
    private long events;

    private ContinuousCurriculum(ContinuousConfig config) {
        this.config = config;
        this.space = config.space();
        this.d = space.dims();
        this.rng = new Rng(config.seed());
        this.teacher = config.teacher().create(space, rng);
        this.window = config.pendingWindow();
        this.pending = new double[Math.min(window, 64) * d];
        this.scratch = new double[d];
    }

    public static ContinuousCurriculum create(ContinuousConfig config) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        return new ContinuousCurriculum(config);
    }

    public static ContinuousCurriculum create(String json) {
        return create(ContinuousConfig.fromJson(json));
    }

    public ContinuousConfig config() {
        return config;
    }

    public ParameterSpace space() {
        return space;
    }

    /** Mutating calls applied so far (next and report). */
    public long events() {
        return events;
    }

    /** The teacher, for inspection in tests and the lab. */
    public ContinuousTeacher teacher() {
        return teacher;
    }

    /** Proposes {@code n} tasks (1 ≤ n ≤ pendingWindow), each with a fresh id. */
    public List<ParamTask> next(int n) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (n > window) {
            throw new IllegalArgumentException("n=" + n + " exceeds pendingWindow=" + window + " (proposals remembered for reports by id)");
        }
        ensurePending(nextId + n);
        List<ParamTask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            teacher.propose(scratch);
            long id = nextId++;
            System.arraycopy(scratch, 0, pending, (int) (id % window) * d, d);
            out.add(new ParamTask(id, scratch.clone()));
        }
        batches++;
        events++;
        return out;
    }

    private void ensurePending(long ids) {
        long needed = Math.min(window, ids) * d;
        if (pending.length < needed) {
            long cap = Math.min((long) window * d, Math.max(needed, 2L * pending.length));
            pending = java.util.Arrays.copyOf(pending, (int) cap);
        }
    }

    /** The proposed vector of a remembered id (a copy). */
    public double[] proposal(long id) {
        if (id < 0 || id >= nextId) throw new IllegalArgumentException("task id " + id + " was never proposed (next id is " + nextId + ")");
        if (id < nextId - window) {
            throw new IllegalArgumentException("task id " + id + " is older than the last " + window + " proposals (pendingWindow); report it with its params");
        }
        int off = (int) (id % window) * d;
        double[] p = new double[d];
        System.arraycopy(pending, off, p, 0, d);
        return p;
    }

    /** Applies the outcomes (all or nothing); returns the number of episodes (teacher updates) applied. */
    public int report(List<ParamOutcome> outcomes) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        if (outcomes.isEmpty()) throw new IllegalArgumentException("outcomes must hold at least one outcome");
        int n = outcomes.size();
        double[][] tasks = new double[n][];
        double[][] returns = new double[n][];
        int total = 0;
        for (int i = 0; i < n; i++) {
            ParamOutcome o = outcomes.get(i);
            String at = "outcomes[" + i + "]";
            if (o == null) throw new IllegalArgumentException(at + " is null");
            if (o.taskId() < ParamOutcome.NO_ID) throw new IllegalArgumentException(at + ".taskId must be >= 0 (or absent), got " + o.taskId());
            if (o.taskId() == ParamOutcome.NO_ID && o.params() == null) {
                throw new IllegalArgumentException(at + " names no task: give its taskId or its params");
            }
            if (o.taskId() >= 0) {
                double[] proposed;
                try {
                    proposed = proposal(o.taskId());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + ".taskId: " + e.getMessage());
                }
                tasks[i] = o.params() == null ? proposed : space.checked(o.params(), at + ".params");
            } else {
                tasks[i] = space.checked(o.params(), at + ".params");
            }
            double[] r = o.returns();
            if (r == null || r.length == 0) throw new IllegalArgumentException(at + ".returns must hold at least one return");
            if (r.length > MAX_RETURNS) throw new IllegalArgumentException(at + ".returns holds " + r.length + " values, more than " + MAX_RETURNS);
            for (int k = 0; k < r.length; k++) {
                if (!Double.isFinite(r[k])) throw new IllegalArgumentException(at + ".returns[" + k + "] must be finite, got " + r[k]);
            }
            returns[i] = r.clone();
            total += r.length;
        }
        ContinuousConfig.RewardScale scale = config.rewardScale();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (double r : returns[i]) {
                teacher.observe(tasks[i], scale.apply(r));
                sum += r;
            }
        }
        reports += n;
        episodes += total;
        returnSum += sum;
        lastMeanReturn = sum / total;
        events++;
        return total;
    }

    public ContinuousStats stats() {
        return new ContinuousStats(config.teacher().type(), d, batches, nextId, reports, episodes,
                episodes == 0 ? Double.NaN : returnSum / episodes, lastMeanReturn, teacher.view());
    }

    /** The whole state; see the class comment for the layout. */
    public byte[] snapshot() {
        SnapshotWriter w = new SnapshotWriter();
        SnapshotFormat.writeHeader(w, MAGIC, VERSION, config.canonicalJson(), config.hash());
        w.writeLong(events);
        long[] s = rng.state();
        w.writeLongs(s, s.length);
        w.writeLong(nextId);
        w.writeLong(batches);
        w.writeLong(reports);
        w.writeLong(episodes);
        w.writeDouble(returnSum);
        w.writeDouble(lastMeanReturn);
        long live = Math.min(nextId, window);
        w.writeInt((int) live * d);
        for (long id = nextId - live; id < nextId; id++) {
            int off = (int) (id % window) * d;
            for (int a = 0; a < d; a++) w.writeDouble(pending[off + a]);
        }
        teacher.writeState(w);
        SnapshotFormat.writeEnd(w);
        return w.toByteArray();
    }

    public static ContinuousCurriculum restore(byte[] bytes) {
        if (bytes == null) throw new IllegalArgumentException("snapshot must not be null");
        SnapshotReader r = new SnapshotReader(bytes);
        ContinuousConfig config = SnapshotFormat.readHeader(r, MAGIC, VERSION, "Proxima continuous snapshot", ContinuousConfig::fromJson,
                ContinuousConfig::hash);
        ContinuousCurriculum c = new ContinuousCurriculum(config);
        c.events = r.readLong();
        c.rng.setState(r.readLongs());
        c.nextId = r.readLong();
        c.batches = r.readLong();
        c.reports = r.readLong();
        c.episodes = r.readLong();
        c.returnSum = r.readDouble();
        c.lastMeanReturn = r.readDouble();
        if (c.nextId < 0 || c.batches < 0 || c.reports < 0 || c.episodes < 0) throw new IllegalArgumentException("corrupt snapshot: negative counter");
        long live = Math.min(c.nextId, c.window);
        c.ensurePending(c.nextId);
        int count = r.readInt();
        if (count != live * c.d) throw new IllegalArgumentException("corrupt snapshot: " + count + " pending values, expected " + live * c.d);
        for (long id = c.nextId - live; id < c.nextId; id++) {
            int off = (int) (id % c.window) * c.d;
            for (int a = 0; a < c.d; a++) c.pending[off + a] = r.readDouble();
        }
        c.teacher.readState(r);
        SnapshotFormat.readEnd(r);
        return c;
    }
}
