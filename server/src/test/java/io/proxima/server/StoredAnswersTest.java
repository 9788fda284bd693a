package io.proxima.server;

import io.proxima.core.outcome.ReportFlag;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredAnswersTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 256})
    void theStoredFormRendersTheSameJsonAsTheResultAndIsAFractionOfIt(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double pass = rnd.nextInt(9) / 8.0;
            double adv = rnd.nextInt(4) == 0 ? Double.NaN : rnd.nextDouble();
            ReportFlag flag = i % 7 == 3 ? ReportFlag.NOT_SELECTED : i % 7 == 5 ? ReportFlag.ROLLOUTS_MISMATCH : null;
            verdicts.add(new Verdict("task-" + rnd.nextInt(100_000) + (i % 5 == 0 ? "-ü\"q" : ""), pass, adv, pass > 0 && pass < 1, rnd.nextBoolean(),
                    flag, flag == ReportFlag.ROLLOUTS_MISMATCH ? 1 + rnd.nextInt(64) : 0));
        }
        ReportResult r = new ReportResult(n, n / 2, n - n / 2, n % 2 == 1, verdicts);
        for (String batchId : new String[] {null, "step-12"}) {
            byte[] stored = StoredAnswers.report(r);
            byte[] json = Codec.report(r, batchId);
            assertThat(StoredAnswers.reportJson(stored, batchId)).isEqualTo(json);
            if (n >= 7) assertThat(stored.length).isLessThan(json.length / 2);
        }
    }

    /** A report answer stored by the previous format (1, before flags) renders as it did. */
    @org.junit.jupiter.api.Test
    void aReportStoredInFormat1StillRenders() {
        io.proxima.core.snapshot.SnapshotWriter w = new io.proxima.core.snapshot.SnapshotWriter();
        w.writeInt((0x01 << 24) | 1);
        w.writeInt(2);
        w.writeInt(1);
        w.writeInt(1);
        w.writeBoolean(false);
        w.writeInt(2);
        for (String id : List.of("a", "b")) {
            w.writeString(id);
            w.writeDouble(0.5);
            w.writeDouble(1.0);
            w.writeBoolean(true);
            w.writeBoolean(id.equals("a"));
        }
        ReportResult r = new ReportResult(2, 1, 1, false, List.of(new Verdict("a", 0.5, 1.0, true, true), new Verdict("b", 0.5, 1.0, true, false)));
        assertThat(new String(StoredAnswers.reportJson(w.toByteArray(), "x"), StandardCharsets.UTF_8))
                .isEqualTo(new String(Codec.report(r, "x"), StandardCharsets.UTF_8)).doesNotContain("flag");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1024})
    void aStoredSelectionRendersTheSameJsonAsTheSelection(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        List<SelectedTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> d = i % 3 == 0 ? Map.of() : Map.of("tokenBudget", (double) (512 << rnd.nextInt(4)), "hint", rnd.nextInt(4) / 4.0);
            tasks.add(new SelectedTask("p" + rnd.nextInt(1_000_000), 1 + rnd.nextInt(16), d));
        }
        Selection s = new Selection(rnd.nextInt(1000), tasks);
        for (String requestId : new String[] {null, "next-3"}) {
            byte[] stored = StoredAnswers.selection(s);
            byte[] json = Codec.selection(s, requestId);
            assertThat(StoredAnswers.selectionJson(stored, requestId)).isEqualTo(json);
            if (n >= 7) assertThat(stored.length).isLessThan(json.length);
        }
        // a stored selection is never read as a report answer, nor the reverse
        assertThatThrownBy(() -> StoredAnswers.reportJson(StoredAnswers.selection(s), null)).isInstanceOf(IllegalStateException.class);
        // with generate requests (format 2): the same JSON as the selection, and the generator's bytes too
        List<io.proxima.core.outcome.GenerateRequest> gen = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 5); i++) {
            gen.add(new io.proxima.core.outcome.GenerateRequest("p\u00e9" + i, i % 2 == 0 ? io.proxima.core.space.Derivation.SIMPLIFY
                    : io.proxima.core.space.Derivation.VARY));
        }
        Selection g = new Selection(s.batch(), tasks, gen);
        byte[] json = Codec.selection(g, "k");
        assertThat(StoredAnswers.selectionJson(StoredAnswers.selection(g), "k")).isEqualTo(json);
        assertThat(json).isEqualTo(Codec.selection(g, null, "k"));
        assertThat(StoredAnswers.selection(g).length > StoredAnswers.selection(s).length).isEqualTo(!gen.isEmpty());
        if (gen.isEmpty()) assertThat(StoredAnswers.selection(g)).as("no requests: format 1 bytes").isEqualTo(StoredAnswers.selection(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"batchId\":\"b\",\"accepted\":1,\"kept\":1,\"dropped\":0,\"filterBypassed\":false,\"verdicts\":[]}", ""})
    void anAnswerStoredAsJsonByAnEarlierVersionIsReturnedAsItIs(String legacy) {
        byte[] bytes = legacy.getBytes(StandardCharsets.UTF_8);
        assertThat(StoredAnswers.reportJson(bytes, "b")).isSameAs(bytes);
    }
}
