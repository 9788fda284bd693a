package io.proxima.server;

import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class StoredAnswersTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 256})
    void theStoredFormRendersTheSameJsonAsTheResultAndIsAFractionOfIt(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double pass = rnd.nextInt(9) / 8.0;
            double adv = rnd.nextInt(4) == 0 ? Double.NaN : rnd.nextDouble();
            verdicts.add(new Verdict("task-" + rnd.nextInt(100_000) + (i % 5 == 0 ? "-ü\"q" : ""), pass, adv, pass > 0 && pass < 1, rnd.nextBoolean()));
        }
        ReportResult r = new ReportResult(n, n / 2, n - n / 2, n % 2 == 1, verdicts);
        for (String batchId : new String[] {null, "step-12"}) {
            byte[] stored = StoredAnswers.report(r);
            byte[] json = Codec.report(r, batchId);
            assertThat(StoredAnswers.reportJson(stored, batchId)).isEqualTo(json);
            if (n >= 7) assertThat(stored.length).isLessThan(json.length / 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"batchId\":\"b\",\"accepted\":1,\"kept\":1,\"dropped\":0,\"filterBypassed\":false,\"verdicts\":[]}", ""})
    void anAnswerStoredAsJsonByAnEarlierVersionIsReturnedAsItIs(String legacy) {
        byte[] bytes = legacy.getBytes(StandardCharsets.UTF_8);
        assertThat(StoredAnswers.reportJson(bytes, "b")).isSameAs(bytes);
    }
}
