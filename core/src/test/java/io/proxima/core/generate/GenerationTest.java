package io.proxima.core.generate;

import io.proxima.core.Curriculum;
import io.proxima.core.Invariants;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.CurriculumConfig;
import io.proxima.core.sample.Rng;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests for derived tasks: when they are made and capped, the lineage, parent credit, snapshots. */
class GenerationTest {
    private static final GenerateRequest SIMPLIFY_A = new GenerateRequest("a", Derivation.SIMPLIFY);

    /** Read as a stored configuration: the stored version-3 snapshot below was written under the legacy defaults. */
    private static Curriculum curriculum(String generation, String... ids) {
        CurriculumConfig cfg = CurriculumConfig.fromStoredJson("{\"recipe\":\"uniform\",\"seed\":3,\"rollouts\":4"
                + (generation == null ? "" : ",\"generation\":" + generation) + "}");
        List<TaskSpec> tasks = new ArrayList<>();
        for (String id : ids) tasks.add(TaskSpec.of(id, "g"));
        return Curriculum.create(cfg, tasks);
    }

    private static void report(Curriculum c, String id, int successes, int rollouts) {
        c.report(List.of(Outcome.binary(id, successes, rollouts)));
    }

    @Test
    void offByDefault() {
        Curriculum c = curriculum(null, "a", "b");
        for (int i = 0; i < 5; i++) report(c, "a", 0, 4);
        assertThat(c.next(1).generate()).isEmpty();
        assertThat(c.stats().generation()).as("no generation block, no links: no generation stats").isNull();
        assertThat(c.config().generation()).isNull();
        assertThat(CurriculumConfig.fromJson("{\"generation\": null}").generation()).as("null is absent").isNull();
    }

    @Test
    void requestsAreMadeAfterEnoughEvidenceAndCapped() {
        // minReports 2, perBatch 1, perParent 2: a fails 0/4 twice → simplify (rate 0 ≤ 0.05);
        // b passes 2/4 twice → vary (0.5 in [0.3, 0.7]); c passes 4/4 → nothing.
        Curriculum c = curriculum("{\"perBatch\": 1}", "a", "b", "c");
        report(c, "a", 0, 4);
        report(c, "b", 2, 4);
        report(c, "c", 4, 4);
        assertThat(c.next(1).generate()).as("one report is not enough evidence").isEmpty();
        report(c, "a", 0, 4);
        report(c, "b", 2, 4);
        report(c, "c", 4, 4);
        assertThat(c.stats().generation().waiting()).isEqualTo(2);
        assertThat(c.next(1).generate()).as("perBatch 1: simplify first").containsExactly(SIMPLIFY_A);
        assertThat(c.next(1).generate()).containsExactly(new GenerateRequest("b", Derivation.VARY));
        assertThat(c.next(1).generate()).isEmpty();
        // a again: one more report is not fresh evidence enough (tries 3 − 2 at the request < 2) ...
        report(c, "a", 0, 4);
        assertThat(c.next(1).generate()).isEmpty();
        // ... two are: the second (and, perParent 2, last) request for a
        report(c, "a", 0, 4);
        assertThat(c.next(1).generate()).containsExactly(SIMPLIFY_A);
        for (int i = 0; i < 6; i++) report(c, "a", 0, 4);
        assertThat(c.next(1).generate()).as("perParent reached").isEmpty();
        assertThat(c.link("a").asked()).isEqualTo(2);
        GenerationStats s = c.stats().generation();
        assertThat(s.configured()).isTrue();
        assertThat(s.simplifyRequested()).isEqualTo(2);
        assertThat(s.varyRequested()).isEqualTo(1);
        assertThat(s.waiting()).isZero();
    }

