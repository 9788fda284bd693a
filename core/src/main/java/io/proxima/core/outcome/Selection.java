package io.proxima.core.outcome;

import java.util.List;

/**
 * The answer to {@code next(n)}: n distinct tasks, each with its rollouts and directives.
 *
 * @param batch the curriculum's batch counter at this selection (0 for the first)
 * @param tasks the selected tasks, in the order the teacher chose them
 * @param generate tasks the trainer is asked to generate (empty unless the curriculum's
 *     {@code generation} is configured)
 */
public record Selection(long batch, List<SelectedTask> tasks, List<GenerateRequest> generate) {
    public Selection {
        tasks = List.copyOf(tasks);
        generate = generate == null ? List.of() : List.copyOf(generate);
    }

    /** A selection that asks for nothing to be generated. */
    public Selection(long batch, List<SelectedTask> tasks) {
        this(batch, tasks, List.of());
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
