package io.proxima.store;

import io.proxima.core.Curriculum;
import io.proxima.core.generate.TaskLink;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generated tasks through the store: links logged and snapshotted, keyed uploads, failed calls change nothing. */
class GeneratedTasksTest {
    @TempDir
    Path dir;

    private static final String CONFIG = "{\"recipe\":\"odf\",\"seed\":9,\"rollouts\":4,\"generation\":{\"minReports\":1,\"perBatch\":2}}";

    private static byte[] answer(int size) {
        return ("{\"tasks\":" + size + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A keyed upload of derived tasks and its answer. */
    private record Upload(String key, List<TaskSpec> tasks, byte[] answer) {}

    /** Runs rounds in which every generate request is answered with a keyed upload of one derived task per request. */
    private static List<Upload> run(Curricula store, Curriculum mirror, int rounds, String tag) {
        List<Upload> uploads = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Selection[] got = new Selection[1];
            store.next("a", 6, tag + "-n" + r, sel -> {
                got[0] = sel;
                return new byte[] {1};
            });
            Selection s = got[0];
            assertThat(s).as("answered fresh").isNotNull();
            assertThat(mirror.next(6)).as("the store's curriculum draws as a plain one").isEqualTo(s);
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : s.tasks()) {
                int k = t.taskId().startsWith("hard") ? 0 : t.taskId().length() % 5;
                out.add(Outcome.binary(t.taskId(), Math.min(k, t.rollouts()), t.rollouts()));
            }
            store.report("a", tag + "-r" + r, out, res -> new byte[] {2});
            mirror.report(out);
            List<TaskSpec> born = new ArrayList<>();
            for (GenerateRequest g : s.generate()) born.add(TaskSpec.derived(g.from() + "~" + g.kind().key() + r, g.from(), g.kind()));
            if (!born.isEmpty()) {
                Curricula.Reply rep = store.addTasks("a", tag + "-g" + r, born, GeneratedTasksTest::answer);
                assertThat(rep.replayed()).isFalse();
                mirror.addTasks(born);
                // a retry of the upload: the same bytes, nothing added
                Curricula.Reply again = store.addTasks("a", tag + "-g" + r, born, GeneratedTasksTest::answer);
                assertThat(again.replayed()).isTrue();
                assertThat(again.body()).isEqualTo(rep.body());
                uploads.add(new Upload(tag + "-g" + r, born, rep.body()));
            }
        }
        return uploads;
    }

