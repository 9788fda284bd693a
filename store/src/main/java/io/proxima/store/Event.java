package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.space.TaskSpec;

import java.util.List;

/**
 * One mutating call of a curriculum, as logged. Replaying a curriculum's events in order through
 * the same {@link Curriculum} API reproduces its state exactly (the curriculum is deterministic),
 * so the log plus any snapshot is the whole truth.
 *
 * <p>The creation of a curriculum (its configuration) is not an event: it is the curriculum's row.
 * The event with sequence number {@code s} is the call that took {@link Curriculum#events()} from
 * {@code s - 1} to {@code s}.
 */
public sealed interface Event {
    /** Applies the event to {@code c} through the public API. */
    void applyTo(Curriculum c);

    /** {@link Curriculum#addTasks}. */
    record AddTasks(List<TaskSpec> tasks) implements Event {
        @Override
        public void applyTo(Curriculum c) {
            c.addTasks(tasks);
        }
    }

    /** {@link Curriculum#next}: it moves the generator and the walks, so it is an event too. */
    record Next(int n) implements Event {
        @Override
        public void applyTo(Curriculum c) {
            c.next(n);
        }
    }

    /** {@link Curriculum#report}. */
    record Report(List<Outcome> outcomes) implements Event {
        @Override
        public void applyTo(Curriculum c) {
            c.report(outcomes);
        }
    }
}
