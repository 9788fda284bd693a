package io.proxima.server.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.proxima.core.Curriculum;
import io.proxima.core.CurriculumStats;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.Curricula;
import io.proxima.store.Event;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link History} of a discrete curriculum. Per report it records a {@link StepRow}: the
 * groups' share of the tasks drawn since the previous report, the group policy's probabilities and
 * scores, mean |advantage| per group, the effective ratio, rollouts, the teacher's numbers, and
 * every {@link #histogramEvery} steps the pool's pass-rate histogram (and ODF's band occupancy, PLR's
 * score and staleness quantiles, with it). It also keeps per-task counts
 * ({@link TaskTally}) and the last {@link #BATCHES} batches with the numbers each task was drawn at.
 */
final class DiscreteHistory implements History {
    /** Bins of the pass-rate histogram over [0, 1]. */
    static final int BINS = 20;
    /** Batches kept for "latest batches". */
    static final int BATCHES = 8;
    /** Task reads a histogram may cost per step on average: a pool of P tasks is sampled every ceil(P / this) steps. */
    static final int HISTOGRAM_TASKS_PER_STEP = 20_000;

    private final String id;
    private final Curriculum shadow;
    private final long from;
    private final HistoryRing<StepRow> ring;
    private final TaskTally tasks = new TaskTally();
    /** Group names by number, in the pool's order (first appearance). */
    private final List<String> groups = new ArrayList<>();
    private final Map<String, Integer> groupIds = new HashMap<>();
    /** Tasks drawn per group since the last report. */
    private int[] pending = new int[0];
    private long steps;
    private final ArrayDeque<BatchRow> batches = new ArrayDeque<>();
    /** The difficulty band of the first pipeline that has one (ODF's item policy), or null. */
    private final io.proxima.core.teacher.DifficultyBand.Params band;
    /** The first pipeline whose item policy is PLR (the one {@link Curriculum#replayScores} reads), or null. */
    private final io.proxima.core.recipe.PipelineSpec replaySpec;
    /** Reads PLR's scores (null without PLR). */
    private final ReplayDistribution.Reader replay;

    /** One task of a recent batch and why it was drawn ({@link Curriculum#explain}: the draw's group probability, the pieces, their numbers). */
    record BatchTask(String id, String group, int rollouts, Map<String, Double> directives, TaskExplanation why) {}

    /** A recent batch: its event, its batch number, the reports before it. */
    record BatchRow(long seq, long batch, long afterStep, List<BatchTask> tasks) {}

    DiscreteHistory(String id, Curriculum shadow, int capacity) {
        this.id = id;
        this.shadow = shadow;
        this.from = shadow.events();
        this.ring = new HistoryRing<>(capacity);
        io.proxima.core.teacher.DifficultyBand.Params b = null;
        for (io.proxima.core.recipe.PipelineSpec p : shadow.config().pipelines()) {
            if (b == null && p.itemPolicy().params() instanceof io.proxima.core.teacher.DifficultyBand.Params d) b = d;
        }
        this.band = b;
        io.proxima.core.recipe.PipelineSpec r = null;
        for (io.proxima.core.recipe.PipelineSpec p : shadow.config().pipelines()) {
            if (r == null && p.itemPolicy().params() instanceof io.proxima.core.teacher.PrioritizedLevelReplay.Params) r = p;
        }
        this.replaySpec = r;
        this.replay = r == null ? null : new ReplayDistribution.Reader(BINS);
        syncGroups();
    }

    @Override
    public long seq() {
        return shadow.events();
    }

    @Override
    public long from() {
        return from;
    }

    Curriculum shadow() {
        return shadow;
    }

    @Override
    public void apply(Curricula.LoggedEvent e) {
        if (e.seq() != shadow.events() + 1) {
            throw new IllegalStateException("history of '" + id + "' is at event " + shadow.events() + ", got event " + e.seq());
        }
        if (e.event() instanceof Event.AddTasks a) {
            shadow.addTasks(a.tasks());
            syncGroups();
            for (TaskSpec t : a.tasks()) tasks.add(t.id(), groupIds.get(t.group()));
        } else if (e.event() instanceof Event.Next n) {
            next(e.seq(), n.n());
        } else if (e.event() instanceof Event.Report r) {
            report(e.seq(), r.outcomes());
        } else {
            throw new IllegalStateException("curriculum '" + id + "' is discrete; its log holds a " + e.event().getClass().getSimpleName());
        }
    }

    private void next(long seq, int n) {
        Selection s = shadow.next(n);
        // explained right after the draw, as the next route does: explaining only reads, so the replay stays exact
        List<TaskExplanation> why = shadow.explain(s);
        List<BatchTask> row = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            SelectedTask t = s.tasks().get(i);
            int k = task(t.taskId());
            int g = tasks.group(k);
            tasks.selected(k);
            pending[g]++;
            row.add(new BatchTask(t.taskId(), groups.get(g), t.rollouts(), t.directives(), why.get(i)));
        }
        batches.addLast(new BatchRow(seq, s.batch(), steps, row));
        if (batches.size() > BATCHES) batches.removeFirst();
    }

    private void report(long seq, List<Outcome> outcomes) {
        ReportResult r = shadow.report(outcomes);
        steps++;
        CurriculumStats s = shadow.stats();
        int g = groups.size();
        double[] absSum = new double[g];
        int[] absCount = new int[g];
        long rollouts = 0;
        long learnerStep = -1;
        double passSum = 0;
        int passCount = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            Verdict v = r.verdicts().get(i);
            int k = task(o.taskId());
            tasks.reported(k, o.rewards());
            rollouts += o.rewards().length;
            learnerStep = Math.max(learnerStep, o.step());
            if (Double.isFinite(v.meanAbsAdvantage())) {
                absSum[tasks.group(k)] += v.meanAbsAdvantage();
                absCount[tasks.group(k)]++;
            }
            if (Double.isFinite(v.passRate())) {
                passSum += v.passRate();
                passCount++;
            }
        }
        double[] abs = new double[g];
        double[] probability = new double[g];
        double[] score = new double[g];
        for (int k = 0; k < g; k++) {
            abs[k] = absCount[k] == 0 ? Double.NaN : absSum[k] / absCount[k];
            probability[k] = s.groups().get(k).probability();
            score[k] = s.groups().get(k).score();
        }
        long every = histogramEvery();
        boolean sample = steps % every == 0;
        long[] histogram = sample ? shadow.passRateHistogram(BINS) : null;
        long[] occupancy = sample && band != null ? shadow.bandCounts(band.low(), band.high()) : null;
        double[] replayed = sample && replay != null ? replay.read(shadow).summary() : null;
        ring.add(new StepRow(steps, seq, learnerStep, outcomes.size(), rollouts, s.rollouts(), s.lastEffectiveRatio(),
                passCount == 0 ? Double.NaN : passSum / passCount, pending.clone(), probability, score, abs, histogram, occupancy,
                replayed, Map.copyOf(s.teacher())));
        Arrays.fill(pending, 0);
    }

    /** Steps between two sampled histograms: 1 up to {@link #HISTOGRAM_TASKS_PER_STEP} tasks, more for larger pools. */
    long histogramEvery() {
        return Math.max(1, (shadow.size() + HISTOGRAM_TASKS_PER_STEP - 1) / HISTOGRAM_TASKS_PER_STEP);
    }

    /** The tally's number of a task, adding a task seen first here (a history started from a snapshot). */
    private int task(String taskId) {
        int k = tasks.find(taskId);
        return k >= 0 ? k : tasks.add(taskId, groupIds.get(shadow.group(taskId)));
    }

    private void syncGroups() {
        List<CurriculumStats.Group> gs = shadow.stats().groups();
        for (int k = groups.size(); k < gs.size(); k++) {
            groups.add(gs.get(k).name());
            groupIds.put(gs.get(k).name(), k);
        }
        if (pending.length < groups.size()) pending = Arrays.copyOf(pending, groups.size());
    }

    // ------------------------------------------------------------------ reading

    TaskTally.Ranked rank(boolean most, String query, int limit) {
        return tasks.rank(most, query, limit);
    }

    /** A tally row with the group's name and the shadow's pass-rate estimate. */
    void writeTask(JsonGenerator g, TaskTally.Row t) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", t.id());
        g.writeStringField("group", groups.get(t.group()));
        g.writeNumberField("selected", t.selected());
        g.writeNumberField("reported", t.reported());
        g.writeNumberField("rollouts", t.rollouts());
        Json.num(g, "meanReward", t.meanReward());
        Json.num(g, "passRate", shadow.passRate(t.id()));
        if (shadow.hasLinks()) { // absent in a pool without generated tasks: such rows are as before
            io.proxima.core.generate.TaskLink link = shadow.link(t.id());
            if (link.parent() != null) {
                g.writeStringField("parent", link.parent());
                g.writeStringField("kind", link.kind().key());
            }
            if (link.children() > 0) g.writeNumberField("children", link.children());
        }
        g.writeEndObject();
    }

    @Override
    public void writeJson(JsonGenerator g, int last) throws IOException {
        List<StepRow> rows = ring.newest(last);
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("kind", "discrete");
        g.writeStringField("recipe", shadow.config().recipe());
        g.writeNumberField("seq", seq());
        g.writeNumberField("from", from);
        g.writeNumberField("steps", steps);
        g.writeNumberField("capacity", ring.capacity());
        g.writeNumberField("dropped", ring.dropped());
        g.writeArrayFieldStart("groups");
        for (String name : groups) g.writeString(name);
        g.writeEndArray();
        writePipelines(g);

        g.writeObjectFieldStart("series");
        column(g, "step", rows, r -> r.step());
        column(g, "seq", rows, r -> r.seq());
        column(g, "learnerStep", rows, r -> r.learnerStep());
        column(g, "outcomes", rows, r -> r.outcomes());
        column(g, "rollouts", rows, r -> r.rollouts());
        column(g, "rolloutsTotal", rows, r -> r.rolloutsTotal());
        doubles(g, "effectiveRatio", rows, r -> r.effectiveRatio());
        doubles(g, "meanPassRate", rows, r -> r.meanPassRate());
        g.writeEndObject();

        g.writeObjectFieldStart("groupSeries");
        perGroup(g, "share", rows, StepRow::share);
        perGroup(g, "probability", rows, (r, k) -> StepRow.at(r.probability(), k));
        perGroup(g, "score", rows, (r, k) -> StepRow.at(r.score(), k));
        perGroup(g, "meanAbsAdvantage", rows, (r, k) -> StepRow.at(r.meanAbsAdvantage(), k));
        g.writeEndObject();

        g.writeObjectFieldStart("teacherSeries");
        for (String name : teacherNames(rows)) doubles(g, name, rows, r -> r.teacher().getOrDefault(name, Double.NaN));
        g.writeEndObject();

        g.writeObjectFieldStart("passRateHistograms");
        g.writeNumberField("bins", BINS);
        g.writeNumberField("every", histogramEvery());
        g.writeArrayFieldStart("rows");
        for (StepRow r : rows) {
            if (r.passRateHistogram() == null) continue;
            g.writeStartObject();
            g.writeNumberField("step", r.step());
            Json.longs(g, "counts", r.passRateHistogram());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();

        if (band != null) {
            g.writeObjectFieldStart("band");
            g.writeNumberField("low", band.low());
            g.writeNumberField("high", band.high());
            String[] names = {"untried", "below", "inBand", "above"};
            for (int k = 0; k < names.length; k++) {
                g.writeArrayFieldStart(names[k]);
                for (StepRow r : rows) {
                    if (r.band() == null) g.writeNull();
                    else g.writeNumber(r.band()[k]);
                }
                g.writeEndArray();
            }
            Json.longs(g, "now", shadow.bandCounts(band.low(), band.high()));
            g.writeEndObject();
        }
        if (replay != null) writeReplay(g, rows);

        writeNow(g);

        g.writeArrayFieldStart("latestBatches");
        List<BatchRow> bs = new ArrayList<>(batches);
        for (int i = bs.size() - 1; i >= 0; i--) {
            BatchRow b = bs.get(i);
            g.writeStartObject();
            g.writeNumberField("seq", b.seq());
            g.writeNumberField("batch", b.batch());
            g.writeNumberField("afterStep", b.afterStep());
            g.writeArrayFieldStart("tasks");
            for (BatchTask t : b.tasks()) {
                g.writeStartObject();
                g.writeStringField("id", t.id());
                g.writeStringField("group", t.group());
                g.writeNumberField("rollouts", t.rollouts());
                TaskExplanation.Pieces p = t.why().pieces();
                Json.num(g, "groupProbability", p.groupProbability());
                Json.num(g, "passRate", t.why().passRate().mean());
                Json.numbers(g, "directives", t.directives());
                g.writeStringField("pipeline", p.pipeline());
                if (!Double.isNaN(p.memberProbability())) Json.num(g, "memberProbability", p.memberProbability());
                g.writeStringField("itemPolicy", p.itemPolicy());
                Json.numbers(g, "item", new java.util.TreeMap<>(p.item()));
                g.writeStringField("allocator", p.allocator());
                Json.numbers(g, "allocation", new java.util.TreeMap<>(p.allocation()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * PLR's panel: its parameters, the quantiles of its scores and staleness per sampled step
     * ({@code null} between samples) and the two histograms now ({@link ReplayDistribution}).
     */
    private void writeReplay(JsonGenerator g, List<StepRow> rows) throws IOException {
        io.proxima.core.teacher.PrioritizedLevelReplay.Params p = (io.proxima.core.teacher.PrioritizedLevelReplay.Params) replaySpec.itemPolicy().params();
        g.writeObjectFieldStart("plr");
        g.writeStringField("pipeline", replaySpec.recipe());
        g.writeStringField("itemPolicy", replaySpec.itemPolicy().type());
        g.writeObjectFieldStart("params");
        g.writeStringField("score", p.score());
        g.writeStringField("prioritization", p.prioritization());
        g.writeNumberField("temperature", p.temperature());
        g.writeNumberField("staleness", p.staleness());
        g.writeNumberField("freshShare", p.freshShare());
        g.writeBooleanField("robust", p.robust());
        g.writeEndObject();
        g.writeObjectFieldStart("series");
        for (int k = 0; k < ReplayDistribution.SUMMARY.length; k++) {
            g.writeArrayFieldStart(ReplayDistribution.SUMMARY[k]);
            for (StepRow r : rows) {
                if (r.replay() == null) g.writeNull();
                else Json.num(g, r.replay()[k]);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        ReplayDistribution d = replay.read(shadow);
        g.writeObjectFieldStart("now");
        g.writeNumberField("tasks", d.tasks());
        g.writeNumberField("seen", d.seen());
        double[] summary = d.summary();
        for (int k = 1; k < summary.length; k++) Json.num(g, ReplayDistribution.SUMMARY[k], summary[k]);
        g.writeNumberField("scoreHigh", d.scoreHigh());
        Json.longs(g, "scoreCounts", d.scoreCounts());
        g.writeNumberField("stalenessHigh", d.stalenessHigh());
        Json.longs(g, "stalenessCounts", d.stalenessCounts());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The pieces that choose the batches (one pipeline, or a meta-teacher's members): which group
     * policy picks the groups, which item policy the tasks, which filter and allocator follow.
     */
    private void writePipelines(JsonGenerator g) throws IOException {
        g.writeBooleanField("meta", shadow.config().meta() != null);
        g.writeArrayFieldStart("pipelines");
        for (io.proxima.core.recipe.PipelineSpec p : shadow.config().pipelines()) {
            g.writeStartObject();
            g.writeStringField("recipe", p.recipe());
            g.writeStringField("groupPolicy", p.groupPolicy().type());
            g.writeStringField("itemPolicy", p.itemPolicy().type());
            g.writeStringField("filter", p.filter().type());
            g.writeStringField("allocator", p.allocator().type());
            g.writeArrayFieldStart("directives");
            for (var d : p.directives()) g.writeString(d.type());
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The state now: counts, the pass-rate histogram, one row per group, the teacher's numbers. */
    private void writeNow(JsonGenerator g) throws IOException {
        CurriculumStats s = shadow.stats();
        g.writeObjectFieldStart("now");
        g.writeNumberField("tasks", s.tasks());
        g.writeNumberField("batches", s.batches());
        g.writeNumberField("selections", s.selections());
        g.writeNumberField("reports", s.reports());
        g.writeNumberField("rollouts", s.rollouts());
        Json.num(g, "effectiveRatio", s.effectiveRatio());
        Json.num(g, "lastEffectiveRatio", s.lastEffectiveRatio());
        Json.longs(g, "passRateHistogram", shadow.passRateHistogram(BINS));
        g.writeArrayFieldStart("groups");
        for (CurriculumStats.Group x : s.groups()) {
            g.writeStartObject();
            g.writeStringField("name", x.name());
            g.writeNumberField("size", x.size());
            g.writeNumberField("selections", x.selections());
            Json.num(g, "selectionShare", x.selectionShare());
            Json.num(g, "meanPassRate", x.meanPassRate());
            Json.num(g, "meanAbsAdvantage", x.meanAbsAdvantage());
            Json.num(g, "effectiveRatio", x.effectiveRatio());
            Json.num(g, "probability", x.probability());
            Json.num(g, "score", x.score());
            g.writeEndObject();
        }
        g.writeEndArray();
        Json.numbers(g, "teacher", s.teacher());
        g.writeEndObject();
    }

    @Override
    public void writeCsv(Writer w) throws IOException {
        List<StepRow> rows = ring.newest(ring.size());
        List<String> teacher = new ArrayList<>(teacherNames(rows));
        List<String> header = new ArrayList<>(List.of("step", "seq", "learnerStep", "outcomes", "rollouts", "rolloutsTotal", "effectiveRatio", "meanPassRate"));
        for (String series : List.of("share", "probability", "score", "meanAbsAdvantage")) {
            for (String name : groups) header.add(series + ":" + name);
        }
        for (int b = 0; b < BINS; b++) header.add("passRateBin:" + Csv.number((double) b / BINS));
        if (band != null) header.addAll(List.of("band:untried", "band:below", "band:inBand", "band:above"));
        if (replay != null) for (String name : ReplayDistribution.SUMMARY) header.add("plr:" + name);
        for (String name : teacher) header.add("teacher:" + name);
        Csv.row(w, header);
        List<String> cells = new ArrayList<>(header.size());
        for (StepRow r : rows) {
            cells.clear();
            cells.add(Long.toString(r.step()));
            cells.add(Long.toString(r.seq()));
            cells.add(Long.toString(r.learnerStep()));
            cells.add(Integer.toString(r.outcomes()));
            cells.add(Long.toString(r.rollouts()));
            cells.add(Long.toString(r.rolloutsTotal()));
            cells.add(Csv.number(r.effectiveRatio()));
            cells.add(Csv.number(r.meanPassRate()));
            for (int k = 0; k < groups.size(); k++) cells.add(Csv.number(r.share(k)));
            for (int k = 0; k < groups.size(); k++) cells.add(Csv.number(StepRow.at(r.probability(), k)));
            for (int k = 0; k < groups.size(); k++) cells.add(Csv.number(StepRow.at(r.score(), k)));
            for (int k = 0; k < groups.size(); k++) cells.add(Csv.number(StepRow.at(r.meanAbsAdvantage(), k)));
            for (int b = 0; b < BINS; b++) cells.add(r.passRateHistogram() == null ? "" : Long.toString(r.passRateHistogram()[b]));
            if (band != null) for (int k = 0; k < 4; k++) cells.add(r.band() == null ? "" : Long.toString(r.band()[k]));
            if (replay != null) for (int k = 0; k < ReplayDistribution.SUMMARY.length; k++) cells.add(r.replay() == null ? "" : Csv.number(r.replay()[k]));
            for (String name : teacher) cells.add(Csv.number(r.teacher().getOrDefault(name, Double.NaN)));
            Csv.row(w, cells);
        }
    }

    private static TreeSet<String> teacherNames(List<StepRow> rows) {
        TreeSet<String> names = new TreeSet<>();
        for (StepRow r : rows) names.addAll(r.teacher().keySet());
        return names;
    }

    private static void column(JsonGenerator g, String field, List<StepRow> rows, java.util.function.ToLongFunction<StepRow> f) throws IOException {
        g.writeArrayFieldStart(field);
        for (StepRow r : rows) g.writeNumber(f.applyAsLong(r));
        g.writeEndArray();
    }

    private static void doubles(JsonGenerator g, String field, List<StepRow> rows, java.util.function.ToDoubleFunction<StepRow> f) throws IOException {
        g.writeArrayFieldStart(field);
        for (StepRow r : rows) Json.num(g, f.applyAsDouble(r));
        g.writeEndArray();
    }

    private interface PerGroup {
        double value(StepRow r, int group);
    }

    /** One array per group (in the order of {@code groups}). */
    private void perGroup(JsonGenerator g, String field, List<StepRow> rows, PerGroup f) throws IOException {
        g.writeArrayFieldStart(field);
        for (int k = 0; k < groups.size(); k++) {
            g.writeStartArray();
            for (StepRow r : rows) Json.num(g, f.value(r, k));
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /** For tests: the recorded rows, oldest first. */
    List<StepRow> rows() {
        return ring.newest(ring.size());
    }

    List<String> groups() {
        return List.copyOf(groups);
    }
}
