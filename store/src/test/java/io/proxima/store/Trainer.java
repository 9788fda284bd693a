package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded trainer with its reference curriculum (never stored, never stopped), for either
 * {@link Kind}: the store's contract tests (recovery, quarantine, checkpoints) run once per kind
 * through this and compare the store's state with the reference's bytes. The reference is an
 * {@link Engine}, the same view of both kinds the store has.
 */
final class Trainer {
    /** Tasks a discrete curriculum starts with. */
    static final int TASKS = 30;

    /** Which curriculum a test trains: a kind and its recipe or teacher. */
    record Spec(Kind kind, String teacher) {
        Trainer make(long seed) {
            return new Trainer(kind, kind == Kind.DISCRETE ? Workload.config(teacher, seed).canonicalJson()
                    : ParamWorkload.config(teacher, seed).canonicalJson());
        }

        @Override
        public String toString() {
            return kind.key() + " " + teacher;
        }
    }

    /** One curriculum of each kind, with its most used teacher. */
    static List<Spec> oneOfEachKind() {
        return List.of(new Spec(Kind.DISCRETE, "sec"), new Spec(Kind.CONTINUOUS, "alp-gmm"));
    }

    /** Two discrete recipes and every continuous teacher. */
    static List<Spec> manyTeachers() {
        List<Spec> out = new ArrayList<>(List.of(new Spec(Kind.DISCRETE, "sec"), new Spec(Kind.DISCRETE, "dapo")));
        for (String t : ContinuousConfig.TEACHERS) out.add(new Spec(Kind.CONTINUOUS, t));
        return out;
    }

    private final Kind kind;
    private final String config;
    private Engine reference;

    private Trainer(Kind kind, String config) {
        this.kind = kind;
        this.config = config;
    }

    /** Creates {@code id} in the store (with its tasks, if discrete) and resets the reference to the same. */
    void create(Curricula store, String id) {
        reference = Engine.create(kind, config);
        if (reference instanceof Engine.Discrete d) {
            store.create(id, d.c().config());
            store.addTasks(id, Workload.tasks("t", TASKS));
            d.c().addTasks(Workload.tasks("t", TASKS));
        } else {
            store.create(id, ((Engine.Continuous) reference).c().config());
        }
    }

    /** {@code rounds} next+report rounds on the store and the reference; throws if their answers differ. */
    void run(Curricula store, String id, int rounds, int batch, SplittableRandom rnd, String batchPrefix) {
        if (reference instanceof Engine.Discrete d) Workload.run(store, id, d.c(), rounds, batch, rnd, batchPrefix);
        else ParamWorkload.run(store, id, ((Engine.Continuous) reference).c(), rounds, batch, rnd, batchPrefix);
    }

    /** The reference's state. */
    byte[] snapshot() {
        return reference.snapshot();
    }

    long events() {
        return reference.events();
    }

    /** Makes the reference the state of {@code snapshot} bytes (as a checkpoint restore does to the stored one). */
    void restore(byte[] state) {
        reference = Engine.restore(kind, state);
    }

    /** The stored curriculum's state. */
    static byte[] stored(Curricula store, String id) {
        return store.kind(id) == Kind.DISCRETE ? store.read(id, Curriculum::snapshot) : store.readContinuous(id, ContinuousCurriculum::snapshot);
    }
}
