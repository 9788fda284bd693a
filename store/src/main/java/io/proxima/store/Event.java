package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.space.TaskSpec;

import java.util.List;

/**
 * One mutating call of a curriculum, as logged. Replaying a curriculum's events in order through
 * the same API reproduces its state exactly (the curricula are deterministic), so the log plus any
 * snapshot is the whole truth.
 *
 * <p>The creation of a curriculum (its kind and configuration) is not an event: it is the
 * curriculum's row. The event with sequence number {@code s} is the call that took the
 * curriculum's {@code events()} from {@code s - 1} to {@code s}. A discrete curriculum logs
 * {@link Discrete} events, a continuous one {@link Continuous} events; an event of the other kind
 * in a log cannot be replayed (recovery quarantines it).
 */
public sealed interface Event {
    /** An event of a discrete {@link Curriculum}. */
    sealed interface Discrete extends Event {
        /** Applies the event to {@code c} through the public API. */
        void applyTo(Curriculum c);
    }

    /** An event of a {@link ContinuousCurriculum}. */
    sealed interface Continuous extends Event {
        /** Applies the event to {@code c} through the public API. */
        void applyTo(ContinuousCurriculum c);
    }

    /** {@link Curriculum#addTasks}. */
    record AddTasks(List<TaskSpec> tasks) implements Discrete {
        @Override
        public void applyTo(Curriculum c) {
            c.addTasks(tasks);
        }
    }

    /** {@link Curriculum#next}: it moves the generator and the walks, so it is an event too. */
    record Next(int n) implements Discrete {
        @Override
        public void applyTo(Curriculum c) {
            c.next(n);
        }
    }

    /** {@link Curriculum#report}. */
    record Report(List<Outcome> outcomes) implements Discrete {
        @Override
        public void applyTo(Curriculum c) {
            c.report(outcomes);
        }
    }

    /** {@link ContinuousCurriculum#next}: it moves the generator and hands out ids, so it is an event too. */
    record ParamNext(int n) implements Continuous {
        @Override
        public void applyTo(ContinuousCurriculum c) {
            c.next(n);
        }
    }

    /** {@link ContinuousCurriculum#report}. */
    record ParamReport(List<ParamOutcome> outcomes) implements Continuous {
        @Override
        public void applyTo(ContinuousCurriculum c) {
            c.report(outcomes);
        }
    }
}