    @Test
    void perBatchTakesSimplifyFirstThenVaryOldestFirst() {
        Curriculum c = curriculum("{\"perBatch\": 3, \"minReports\": 1}", "v1", "s1", "v2", "s2", "v3");
        report(c, "v1", 2, 4);
        report(c, "s1", 0, 4);
        report(c, "v2", 2, 4);
        report(c, "s2", 0, 4);
        report(c, "v3", 2, 4);
        assertThat(c.next(1).generate()).containsExactly(new GenerateRequest("s1", Derivation.SIMPLIFY),
                new GenerateRequest("s2", Derivation.SIMPLIFY), new GenerateRequest("v1", Derivation.VARY));
        assertThat(c.next(1).generate()).containsExactly(new GenerateRequest("v2", Derivation.VARY), new GenerateRequest("v3", Derivation.VARY));
    }

    @Test
    void aTaskWhoseEvidenceMovedOnIsNotRequested() {
        // a is queued for simplify after 0/4, 0/4; before the next, 4/4 and 4/4 lift its rate to
        // 8/16 = 0.5: its simplify request is dropped; its next report queues it again, for vary.
        Curriculum c = curriculum("{\"perBatch\": 4}", "a");
        report(c, "a", 0, 4);
        report(c, "a", 0, 4);
        report(c, "a", 4, 4);
        report(c, "a", 4, 4);
        assertThat(c.next(1).generate()).isEmpty();
        report(c, "a", 2, 4); // 10/20 = 0.5
        assertThat(c.next(1).generate()).containsExactly(new GenerateRequest("a", Derivation.VARY));
    }

    @Test
    void kindsThresholdsAndDepthAreHonoured() {
        Curriculum onlyVary = curriculum("{\"kinds\": [\"vary\"], \"varyLow\": 0.2, \"varyHigh\": 0.3, \"minReports\": 1}", "a", "b", "c");
        report(onlyVary, "a", 0, 4); // unsolved, but simplify is not asked
        report(onlyVary, "b", 1, 4); // 0.25: in [0.2, 0.3]
        report(onlyVary, "c", 2, 4); // 0.5: above
        assertThat(onlyVary.next(1).generate()).containsExactly(new GenerateRequest("b", Derivation.VARY));

        Curriculum deep = curriculum("{\"maxDepth\": 1, \"minReports\": 1}", "a");
        deep.addTasks(List.of(TaskSpec.derived("a/s1", "a", Derivation.SIMPLIFY)));
        report(deep, "a/s1", 0, 4); // depth 1 = maxDepth: never a parent
        report(deep, "a", 0, 4);
        assertThat(deep.next(1).generate()).containsExactly(SIMPLIFY_A);
        assertThat(deep.link("a/s1").depth()).isEqualTo(1);

        Curriculum creditOnly = curriculum("{\"perBatch\": 0}", "a");
        for (int i = 0; i < 4; i++) report(creditOnly, "a", 0, 4);
        assertThat(creditOnly.next(1).generate()).as("perBatch 0: no request").isEmpty();
    }

