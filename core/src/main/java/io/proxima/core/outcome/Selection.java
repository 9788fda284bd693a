package io.proxima.core.outcome;

import java.util.List;

/**
 * The answer to {@code next(n)}: n distinct tasks, each with its rollouts and directives.
 *
 * @param batch the curriculum's batch counter at this selection (0 for the first)
 * @param tasks the selected tasks, in the order the teacher chose them
 */
public record Selection(long batch, List<SelectedTask> tasks) {
    public Selection {
        tasks = List.copyOf(tasks);
    }

    public int size() {
        return tasks.size();
    }

    public List<String> taskIds() {
        return tasks.stream().map(SelectedTask::taskId).toList();
    }

    public int totalRollouts() {
        int s = 0;
        for (SelectedTask t : tasks) s += t.rollouts();
        return s;
    }
}
