package io.proxima.server.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.store.Curricula;
import io.proxima.store.Event;
import io.proxima.store.Kind;
import io.proxima.store.NotFoundException;
import io.proxima.server.ApiException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's history, read from the event log: every batch it was drawn in, every report of it
 * (rewards and the pass-rate estimate right after), replayed on a fresh copy of the curriculum so
 * the estimates are the ones the teacher had. Built per request (a full replay of the log: its cost
 * grows with the log; the newest {@link #MAX_ENTRIES} of each list are kept).
 */
final class TaskHistory {
    static final int MAX_ENTRIES = 4096;

    record Selected(long step, long seq, long batch, int rollouts) {}

    record Reported(long step, long seq, int rollouts, double meanReward, double meanAbsAdvantage, boolean effective, double passRateAfter) {}

    private final String taskId;
    private final HistoryRing<Selected> selected = new HistoryRing<>(MAX_ENTRIES);
    private final HistoryRing<Reported> reported = new HistoryRing<>(MAX_ENTRIES);
    private long steps;
    private long from;
    private String group;
    private double passRate = Double.NaN;
    /** The task's lineage when the curriculum has generated tasks or generation (else null: the answer is as before). */
    private io.proxima.core.generate.TaskLink link;

    private TaskHistory(String taskId) {
        this.taskId = taskId;
    }

    /** Replays the log of discrete curriculum {@code id} for {@code taskId} (404 on field taskId if the pool never held it). */
    static TaskHistory of(Curricula store, String id, String taskId) {
        Curricula.Info info = store.info(id);
        if (info.kind() != Kind.DISCRETE) {
            throw new ApiException(409, "kind", "curriculum '" + id + "' is continuous: its tasks are proposals with numeric ids; task history applies to discrete curricula");
        }
        try {
            store.read(id, c -> c.group(taskId)); // 404 before a replay
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("taskId", "curriculum '" + id + "' has no task '" + taskId + "'");
        }
        TaskHistory h = new TaskHistory(taskId);
        long[] first = {-1};
        store.exportLog(id, 0, 1, e -> first[0] = e.seq());
        Curriculum c = first[0] == 1 || first[0] == -1
                ? Curriculum.create(CurriculumConfig.fromStoredJson(info.configJson()))
                : Curriculum.restore(store.read(id, Curriculum::snapshot)); // the log's start was deleted: from now on only
        h.from = c.events();
        while (true) {
            List<Curricula.LoggedEvent> chunk = new ArrayList<>(Histories.CHUNK);
            store.exportLog(id, c.events(), Histories.CHUNK, chunk::add);
            for (Curricula.LoggedEvent e : chunk) h.apply(c, e);
            if (chunk.size() < Histories.CHUNK) break;
        }
        try {
            h.group = c.group(taskId);
            h.passRate = c.passRate(taskId);
            if (c.hasLinks() || c.config().generation() != null) h.link = c.link(taskId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("taskId", "curriculum '" + id + "' has no task '" + taskId + "'");
        }
        return h;
    }

    private void apply(Curriculum c, Curricula.LoggedEvent e) {
        if (e.event() instanceof Event.AddTasks a) {
            c.addTasks(a.tasks());
        } else if (e.event() instanceof Event.Next n) {
            Selection s = c.next(n.n());
            for (SelectedTask t : s.tasks()) {
                if (t.taskId().equals(taskId)) selected.add(new Selected(steps, e.seq(), s.batch(), t.rollouts()));
            }
        } else if (e.event() instanceof Event.Report r) {
            ReportResult result = c.report(r.outcomes());
            steps++;
            for (int i = 0; i < r.outcomes().size(); i++) {
                Outcome o = r.outcomes().get(i);
                if (!o.taskId().equals(taskId)) continue;
                double sum = 0;
                for (double x : o.rewards()) sum += x;
                var v = result.verdicts().get(i);
                reported.add(new Reported(steps, e.seq(), o.rewards().length, o.rewards().length == 0 ? Double.NaN : sum / o.rewards().length,
                        v.meanAbsAdvantage(), v.effective(), c.passRate(taskId)));
            }
        }
    }

    void writeJson(JsonGenerator g, String curriculum) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", curriculum);
        g.writeStringField("taskId", taskId);
        g.writeStringField("group", group);
        g.writeNumberField("from", from);
        g.writeNumberField("steps", steps);
        Json.num(g, "passRate", passRate);
        if (link != null) {
            g.writeObjectFieldStart("link");
            if (link.parent() != null) g.writeStringField("parent", link.parent());
            if (link.kind() != null) g.writeStringField("kind", link.kind().key());
            g.writeNumberField("depth", link.depth());
            g.writeNumberField("children", link.children());
            Json.num(g, "credit", link.credit());
            g.writeNumberField("asked", link.asked());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("selections");
        for (int i = 0; i < selected.size(); i++) {
            Selected s = selected.get(i);
            g.writeStartObject();
            g.writeNumberField("step", s.step());
            g.writeNumberField("seq", s.seq());
            g.writeNumberField("batch", s.batch());
            g.writeNumberField("rollouts", s.rollouts());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("reports");
        for (int i = 0; i < reported.size(); i++) {
            Reported r = reported.get(i);
            g.writeStartObject();
            g.writeNumberField("step", r.step());
            g.writeNumberField("seq", r.seq());
            g.writeNumberField("rollouts", r.rollouts());
            Json.num(g, "meanReward", r.meanReward());
            Json.num(g, "meanAbsAdvantage", r.meanAbsAdvantage());
            g.writeBooleanField("effective", r.effective());
            Json.num(g, "passRateAfter", r.passRateAfter());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