    private static List<TaskSpec> pool() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) tasks.add(TaskSpec.of((i % 3 == 0 ? "hard" : "t") + i, "g" + (i % 2)));
        return tasks;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1_000_000})
    void linksSurviveARestartAndRetriesAreAnsweredTheSame(int snapshotEvery) {
        StoreOptions options = StoreOptions.DEFAULTS.withSnapshotEvery(snapshotEvery);
        Curriculum mirror = Curriculum.create(CurriculumConfig.fromJson(CONFIG), pool());
        List<Upload> uploads;
        try (Curricula store = Curricula.open(dir, options)) {
            store.create("a", CurriculumConfig.fromJson(CONFIG));
            store.addTasks("a", pool());
            uploads = run(store, mirror, 8, "x");
        }
        assertThat(mirror.stats().generation().linked()).as("the script made derived tasks").isPositive();
        try (Curricula store = Curricula.open(dir, options)) {
            assertThat(Trainer.stored(store, "a")).as("restart = never stopped").isEqualTo(mirror.snapshot());
            assertThat(store.stats("a")).isEqualTo(mirror.stats());
            assertThat(uploads).isNotEmpty();
            TaskSpec child = null;
            for (Upload u : uploads) for (TaskSpec t : u.tasks()) if (child == null && t.derivation() == Derivation.SIMPLIFY) child = t;
            assertThat(child).as("a simplified hard task").isNotNull();
            String kid = child.id();
            TaskLink link = store.read("a", c -> c.link(kid));
            assertThat(link.kind()).isEqualTo(Derivation.SIMPLIFY);
            assertThat(link.parent()).isEqualTo(child.parent()).startsWith("hard");
            String group = store.read("a", c -> c.group(kid));
            String parentGroup = store.read("a", c -> c.group(kid.substring(0, kid.indexOf('~'))));
            assertThat(group).as("the parent's group").isEqualTo(parentGroup);
            // retries after the restart: the stored answers, nothing added
            long events = store.info("a").events();
            for (Upload u : uploads) {
                Curricula.Reply again = store.addTasks("a", u.key(), u.tasks(), GeneratedTasksTest::answer);
                assertThat(again.replayed()).isTrue();
                assertThat(again.body()).isEqualTo(u.answer());
            }
            assertThat(store.info("a").events()).isEqualTo(events);
            run(store, mirror, 4, "y");
            assertThat(Trainer.stored(store, "a")).isEqualTo(mirror.snapshot());
        }
    }

    @Test
    void aReusedKeyOrABadLinkChangesNothing() {
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS.withSnapshotEvery(2))) {
            store.create("a", CurriculumConfig.fromJson(CONFIG));
            store.addTasks("a", pool());
            byte[] before = Trainer.stored(store, "a");
            long events = store.info("a").events();
            List<TaskSpec> one = List.of(TaskSpec.derived("hard0/s", "hard0", Derivation.SIMPLIFY));
            assertThatThrownBy(() -> store.addTasks("a", "k", List.of(TaskSpec.derived("x", "nope", Derivation.VARY)), GeneratedTasksTest::answer))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tasks[0].parent 'nope' is not in the pool");
            assertThatThrownBy(() -> store.addTasks("a", "k", List.of(TaskSpec.derived("x", "x", Derivation.VARY)), GeneratedTasksTest::answer))
                    .hasMessageStartingWith("tasks[0].parent 'x' is the task itself");
            assertThat(store.info("a").events()).isEqualTo(events);
            assertThat(Trainer.stored(store, "a")).isEqualTo(before);
            Curricula.Reply first = store.addTasks("a", "k", one, GeneratedTasksTest::answer);
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"tasks\":13}");
            assertThatThrownBy(() -> store.addTasks("a", "k", List.of(TaskSpec.derived("hard0/v", "hard0", Derivation.VARY)), GeneratedTasksTest::answer))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("requestId 'k'");
            // the same tasks with another kind are other content too
            assertThatThrownBy(() -> store.addTasks("a", "k", List.of(TaskSpec.derived("hard0/s", "hard0", Derivation.VARY)), GeneratedTasksTest::answer))
                    .isInstanceOf(ConflictException.class);
            // the key of an upload is not a next's
            Curricula.Reply n = store.next("a", 1, "k", s -> new byte[] {7});
            assertThat(n.replayed()).isFalse();
            TaskLink link = store.read("a", c -> c.link("hard0/s"));
            assertThat(link).isEqualTo(new TaskLink("hard0", Derivation.SIMPLIFY, 1, 0, 0, 0));
        }
        // the failed calls left no trace in the log: a restart sees the same state
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS)) {
            assertThat(store.info("a").tasks()).isEqualTo(13);
            List<Event> logged = new ArrayList<>();
            store.exportLog("a", e -> logged.add(e.event()));
            assertThat(logged).hasSize((int) store.info("a").events());
            assertThat(logged.get(1)).isEqualTo(new Event.AddTasks(List.of(TaskSpec.derived("hard0/s", "hard0", Derivation.SIMPLIFY))));
        }
    }

    @Test
    void aKeyedUploadThatFailsAfterItWasAppliedChangesNothingAndItsRetryIsNew() {
        InjectedFaults faults = new InjectedFaults();
        try (Curricula store = Curricula.open(dir, StoreOptions.DEFAULTS.withSnapshotEvery(1), faults)) {
            store.create("a", CurriculumConfig.fromJson(CONFIG));
            store.addTasks("a", pool());
            List<TaskSpec> one = List.of(TaskSpec.derived("hard0/s", "hard0", Derivation.SIMPLIFY));
            for (Faults.Stage stage : List.of(Faults.Stage.APPLY, Faults.Stage.ENCODE, Faults.Stage.SNAPSHOT)) {
                byte[] before = Trainer.stored(store, "a");
                long events = store.info("a").events();
                faults.once(stage, "addTasks");
                assertThatThrownBy(() -> store.addTasks("a", "k", one, GeneratedTasksTest::answer)).as(stage.name())
                        .isInstanceOf(InjectedFaults.Fault.class);
                assertThat(Trainer.stored(store, "a")).as(stage + ": rolled back").isEqualTo(before);
                assertThat(store.info("a").events()).isEqualTo(events);
                assertThat(store.read("a", Curriculum::hasLinks)).isFalse();
            }
            Curricula.Reply r = store.addTasks("a", "k", one, GeneratedTasksTest::answer);
            assertThat(r.replayed()).as("the key of a failed call is free").isFalse();
            assertThat(store.read("a", Curriculum::hasLinks)).isTrue();
        }
    }

    @Test
    void linkedUploadsAreFormatVersion3AndPlainOnesStayVersion1() {
        HexFormat hex = HexFormat.of();
        Event plain = new Event.AddTasks(List.of(TaskSpec.of("t0", "g0", 0.5)));
        assertThat(hex.formatHex(EventCodec.encode(plain))).startsWith("00000101");
        Event linked = new Event.AddTasks(List.of(TaskSpec.of("p", "g"), TaskSpec.derived("c", "p", Derivation.SIMPLIFY),
                new TaskSpec("v", "h", 0.25, new float[] {1f}, "p", Derivation.VARY)));
        byte[] bytes = EventCodec.encode(linked);
        // version 3, kind 1; 3 tasks; "p", "g", NaN, no features, parent "" and derivation 0; then "c" ... parent "p", derivation 1
        assertThat(hex.formatHex(bytes)).isEqualTo("00000301" + "00000003"
                + "0000000170" + "0000000167" + "7ff8000000000000" + "00000000" + "00000000" + "00000000"
                + "0000000163" + "00000000" + "7ff8000000000000" + "00000000" + "0000000170" + "00000001"
                + "0000000176" + "0000000168" + "3fd0000000000000" + "000000013f800000" + "0000000170" + "00000002");
        assertThat(EventCodec.decode(bytes)).isEqualTo(linked);
        byte[] badCode = bytes.clone();
        badCode[badCode.length - 1] = 9;
        assertThatThrownBy(() -> EventCodec.decode(badCode)).hasMessageContaining("unknown derivation 9");
        byte[] orphan = bytes.clone();
        orphan[orphan.length - 1] = 0; // a parent without a derivation
        assertThatThrownBy(() -> EventCodec.decode(orphan)).hasMessageContaining("corrupt event");
    }
}
