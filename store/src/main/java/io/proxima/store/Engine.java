package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.recipe.CurriculumConfig;

/**
 * The state machine one stored curriculum runs: a discrete {@link Curriculum} or a
 * {@link ContinuousCurriculum}. The store needs only what both share — the event count, snapshot
 * bytes, the canonical configuration, replay of a logged event, a summary — so {@link Curricula}
 * and {@link Recovery} are written once over this interface; calls that exist for one kind only
 * reach the curriculum through {@link Discrete#c()} or {@link Continuous#c()}.
 *
 * <p>An engine is replaced, never mutated in place, when a curriculum is restored or reloaded.
 */
sealed interface Engine {
    Kind kind();

    /** Mutating calls applied so far: the sequence number of the last event. */
    long events();

    /** The whole state, in the curriculum's own versioned format ({@code PRXS} or {@code PRXC}). */
    byte[] snapshot();

    /** The canonical configuration JSON (what the {@code curricula} row stores). */
    String configJson();

    /** Applies a logged event through the curriculum's API; an event of the other kind is an {@link IllegalArgumentException}. */
    void replay(Event e);

    /** The summary of {@link Curricula#info}. */
    Curricula.Info info(String name, String recoveryNote);

    /** A new, empty curriculum of {@code kind} from its configuration JSON. */
    static Engine create(Kind kind, String configJson) {
        return switch (kind) {
            case DISCRETE -> new Discrete(Curriculum.create(CurriculumConfig.fromStoredJson(configJson)));
            case CONTINUOUS -> new Continuous(ContinuousCurriculum.create(ContinuousConfig.fromJson(configJson)));
        };
    }

    /** A curriculum of {@code kind} from its snapshot bytes. */
    static Engine restore(Kind kind, byte[] state) {
        return switch (kind) {
            case DISCRETE -> new Discrete(Curriculum.restore(state));
            case CONTINUOUS -> new Continuous(ContinuousCurriculum.restore(state));
        };
    }

    private static IllegalArgumentException foreign(Event e, Kind kind) {
        return new IllegalArgumentException("a " + EventCodec.kindName(EventCodec.kind(e)) + " event cannot be applied to a " + kind.key() + " curriculum");
    }

    record Discrete(Curriculum c) implements Engine {
        @Override
        public Kind kind() {
            return Kind.DISCRETE;
        }

        @Override
        public long events() {
            return c.events();
        }

        @Override
        public byte[] snapshot() {
            return c.snapshot();
        }

        @Override
        public String configJson() {
            return c.config().canonicalJson();
        }

        @Override
        public void replay(Event e) {
            if (!(e instanceof Event.Discrete d)) throw foreign(e, kind());
            d.applyTo(c);
        }

        @Override
        public Curricula.Info info(String name, String recoveryNote) {
            return new Curricula.Info(name, kind(), c.config().recipe(), c.size(), c.events(), c.stats().batches(), configJson(), recoveryNote);
        }
    }

    record Continuous(ContinuousCurriculum c) implements Engine {
        @Override
        public Kind kind() {
            return Kind.CONTINUOUS;
        }

        @Override
        public long events() {
            return c.events();
        }

        @Override
        public byte[] snapshot() {
            return c.snapshot();
        }

        @Override
        public String configJson() {
            return c.config().canonicalJson();
        }

        @Override
        public void replay(Event e) {
            if (!(e instanceof Event.Continuous d)) throw foreign(e, kind());
            d.applyTo(c);
        }

        @Override
        public Curricula.Info info(String name, String recoveryNote) {
            var s = c.stats();
            return new Curricula.Info(name, kind(), s.teacher(), s.proposed(), c.events(), s.batches(), configJson(), recoveryNote);
        }
    }
}
