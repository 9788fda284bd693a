package io.proxima.sim.teach;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.TaskSpec;
import io.proxima.sim.learner.RolloutLearner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A core curriculum driven exactly as a user's trainer would: {@code Curriculum.create},
 * {@code next}, {@code report} — no back doors. The pool is the learner's prompts with their
 * source as group and no prior difficulty (a user rarely has one). Ids are {@code source/index}.
 */
public final class CurriculumTeacher implements LabTeacher {
    private final Curriculum curriculum;
    private final String[] ids;

    public CurriculumTeacher(CurriculumConfig config, RolloutLearner learner) {
        ids = new String[learner.size()];
        List<TaskSpec> tasks = new ArrayList<>(learner.size());
        for (int i = 0; i < learner.size(); i++) {
            String source = learner.sourceName(learner.group(i));
            ids[i] = source + "/" + i;
            tasks.add(TaskSpec.of(ids[i], source));
        }
        this.curriculum = Curriculum.create(config, tasks);
    }

    static int index(String id) {
        return Integer.parseInt(id, id.lastIndexOf('/') + 1, id.length(), 10);
    }

    public Curriculum curriculum() {
        return curriculum;
    }

    @Override
    public java.util.Map<String, Double> stats() {
        return curriculum.stats().teacher();
    }

    @Override
    public List<Pick> next(int n) {
        Selection s = curriculum.next(Math.min(n, curriculum.size()));
        List<Pick> out = new ArrayList<>(s.size());
        for (SelectedTask t : s.tasks()) out.add(new Pick(index(t.taskId()), t.rollouts(), t.directives()));
        return out;
    }

    @Override
    public void report(List<Pick> picks, double[][] rewards, int[][] tokens, long step, boolean[] keep) {
        // A task an allocator gave 0 rollouts has nothing to report and nothing to train on.
        List<Outcome> outcomes = new ArrayList<>(picks.size());
        for (int i = 0; i < picks.size(); i++) {
            Pick p = picks.get(i);
            keep[i] = false;
            if (p.rollouts() == 0) continue;
            outcomes.add(new Outcome(ids[p.task()], Arrays.copyOf(rewards[i], p.rollouts()),
                    Arrays.copyOf(tokens[i], p.rollouts()), step, p.directives()));
        }
        if (outcomes.isEmpty()) return;
        ReportResult r = curriculum.report(outcomes);
        for (int i = 0, j = 0; i < picks.size(); i++) if (picks.get(i).rollouts() > 0) keep[i] = r.verdicts().get(j++).keep();
    }
}