    @Test
    void badConfigurationsNameTheirField() {
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": {\"kinds\": [\"harder\"]}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("generation.kinds[0]").hasMessageContaining("simplify, vary");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": {\"varyLow\": 0.8, \"varyHigh\": 0.5}}"))
                .hasMessageContaining("generation.varyLow");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": {\"perParent\": 0}}")).hasMessageContaining("generation.perParent");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": {\"credit\": 1.5}}")).hasMessageContaining("generation.credit");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": {\"perbatch\": 1}}"))
                .hasMessageContaining("generation.perbatch").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> CurriculumConfig.fromJson("{\"generation\": true}")).hasMessageContaining("generation");
        assertThat(CurriculumConfig.fromJson("{\"generation\": {}}").generation()).isEqualTo(GenerationParams.DEFAULTS);
    }

    @Test
    void linksAreValidatedAndGroupsInherited() {
        Curriculum c = curriculum("{}", "a");
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.derived("x", "nope", Derivation.SIMPLIFY))))
                .hasMessageStartingWith("tasks[0].parent 'nope' is not in the pool");
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.of("y"), TaskSpec.derived("x", "x", Derivation.VARY))))
                .hasMessageStartingWith("tasks[1].parent 'x' is the task itself");
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.derived("x", "z", Derivation.VARY), TaskSpec.derived("z", "x", Derivation.VARY))))
                .as("a cycle needs a forward link, which is refused").hasMessageStartingWith("tasks[0].parent 'z' comes later in this upload (tasks[1])");
        assertThatThrownBy(() -> c.addTasks(List.of(new TaskSpec("x", "", Double.NaN, null, "a", null))))
                .hasMessageStartingWith("tasks[0].kind is missing");
        assertThatThrownBy(() -> c.addTasks(List.of(new TaskSpec("x", "", Double.NaN, null, null, Derivation.VARY))))
                .hasMessageStartingWith("tasks[0].parent is missing");
        assertThatThrownBy(() -> c.addTasks(List.of(TaskSpec.of("ok"), TaskSpec.derived("a", "a", Derivation.VARY))))
                .as("the pool's own checks still apply").hasMessageContaining("already in the pool");
        assertThat(c.size()).as("refused uploads add nothing").isEqualTo(1);
        assertThat(c.hasLinks()).isFalse();

        c.addTasks(List.of(TaskSpec.derived("a/s", "a", Derivation.SIMPLIFY), TaskSpec.derived("a/s/s", "a/s", Derivation.SIMPLIFY),
                new TaskSpec("a/v", "other", Double.NaN, null, "a", Derivation.VARY)));
        assertThat(c.group("a/s")).as("no group: the parent's").isEqualTo("g");
        assertThat(c.group("a/s/s")).as("the parent earlier in the upload").isEqualTo("g");
        assertThat(c.group("a/v")).isEqualTo("other");
        assertThat(c.link("a")).isEqualTo(new TaskLink(null, null, 0, 2, 0, 0));
        assertThat(c.link("a/s/s")).isEqualTo(new TaskLink("a/s", Derivation.SIMPLIFY, 2, 0, 0, 0));
        assertThat(c.stats().generation()).isEqualTo(new GenerationStats(true, 0, 0, 0, 3, 2));
        Invariants.check(c);
    }

    @Test
    void aParentIsCreditedWithItsChildrensProgress() {
        // Prior from priorDifficulty 1: Beta(1, 1 + 2·1) = Beta(1, 3). a fails 0/4 twice: F = 8, mean 1/12.
        CurriculumConfig cfg = CurriculumConfig.fromJson("{\"recipe\":\"uniform\",\"rollouts\":4,\"generation\":{\"credit\":0.5}}");
        Curriculum c = Curriculum.create(cfg, List.of(TaskSpec.of("a", "g", 1.0)));
        report(c, "a", 0, 4);
        report(c, "a", 0, 4);
        assertThat(c.passRate("a")).isEqualTo(1.0 / 12);
        c.addTasks(List.of(new TaskSpec("a/s", "g", 0.0, null, "a", Derivation.SIMPLIFY),
                new TaskSpec("a/s/s", "g", 0.0, null, "a/s", Derivation.SIMPLIFY)));
        report(c, "a/s", 0, 4); // a first report: no previous pass rate, no progress
        assertThat(c.passRate("a")).isEqualTo(1.0 / 12);
        report(c, "a/s", 2, 4); // g = 0.5 − 0 = 0.5: credit 0.5·0.5 = 0.25, F_a = 8·0.75 = 6 → mean 1/10
        assertThat(c.link("a").credit()).isEqualTo(0.25);
        assertThat(c.passRate("a")).isEqualTo(0.1);
        report(c, "a/s", 1, 4); // g = 0.25 − 0.5 < 0: no credit, nothing fades
        assertThat(c.passRate("a")).isEqualTo(0.1);
        // a grandchild's gain g = 1 reaches a/s with c = 0.5 and a with c² = 0.25: F_a = 6·0.75 = 4.5
        report(c, "a/s/s", 0, 4);
        report(c, "a/s/s", 4, 4);
        assertThat(c.link("a/s").credit()).isEqualTo(0.5);
        assertThat(c.link("a").credit()).isEqualTo(0.5);
        assertThat(c.passRate("a")).isEqualTo(1 / (1 + 3 + 4.5));
        // without generation, the same reports credit nothing
        Curriculum plain = Curriculum.create(CurriculumConfig.fromJson("{\"recipe\":\"uniform\",\"rollouts\":4}"), List.of(TaskSpec.of("a", "g", 1.0)));
        report(plain, "a", 0, 4);
        report(plain, "a", 0, 4);
        plain.addTasks(List.of(new TaskSpec("a/s", "g", 0.0, null, "a", Derivation.SIMPLIFY)));
        report(plain, "a/s", 0, 4);
        report(plain, "a/s", 2, 4);
        assertThat(plain.passRate("a")).isEqualTo(1.0 / 12);
        assertThat(plain.stats().generation()).as("links alone show the stats").isEqualTo(new GenerationStats(false, 0, 0, 0, 1, 1));
    }

    @Test
    void aLongChainUploadedByHandIsCreditedUpTo64AncestorsAndNeverAskedAbout() {
        Curriculum c = curriculum("{\"credit\": 1, \"minReports\": 1, \"maxDepth\": 3}", "c0");
        List<TaskSpec> chain = new ArrayList<>();
        for (int k = 1; k <= 100; k++) chain.add(TaskSpec.derived("c" + k, "c" + (k - 1), Derivation.SIMPLIFY));
        c.addTasks(chain);
        assertThat(c.link("c100").depth()).isEqualTo(100);
        report(c, "c100", 0, 4);
        report(c, "c100", 4, 4); // g = 1, credit 1: every ancestor up to the 64th gets 1
        assertThat(c.link("c99").credit()).isEqualTo(1.0);
        assertThat(c.link("c36").credit()).as("the 64th ancestor").isEqualTo(1.0);
        assertThat(c.link("c35").credit()).as("the 65th").isZero();
        report(c, "c100", 2, 4);
        report(c, "c100", 2, 4); // 8/16 = 0.5: in the band, but ...
        assertThat(c.next(1).generate()).as("... deeper than maxDepth: never a parent").isEmpty();
        report(c, "c1", 2, 4); // depth 1 < 3, 0.5: asked
        assertThat(c.next(1).generate()).containsExactly(new GenerateRequest("c1", Derivation.VARY));
    }

    /** A seeded trainer that answers every request with a new task and reports Bernoulli rewards by a hidden pass rate. */
    private static final class Script {
        final Curriculum c;
        final Rng rng;
        final GenerationParams gp;
        final Map<String, Double> p = new HashMap<>();
        final Map<String, Integer> asked = new HashMap<>();
        final List<Selection> selections = new ArrayList<>();
        int made;

        Script(long seed, String generation) {
            // stored semantics: the version-3 golden snapshot of this script was written under the legacy defaults
            c = Curriculum.create(CurriculumConfig.fromStoredJson("{\"recipe\":\"odf\",\"seed\":" + seed + ",\"rollouts\":4,\"generation\":" + generation + "}"));
            gp = c.config().generation();
            rng = new Rng(seed * 31 + 7);
            List<TaskSpec> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "t" + i;
                p.put(id, i % 3 == 0 ? 0.0 : rng.nextDouble());
                tasks.add(TaskSpec.of(id, "g" + (i % 2)));
            }
            c.addTasks(tasks);
        }

        void step(int n) {
            Selection s = c.next(n);
            selections.add(s);
            assertThat(s.generate().size()).isLessThanOrEqualTo(gp.perBatch());
            List<TaskSpec> born = new ArrayList<>();
            for (GenerateRequest r : s.generate()) {
                int a = asked.merge(r.from(), 1, Integer::sum);
                assertThat(a).as("requests for %s", r.from()).isLessThanOrEqualTo(gp.perParent());
                assertThat(c.link(r.from()).depth()).isLessThan(gp.maxDepth());
                double pp = p.get(r.from());
                String id = r.from() + "/" + r.kind().key() + (made++);
                p.put(id, r.kind() == Derivation.SIMPLIFY ? Math.min(1, pp + 0.4) : pp);
                born.add(TaskSpec.derived(id, r.from(), r.kind()));
            }
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : s.tasks()) {
                int k = 0;
                for (int i = 0; i < t.rollouts(); i++) if (rng.nextDouble() < p.get(t.taskId())) k++;
                out.add(Outcome.binary(t.taskId(), k, t.rollouts()));
            }
            c.report(out);
            if (!born.isEmpty()) c.addTasks(born);
        }
    }

    private static final String GOLDEN_V3 = "/snapshots/v3-generation-links.bin";

    /** The script behind the stored version-3 snapshot: links, credit and queued requests. */
    static Curriculum goldenScriptV3() {
        Script s = new Script(20251205, "{\"perBatch\": 2, \"perParent\": 2, \"maxDepth\": 2, \"minReports\": 2}");
        for (int i = 0; i < 25; i++) s.step(6);
        return s.c;
    }

    @Test
    void storedVersion3SnapshotRestoresWithItsLinksAndRequests() throws java.io.IOException {
        String write = System.getProperty("proxima.writeGolden");
        if (write != null) java.nio.file.Files.write(java.nio.file.Path.of(write).resolve(GOLDEN_V3.substring(1)), goldenScriptV3().snapshot());
        byte[] golden;
        try (java.io.InputStream in = getClass().getResourceAsStream(GOLDEN_V3)) {
            assertThat(in).as("stored snapshot " + GOLDEN_V3).isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(java.nio.ByteBuffer.wrap(golden).getInt(4)).isEqualTo(3);
        Curriculum c = Curriculum.restore(golden);
        GenerationStats g = c.stats().generation();
        assertThat(g.linked()).isPositive();
        assertThat(g.simplifyRequested() + g.varyRequested()).isEqualTo(g.linked());
        Invariants.check(c);
        if (io.proxima.core.snapshot.SnapshotFormat.VERSION == 3) assertThat(c.snapshot()).as("the v3 layout is frozen").isEqualTo(golden);
        assertThat(goldenScriptV3().snapshot()).as("same config + seed + events ⇒ same state").isEqualTo(golden);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void seededRunsAreDeterministicCappedAndRoundTrip(long seed) {
        String gen = "{\"perBatch\": 2, \"perParent\": 2, \"maxDepth\": 2, \"minReports\": 2}";
        Script a = new Script(seed, gen);
        Script b = new Script(seed, gen);
        for (int i = 0; i < 60; i++) {
            a.step(8);
            b.step(8);
        }
        assertThat(a.selections).as("same seed + events ⇒ same selections and requests").isEqualTo(b.selections);
        assertThat(a.made).as("seed %d made derived tasks", seed).isPositive();
        assertThat(a.c.stats().generation().linked()).isEqualTo(a.made);
        // snapshot → restore → same bytes and stats; the restored one goes on as the live one does
        byte[] snap = a.c.snapshot();
        Curriculum back = Curriculum.restore(snap);
        assertThat(back.snapshot()).isEqualTo(snap);
        assertThat(back.stats()).isEqualTo(a.c.stats());
        Invariants.check(back);
        for (int i = 0; i < 10; i++) {
            Selection x = a.c.next(8);
            assertThat(back.next(8)).isEqualTo(x);
            List<Outcome> out = new ArrayList<>();
            for (SelectedTask t : x.tasks()) out.add(Outcome.binary(t.taskId(), i % (t.rollouts() + 1), t.rollouts()));
            a.c.report(out);
            back.report(out);
        }
        assertThat(back.snapshot()).isEqualTo(a.c.snapshot());
    }
}
