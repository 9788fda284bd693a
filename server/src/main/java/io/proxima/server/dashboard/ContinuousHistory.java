package io.proxima.server.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.proxima.core.continuous.AlpGmm;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ContinuousStats;
import io.proxima.core.continuous.ContinuousTeacher;
import io.proxima.core.continuous.CovarGmm;
import io.proxima.core.continuous.GaussianMixture;
import io.proxima.core.continuous.MutatingTeacher;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.core.continuous.ParameterSpace;
import io.proxima.store.Curricula;
import io.proxima.store.Event;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link History} of a continuous curriculum: per report a {@link ParamStepRow} (episodes, mean
 * return, the teacher's numbers), the last {@link #POINTS} proposed parameter vectors, and — for
 * the GMM teachers (ALP-GMM, Covar-GMM) — the fitted Gaussians now, so the page can draw them over
 * any two dimensions of the box.
 */
final class ContinuousHistory implements History {
    /** Proposed points kept for the scatter under the Gaussians. */
    static final int POINTS = 512;

    private final String id;
    private final ContinuousCurriculum shadow;
    private final long from;
    private final HistoryRing<ParamStepRow> ring;
    private final HistoryRing<ParamTask> points = new HistoryRing<>(POINTS);
    private long steps;

    ContinuousHistory(String id, ContinuousCurriculum shadow, int capacity) {
        this.id = id;
        this.shadow = shadow;
        this.from = shadow.events();
        this.ring = new HistoryRing<>(capacity);
    }

    @Override
    public long seq() {
        return shadow.events();
    }

    @Override
    public long from() {
        return from;
    }

    @Override
    public void apply(Curricula.LoggedEvent e) {
        if (e.seq() != shadow.events() + 1) {
            throw new IllegalStateException("history of '" + id + "' is at event " + shadow.events() + ", got event " + e.seq());
        }
        if (e.event() instanceof Event.ParamNext n) {
            for (ParamTask t : shadow.next(n.n())) points.add(t);
        } else if (e.event() instanceof Event.ParamReport r) {
            int episodes = shadow.report(r.outcomes());
            steps++;
            double sum = 0;
            for (ParamOutcome o : r.outcomes()) for (double x : o.returns()) sum += x;
            ContinuousStats s = shadow.stats();
            ring.add(new ParamStepRow(steps, e.seq(), r.outcomes().size(), episodes, s.episodes(), episodes == 0 ? Double.NaN : sum / episodes,
                    Map.copyOf(s.teacherView())));
        } else {
            throw new IllegalStateException("curriculum '" + id + "' is continuous; its log holds a " + e.event().getClass().getSimpleName());
        }
    }

    /** The fitted mixture of a GMM teacher (its first {@code dims} columns are the box's), or null. */
    private GaussianMixture mixture() {
        ContinuousTeacher t = shadow.teacher() instanceof MutatingTeacher m ? m.teacher() : shadow.teacher();
        if (t instanceof AlpGmm a) return a.mixture();
        if (t instanceof CovarGmm c) return c.mixture();
        return null;
    }

    @Override
    public void writeJson(JsonGenerator g, int last) throws IOException {
        List<ParamStepRow> rows = ring.newest(last);
        ContinuousStats s = shadow.stats();
        ParameterSpace space = shadow.space();
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("kind", "continuous");
        g.writeStringField("teacherType", s.teacher());
        g.writeNumberField("seq", seq());
        g.writeNumberField("from", from);
        g.writeNumberField("steps", steps);
        g.writeNumberField("capacity", ring.capacity());
        g.writeNumberField("dropped", ring.dropped());
        g.writeArrayFieldStart("dims");
        for (ParameterSpace.Dim d : space.dimList()) {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeNumberField("low", d.low());
            g.writeNumberField("high", d.high());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("series");
        g.writeArrayFieldStart("step");
        for (ParamStepRow r : rows) g.writeNumber(r.step());
        g.writeEndArray();
        g.writeArrayFieldStart("seq");
        for (ParamStepRow r : rows) g.writeNumber(r.seq());
        g.writeEndArray();
        g.writeArrayFieldStart("episodes");
        for (ParamStepRow r : rows) g.writeNumber(r.episodes());
        g.writeEndArray();
        g.writeArrayFieldStart("episodesTotal");
        for (ParamStepRow r : rows) g.writeNumber(r.episodesTotal());
        g.writeEndArray();
        g.writeArrayFieldStart("meanReturn");
        for (ParamStepRow r : rows) Json.num(g, r.meanReturn());
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("teacherSeries");
        for (String name : teacherNames(rows)) {
            g.writeArrayFieldStart(name);
            for (ParamStepRow r : rows) Json.num(g, r.teacher().getOrDefault(name, Double.NaN));
            g.writeEndArray();
        }
        g.writeEndObject();

        g.writeObjectFieldStart("now");
        g.writeNumberField("batches", s.batches());
        g.writeNumberField("proposed", s.proposed());
        g.writeNumberField("reports", s.reports());
        g.writeNumberField("episodes", s.episodes());
        Json.num(g, "meanReturn", s.meanReturn());
        Json.num(g, "lastMeanReturn", s.lastMeanReturn());
        Json.numbers(g, "teacher", s.teacherView());
        g.writeArrayFieldStart("points");
        for (int i = 0; i < points.size(); i++) {
            g.writeStartArray();
            for (double v : points.get(i).params()) Json.num(g, v);
            g.writeEndArray();
        }
        g.writeEndArray();
        writeGaussians(g, space.dims());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Each component's weight, mean and covariance over the box's dimensions (a GMM teacher's extra columns left out). */
    private void writeGaussians(JsonGenerator g, int dims) throws IOException {
        g.writeArrayFieldStart("gaussians");
        GaussianMixture m = mixture();
        if (m != null) {
            int d = Math.min(dims, m.dim());
            for (int j = 0; j < m.components(); j++) {
                g.writeStartObject();
                Json.num(g, "weight", m.weight(j));
                g.writeArrayFieldStart("mean");
                for (int a = 0; a < d; a++) Json.num(g, m.mean(j, a));
                g.writeEndArray();
                g.writeArrayFieldStart("covariance");
                for (int a = 0; a < d; a++) {
                    g.writeStartArray();
                    for (int b = 0; b < d; b++) Json.num(g, m.covariance(j, a, b));
                    g.writeEndArray();
                }
                g.writeEndArray();
                if (m.dim() > dims) Json.num(g, "learningProgress", m.mean(j, dims)); // ALP-GMM: the mean ALP of the component
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    @Override
    public void writeCsv(Writer w) throws IOException {
        List<ParamStepRow> rows = ring.newest(ring.size());
        List<String> teacher = new ArrayList<>(teacherNames(rows));
        List<String> header = new ArrayList<>(List.of("step", "seq", "outcomes", "episodes", "episodesTotal", "meanReturn"));
        for (String name : teacher) header.add("teacher:" + name);
        Csv.row(w, header);
        List<String> cells = new ArrayList<>();
        for (ParamStepRow r : rows) {
            cells.clear();
            cells.add(Long.toString(r.step()));
            cells.add(Long.toString(r.seq()));
            cells.add(Integer.toString(r.outcomes()));
            cells.add(Long.toString(r.episodes()));
            cells.add(Long.toString(r.episodesTotal()));
            cells.add(Csv.number(r.meanReturn()));
            for (String name : teacher) cells.add(Csv.number(r.teacher().getOrDefault(name, Double.NaN)));
            Csv.row(w, cells);
        }
    }

    private static TreeSet<String> teacherNames(List<ParamStepRow> rows) {
        TreeSet<String> names = new TreeSet<>();
        for (ParamStepRow r : rows) names.addAll(r.teacher().keySet());
        return names;
    }

    List<ParamStepRow> rows() {
        return ring.newest(ring.size());
    }
}
