package io.proxima.core;

import io.proxima.core.compose.BatchBuilder;
import io.proxima.core.compose.MetaTeacher;
import io.proxima.core.compose.Pipeline;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.estimate.GroupProgress;
import io.proxima.core.estimate.GroupStats;
import io.proxima.core.estimate.PassRates;
import io.proxima.core.generate.Generation;
import io.proxima.core.generate.GenerationParams;
import io.proxima.core.generate.GenerationStats;
import io.proxima.core.generate.ParentCredit;
import io.proxima.core.generate.TaskLink;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.ObservedBatch;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.PendingSelections;
import io.proxima.core.outcome.ReportFlag;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Signal;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.recipe.PipelineSpec;
import io.proxima.core.recipe.Recipes;
import io.proxima.core.sample.EpochWalk;
import io.proxima.core.sample.Rng;
import io.proxima.core.snapshot.SnapshotFormat;
import io.proxima.core.snapshot.SnapshotReader;
import io.proxima.core.snapshot.SnapshotWriter;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.Lineage;
import io.proxima.core.space.TaskPool;
import io.proxima.core.space.TaskSpec;
import io.proxima.core.teacher.PrioritizedLevelReplay;
import io.proxima.core.teacher.Teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One curriculum: a task pool, a teacher and their state.
 *
 * <p><b>Determinism.</b> Same configuration + same seed + same sequence of calls ⇒ same state and
 * same selections, on any machine. All randomness comes from the curriculum's own {@link Rng};
 * there is no clock and no global state. {@link #snapshot()} captures everything, so restoring it
 * and replaying the calls that followed gives the future the curriculum would have had.
 *
 * <p><b>Validation.</b> Every mutating call checks its whole input before it changes anything: a
 * rejected call throws {@link IllegalArgumentException} naming the field and value, and leaves the
 * state byte-identical.
 *
 * <p><b>Threads.</b> Not thread-safe: a curriculum has a single writer (the server serializes
 * requests per curriculum).
 *
 * <p>This class only coordinates: the teacher decides, the estimators estimate, the pool stores.
 */
public final class Curriculum {
    private final CurriculumConfig config;
    private final TaskPool pool;
    private final Rng rng;
    private final EpochWalk walk;
    private final GroupStats groupStats = new GroupStats();
    private final PassRates passRates;
    private final GroupProgress groupProgress;
    private final Teacher teacher;
    private final BatchBuilder batch = new BatchBuilder();
    private final PendingSelections pending = new PendingSelections();
    private final Lineage lineage = new Lineage();
    /** Requests for derived tasks; null unless the configuration has a {@code generation} block. */
    private final Generation generation;
    /** Parents credited with their children's progress; null unless generation is configured (with credit > 0). */
    private final ParentCredit credit;
    private long events;
    /** {@link #events} right after the last {@code next}: the state {@link #explain} can read (not snapshotted; -1 = none). */
    private long explainable = -1;

    private Curriculum(CurriculumConfig config, TaskPool pool) {
        this.config = config;
        this.pool = pool;
        this.rng = new Rng(config.seed());
        this.walk = new EpochWalk(pool);
        this.passRates = new PassRates(pool, groupStats, config.passRate());
        this.groupProgress = new GroupProgress(passRates);
        groupStats.ensureGroups(pool.groupCount());
        GenerationParams gp = config.generation();
        this.generation = gp == null ? null : new Generation(gp, pool, passRates, lineage);
        this.credit = gp == null || gp.credit() == 0 ? null : new ParentCredit(gp.credit(), passRates, lineage);
        TeacherContext ctx = new TeacherContext(pool, walk, passRates, groupStats, rng, config.rollouts(), config.advantage(), groupProgress);
        if (config.meta() == null) {
            this.teacher = config.pipelines().get(0).create(ctx);
        } else {
            List<Pipeline> members = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (PipelineSpec spec : config.pipelines()) {
                members.add(spec.create(ctx));
                names.add(spec.recipe());
            }
            this.teacher = new MetaTeacher(config.meta(), ctx, members, names);
        }
    }

    /** A new, empty curriculum. */
    public static Curriculum create(CurriculumConfig config) {
        return new Curriculum(config, new TaskPool(config.featureDim()));
    }

    /** A new curriculum holding {@code tasks}. */
    public static Curriculum create(CurriculumConfig config, List<TaskSpec> tasks) {
        Curriculum c = create(config);
        c.addTasks(tasks);
        return c;
    }

    public CurriculumConfig config() {
        return config;
    }

    /** Tasks in the pool. */
    public int size() {
        return pool.size();
    }

    /** Mutating calls applied so far (the event sequence number). */
    public long events() {
        return events;
    }

    /**
     * Adds tasks (all or nothing). A task may name its {@code parent} (in the pool, or earlier in
     * the same list) and how it derives from it: the link is kept ({@link Lineage}), and a derived
     * task that names no group joins its parent's.
     */
    public void addTasks(List<TaskSpec> tasks) {
        if (tasks == null) throw new IllegalArgumentException("tasks must not be null");
        pool.validate(tasks);
        Lineage.validate(tasks, pool);
        tasks = Lineage.inheritGroups(tasks, pool);
        int first = pool.addValidated(tasks);
        lineage.add(first, tasks, pool);
        passRates.ensureCapacity(pool.size());
        pending.ensureCapacity(pool.size());
        groupStats.ensureGroups(pool.groupCount());
        events++;
    }

    /** Chooses the next {@code n} distinct tasks, each with its rollouts and directives. */
    public Selection next(int n) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (pool.size() == 0) throw new IllegalArgumentException("the pool is empty: add tasks before asking for a batch");
        if (n > pool.size()) {
            throw new IllegalArgumentException("n=" + n + " exceeds the " + pool.size() + " tasks of the pool (a batch holds distinct tasks)");
        }
        long batchIndex = groupStats.batches();
        batch.reset(n);
        int[] rollouts = new int[n];
        teacher.propose(n, batch, rollouts);
        List<SelectedTask> out = new ArrayList<>(n);
        long step = groupStats.learnerStep();
        Map<String, Double> directives = new java.util.TreeMap<>();
        // Ids first, in a loop of independent loads: at 1M+ tasks each is a cache miss, and a tight
        // loop lets the CPU overlap them instead of waiting for one per object built.
        String[] ids = new String[n];
        int[] chosen = batch.raw();
        for (int i = 0; i < n; i++) ids[i] = pool.id(chosen[i]);
        for (int i = 0; i < n; i++) pending.select(chosen[i], rollouts[i]); // independent misses too
        for (int i = 0; i < n; i++) {
            int t = chosen[i];
            int g = batch.group(i);
            groupStats.recordSelection(g >= 0 ? g : pool.group(t));
            directives.clear();
            teacher.directives(t, step, directives);
            out.add(new SelectedTask(ids[i], rollouts[i], directives));
        }
        groupStats.recordBatch();
        List<GenerateRequest> generate = generation == null ? List.of() : generation.requests();
        events++;
        explainable = events;
        return new Selection(batchIndex, out, generate);
    }

    /**
     * Why each task of {@code selection} was chosen, aligned with its tasks: the pieces and the
     * numbers they used (group probability of the draw, the item policy's score, the pass-rate
     * posterior, the rollouts given and the allocator's numbers for them). Reads state only — no randomness, no change — so a
     * curriculum that explains draws exactly what one that does not would. Valid only for the
     * selection just returned by {@link #next}, before any other call: the numbers are read from
     * the state that drew it.
     *
     * @throws IllegalStateException if another call came after {@code selection} was drawn
     */
    public List<TaskExplanation> explain(Selection selection) {
        if (selection == null) throw new IllegalArgumentException("selection must not be null");
        if (events != explainable || selection.batch() != groupStats.batches() - 1) {
            throw new IllegalStateException("batch " + selection.batch() + " can no longer be explained: explain reads the state that drew"
                    + " a selection, so it must come right after that next, before any other call");
        }
        int n = selection.size();
        int[] task = new int[n];
        int[] group = new int[n];
        int[] rollouts = new int[n];
        for (int i = 0; i < n; i++) {
            String id = selection.tasks().get(i).taskId();
            task[i] = pool.find(id);
            if (task[i] < 0) throw new IllegalArgumentException("taskId '" + id + "' is not in the pool");
            group[i] = pool.group(task[i]);
            rollouts[i] = selection.tasks().get(i).rollouts();
        }
        TaskExplanation.Pieces[] pieces = new TaskExplanation.Pieces[n];
        teacher.explain(task, group, rollouts, pieces);
        List<TaskExplanation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int t = task[i];
            SelectedTask s = selection.tasks().get(i);
            out.add(new TaskExplanation(s.taskId(), pool.groupName(group[i]), pieces[i], s.rollouts(),
                    new TaskExplanation.PassRate(passRates.mean(t), passRates.alpha(t), passRates.beta(t), passRates.tries(t))));
        }
        return out;
    }

    /**
     * Applies the learner's outcomes (all or nothing) and returns the filter's advice for each. An
     * outcome that no selection awaited, or whose rewards differ from the rollouts allotted, is
     * flagged in its verdict and counted in {@link #stats()} ({@link PendingSelections} states the
     * rule); with {@code strictReports} such a report is refused whole.
     */
    public ReportResult report(List<Outcome> outcomes) {
        ObservedBatch b = validate(outcomes);
        ReportFlag[] flags = settle(b);
        groupProgress.observe(b); // reads each task's previous pass rate: before the update
        if (credit != null) credit.observe(b); // the same
        passRates.observe(b);
        groupStats.observe(b);
        if (generation != null) generation.observe(b); // reads the updated evidence
        boolean[] keep = new boolean[b.size];
        boolean bypassed = teacher.observe(b, keep);
        List<Verdict> verdicts = new ArrayList<>(b.size);
        int kept = 0;
        for (int i = 0; i < b.size; i++) {
            if (keep[i]) kept++;
            ReportFlag f = flags == null ? null : flags[i];
            verdicts.add(new Verdict(pool.id(b.task[i]), b.passRate[i], b.meanAbsAdvantage[i], b.effective[i], keep[i], f,
                    f == ReportFlag.ROLLOUTS_MISMATCH ? allotted[i] : 0));
        }
        events++;
        return new ReportResult(b.size, kept, b.size - kept, bypassed, verdicts);
    }

    /** Rollouts the settled selection of each outcome of the last {@link #settle} was allotted (for the verdicts). */
    private int[] allotted = new int[0];

    /**
     * Settles one pending selection per outcome; returns the flags (null when none). With
     * {@code strictReports}, a flag undoes every settlement and refuses the report, naming the
     * first flagged outcome: nothing is applied.
     */
    private ReportFlag[] settle(ObservedBatch b) {
        int n = b.size;
        if (allotted.length < n) allotted = new int[n];
        int[] undo = new int[n];
        ReportFlag[] flags = null;
        for (int i = 0; i < n; i++) {
            int t = b.task[i];
            undo[i] = pending.state(t);
            allotted[i] = pending.allotted(t);
            ReportFlag f = pending.settle(t, b.rollouts[i]);
            if (f != null) {
                if (flags == null) flags = new ReportFlag[n];
                flags[i] = f;
            }
        }
        if (flags == null) return null;
        if (config.strictReports()) {
            for (int i = n - 1; i >= 0; i--) pending.setState(b.task[i], undo[i]);
            for (int i = 0; i < n; i++) {
                String id = pool.id(b.task[i]);
                if (flags[i] == ReportFlag.NOT_SELECTED) {
                    throw new IllegalArgumentException(at(i) + ".taskId '" + id + "' has no selection awaiting a report (never selected,"
                            + " or each of its selections was reported already); strictReports refuses the report");
                }
                if (flags[i] == ReportFlag.ROLLOUTS_MISMATCH) {
                    throw new IllegalArgumentException(at(i) + ".rewards holds " + b.rollouts[i] + " rewards, but the selection of '" + id
                            + "' was allotted " + allotted[i] + " rollouts; strictReports refuses the report");
                }
            }
        }
        for (ReportFlag f : flags) pending.count(f);
        return flags;
    }

    private ObservedBatch validate(List<Outcome> outcomes) {
        if (outcomes == null) throw new IllegalArgumentException("outcomes must not be null");
        if (outcomes.isEmpty()) throw new IllegalArgumentException("outcomes must hold at least one outcome");
        int n = outcomes.size();
        int[] task = new int[n];
        int[] group = new int[n];
        double[][] rewards = new double[n][];
        long[] step = new long[n];
        double[] loss = new double[n];
        List<Map<String, Double>> directives = new ArrayList<>(n);
        Set<Signal> consumes = teacher.consumes();
        // The id lookups first, in a loop of their own: each is a chain of cache misses (hash slot,
        // key, its bytes) at a large pool, and a short loop lets the CPU overlap the chains of
        // several outcomes. Errors are still reported in outcome order by the loop below.
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            task[i] = o == null || o.taskId() == null ? -1 : pool.find(o.taskId());
        }
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            if (o == null) throw new IllegalArgumentException(at(i) + " is null");
            if (o.taskId() == null) throw new IllegalArgumentException(at(i) + ".taskId is missing");
            int t = task[i];
            if (t < 0) {
                Unicode.require(o.taskId(), at(i) + ".taskId"); // no pool id is invalid: say what is wrong with it
                throw new IllegalArgumentException(at(i) + ".taskId '" + o.taskId() + "' is not in the pool");
            }
            double[] r = o.rewards();
            if (Double.isInfinite(o.loss())) throw new IllegalArgumentException(at(i) + ".loss must be finite, got " + o.loss());
            if (r.length == 0 && !o.hasLoss()) throw new IllegalArgumentException(at(i) + ".rewards must hold at least one reward (or give a loss)");
            for (Signal need : consumes) {
                boolean has = need == Signal.REWARDS ? r.length > 0 : o.hasLoss();
                if (!has) {
                    throw new IllegalArgumentException(at(i) + "." + need.field + " is missing: the " + config.recipe()
                            + " curriculum learns from " + need.field + (need == Signal.REWARDS ? " (one per rollout)" : ""));
                }
            }
            if (r.length > CurriculumConfig.MAX_ROLLOUTS) {
                throw new IllegalArgumentException(at(i) + ".rewards holds " + r.length + " rewards, more than " + CurriculumConfig.MAX_ROLLOUTS);
            }
            for (int k = 0; k < r.length; k++) {
                if (!Double.isFinite(r[k])) throw new IllegalArgumentException(at(i) + ".rewards[" + k + "] must be finite, got " + r[k]);
            }
            int[] len = o.tokenLengths();
            if (len.length != 0 && len.length != r.length) {
                throw new IllegalArgumentException(at(i) + ".tokenLengths has " + len.length + " values for " + r.length + " rewards");
            }
            for (int k = 0; k < len.length; k++) {
                if (len[k] < 0) throw new IllegalArgumentException(at(i) + ".tokenLengths[" + k + "] must be >= 0, got " + len[k]);
            }
            if (o.step() < -1) throw new IllegalArgumentException(at(i) + ".step must be >= 0 (or absent), got " + o.step());
            rewards[i] = r; // ObservedBatch copies what it keeps; the caller's arrays are not retained
            for (Map.Entry<String, Double> d : o.directives().entrySet()) {
                Unicode.require(d.getKey(), at(i) + ".directives");
                if (d.getValue() == null || !Double.isFinite(d.getValue())) {
                    throw new IllegalArgumentException(at(i) + ".directives." + d.getKey() + " must be a finite number, got " + d.getValue());
                }
            }
            step[i] = o.step();
            loss[i] = o.loss();
            directives.add(o.directives());
        }
        for (int i = 0; i < n; i++) group[i] = pool.group(task[i]); // independent loads: they overlap
        return new ObservedBatch(groupStats.batches(), task, group, rewards, step, config.advantage(), loss, directives);
    }

    /** Where outcome i is, for error messages (built only when one is thrown: report is a hot path). */
    private static String at(int i) {
        return "outcomes[" + i + "]";
    }

    /** Current statistics. */
    public CurriculumStats stats() {
        int g = pool.groupCount();
        double[] probability = new double[g];
        double[] score = new double[g];
        teacher.groupView(probability, score);
        long total = groupStats.totalSelected();
        List<CurriculumStats.Group> rows = new ArrayList<>(g);
        for (int k = 0; k < g; k++) {
            long rep = groupStats.reported(k);
            rows.add(new CurriculumStats.Group(pool.groupName(k), pool.groupSize(k), groupStats.selected(k),
                    total == 0 ? Double.NaN : (double) groupStats.selected(k) / total, rep, groupStats.meanPassRate(k),
                    groupStats.meanAbsAdvantage(k), rep == 0 ? Double.NaN : (double) groupStats.effective(k) / rep,
                    probability[k], score[k], walk.epoch(k), groupStats.meanLoss(k)));
        }
        return new CurriculumStats(config.recipe(), pool.size(), groupStats.batches(), total, groupStats.totalReported(),
                groupStats.totalRollouts(), groupStats.effectiveRatio(), groupStats.lastReportEffectiveRatio(), rows, teacher.view(),
                pending.notSelected(), pending.rolloutsMismatch(), generationStats());
    }

    private GenerationStats generationStats() {
        if (generation == null && !lineage.any()) return null;
        return new GenerationStats(generation != null, generation == null ? 0 : generation.requested(Derivation.SIMPLIFY),
                generation == null ? 0 : generation.requested(Derivation.VARY), generation == null ? 0 : generation.waiting(),
                lineage.linked(), lineage.parents());
    }

    /** A task's place in the lineage of generated tasks: its parent, kind, depth, children, credit, requests made. */
    public TaskLink link(String taskId) {
        int t = pool.find(taskId);
        if (t < 0) throw new IllegalArgumentException("taskId '" + taskId + "' is not in the pool");
        int p = lineage.parent(t);
        return new TaskLink(p < 0 ? null : pool.id(p), lineage.derivation(t), lineage.depth(t), lineage.children(t),
                credit == null ? 0 : credit.credit(t), generation == null ? 0 : generation.asked(t));
    }

    /** Whether any task of the pool has a parent. */
    public boolean hasLinks() {
        return lineage.any();
    }

    /** Estimated pass rate of a task (Beta posterior mean). */
    public double passRate(String taskId) {
        int t = pool.find(taskId);
        if (t < 0) throw new IllegalArgumentException("taskId '" + taskId + "' is not in the pool");
        return passRates.mean(t);
    }

    /** The group of a task ("" when it was added without one). */
    public String group(String taskId) {
        int t = pool.find(taskId);
        if (t < 0) throw new IllegalArgumentException("taskId '" + taskId + "' is not in the pool");
        return pool.groupName(pool.group(t));
    }

    /**
     * How many tasks of the pool have their estimated pass rate (Beta posterior mean) in each of
     * {@code bins} equal bins of [0, 1]: bin k holds [k/bins, (k+1)/bins), the last also 1. One pass
     * over the pass-rate columns, no allocation but the answer (the dashboard's histogram).
     */
    public long[] passRateHistogram(int bins) {
        if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        long[] counts = new long[bins];
        int n = pool.size();
        for (int t = 0; t < n; t++) {
            double m = passRates.mean(t);
            int k = (int) (m * bins);
            counts[k < 0 ? 0 : Math.min(k, bins - 1)]++;
        }
        return counts;
    }

    /**
     * Where the pool sits relative to a pass-rate band [low, high] (ODF's): tasks never reported,
     * and of the others those whose estimated pass rate (Beta posterior mean) is below, inside
     * (bounds included) and above the band. One pass over the pass-rate columns.
     *
     * @return {untried, below, inBand, above}
     */
    public long[] bandCounts(double low, double high) {
        if (!(low <= high)) throw new IllegalArgumentException("low must be <= high, got " + low + " > " + high);
        long[] counts = new long[4];
        int n = pool.size();
        for (int t = 0; t < n; t++) {
            if (passRates.tries(t) == 0) {
                counts[0]++;
                continue;
            }
            double m = passRates.mean(t);
            counts[m < low ? 1 : m <= high ? 2 : 3]++;
        }
        return counts;
    }

    /**
     * Visits the seen tasks of the first pipeline (in configured order; a meta-teacher's members)
     * whose item policy is PLR ({@code plr}, {@code robust-plr}): each task's replay score and
     * staleness ({@link PrioritizedLevelReplay#forEachSeen}). Reads state only.
     *
     * @return false, visiting nothing, when no pipeline replays levels
     */
    public boolean replayScores(PrioritizedLevelReplay.SeenTask visitor) {
        List<Pipeline> pipelines = teacher instanceof MetaTeacher m ? m.members()
                : teacher instanceof Pipeline p ? List.of(p) : List.of();
        for (Pipeline p : pipelines) {
            if (p.itemPolicy() instanceof PrioritizedLevelReplay plr) {
                plr.forEachSeen(visitor);
                return true;
            }
        }
        return false;
    }

    /**
     * Bytes of per-task state: pool columns (ids' strings and features excluded), estimator columns
     * and the teacher's own columns (PLR's trees, pacing's order…).
     */
    public long footprintBytes() {
        return pool.footprintBytes() - 4L * pool.featureDim() * Math.max(0, pool.size()) + passRates.footprintBytes()
                + teacher.footprintBytes() + pending.footprintBytes() + lineage.footprintBytes()
                + (generation == null ? 0 : generation.footprintBytes()) + (credit == null ? 0 : credit.footprintBytes());
    }

    /** The whole state in the versioned format of {@link SnapshotFormat}. */
    public byte[] snapshot() {
        SnapshotWriter w = new SnapshotWriter();
        SnapshotFormat.writeHeader(w, SnapshotFormat.MAGIC, SnapshotFormat.VERSION, config.canonicalJson(), config.hash());
        w.writeLong(events);
        long[] s = rng.state();
        w.writeLongs(s, s.length);
        pool.write(w);
        walk.write(w);
        groupStats.write(w);
        groupProgress.write(w, pool.groupCount());
        passRates.write(w);
        teacher.writeState(w);
        pending.write(w, pool.size());
        lineage.write(w, pool.size());
        if (credit != null) credit.write(w, pool.size());
        if (generation != null) generation.write(w, pool.size());
        SnapshotFormat.writeEnd(w);
        return w.toByteArray();
    }

    /** Rebuilds a curriculum from {@link #snapshot()} bytes, with the standard recipes. */
    public static Curriculum restore(byte[] bytes) {
        return restore(bytes, Recipes.standard());
    }

    public static Curriculum restore(byte[] bytes, Recipes recipes) {
        if (bytes == null) throw new IllegalArgumentException("snapshot must not be null");
        SnapshotReader r = new SnapshotReader(bytes);
        SnapshotFormat.Header<CurriculumConfig> header = SnapshotFormat.readHeader(r, SnapshotFormat.MAGIC, SnapshotFormat.OLDEST_VERSION,
                SnapshotFormat.VERSION, "Proxima snapshot", json -> CurriculumConfig.fromStoredJson(json, recipes), CurriculumConfig::hash);
        CurriculumConfig config = header.config();
        long events = r.readLong();
        long[] rngState = r.readLongs();
        TaskPool pool = TaskPool.read(r);
        Curriculum c = new Curriculum(config, pool);
        c.events = events;
        c.rng.setState(rngState);
        c.walk.read(r);
        c.groupStats.read(r);
        c.groupProgress.read(r);
        c.passRates.read(r);
        c.teacher.readState(r);
        if (header.version() >= 2) c.pending.read(r, pool.size());
        else c.pending.readVersion1(pool.size());
        if (header.version() >= 3) {
            c.lineage.read(r, pool.size());
            if (c.credit != null) c.credit.read(r, pool.size());
            if (c.generation != null) c.generation.read(r, pool.size());
        }
        SnapshotFormat.readEnd(r);
        return c;
    }
}
