package io.proxima.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.proxima.core.outcome.ReportFlag;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer answers written by {@link AnswerJson} are byte for byte those of Jackson's generator
 * (the writer of earlier versions): a retry answered from the stored form after an upgrade must get
 * the bytes of the first answer. The reference below is the generator code these answers had.
 */
class AnswerJsonTest {

    private static byte[] jacksonReport(ReportResult r, String batchId) {
        return Codec.bytes(g -> {
            g.writeStartObject();
            if (batchId != null) g.writeStringField("batchId", batchId);
            g.writeNumberField("accepted", r.accepted());
            g.writeNumberField("kept", r.kept());
            g.writeNumberField("dropped", r.dropped());
            g.writeBooleanField("filterBypassed", r.filterBypassed());
            int flagged = r.flagged();
            if (flagged > 0) g.writeNumberField("flagged", flagged);
            g.writeArrayFieldStart("verdicts");
            for (Verdict v : r.verdicts()) {
                g.writeStartObject();
                g.writeStringField("taskId", v.taskId());
                num(g, "passRate", v.passRate());
                num(g, "meanAbsAdvantage", v.meanAbsAdvantage());
                g.writeBooleanField("effective", v.effective());
                g.writeBooleanField("keep", v.keep());
                if (v.flag() != null) {
                    g.writeStringField("flag", v.flag().key);
                    if (v.flag() == ReportFlag.ROLLOUTS_MISMATCH) g.writeNumberField("allotted", v.allotted());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static byte[] jacksonSelection(Selection s, String requestId) {
        return Codec.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("batch", s.batch());
            if (requestId != null) g.writeStringField("requestId", requestId);
            g.writeArrayFieldStart("tasks");
            for (SelectedTask t : s.tasks()) {
                g.writeStartObject();
                g.writeStringField("id", t.taskId());
                g.writeNumberField("rollouts", t.rollouts());
                if (!t.directives().isEmpty()) {
                    g.writeObjectFieldStart("directives");
                    for (Map.Entry<String, Double> d : new java.util.TreeMap<>(t.directives()).entrySet()) num(g, d.getKey(), d.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void num(JsonGenerator g, String f, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(f, v);
        else g.writeNullField(f);
    }

    /** Text with what JSON escapes or encodes: every ASCII control, quotes, backslashes, DEL, 2- and 3-byte UTF-8, pairs. */
    private static String text(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(8)) {
                case 0 -> b.append((char) rnd.nextInt(0x20));
                case 1 -> b.append("\"\\/\u007f".charAt(rnd.nextInt(4)));
                case 2 -> b.append((char) (0x80 + rnd.nextInt(0x780)));
                case 3 -> b.append((char) (0x800 + rnd.nextInt(0xd800 - 0x800)));
                case 4 -> b.append((char) (0xe000 + rnd.nextInt(0x2000)));
                case 5 -> b.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
                case 6 -> b.append("\u2028\u2029\ufeff\uffff".charAt(rnd.nextInt(4)));
                default -> b.append((char) (0x20 + rnd.nextInt(0x5f)));
            }
        }
        return b.toString();
    }

    private static double number(SplittableRandom rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> rnd.nextInt(9) / 8.0;
            case 1 -> Double.longBitsToDouble(rnd.nextLong()); // any bits: tiny, huge, NaN
            case 2 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE}[rnd.nextInt(7)];
            case 3 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
            case 4 -> -rnd.nextDouble();
            case 5 -> (double) rnd.nextLong();
            default -> rnd.nextDouble();
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void reportsAreWrittenAsTheGeneratorWroteThem(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            int n = rnd.nextInt(round % 10 == 0 ? 300 : 20);
            List<Verdict> vs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ReportFlag flag = rnd.nextInt(4) == 0 ? ReportFlag.values()[rnd.nextInt(ReportFlag.values().length)] : null;
                vs.add(new Verdict(text(rnd), number(rnd), number(rnd), rnd.nextBoolean(), rnd.nextBoolean(), flag,
                        flag == ReportFlag.ROLLOUTS_MISMATCH ? rnd.nextInt(Integer.MAX_VALUE) : 0));
            }
            ReportResult r = new ReportResult(rnd.nextInt(Integer.MAX_VALUE), rnd.nextInt(1000), rnd.nextInt(1000), rnd.nextBoolean(), vs);
            String batchId = rnd.nextInt(3) == 0 ? null : text(rnd);
            assertThat(new String(Codec.report(r, batchId), StandardCharsets.UTF_8)).isEqualTo(new String(jacksonReport(r, batchId), StandardCharsets.UTF_8));
            assertThat(Codec.report(r, batchId)).isEqualTo(jacksonReport(r, batchId));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void selectionsAreWrittenAsTheGeneratorWroteThem(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            int n = rnd.nextInt(round % 10 == 0 ? 300 : 20);
            List<SelectedTask> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int dn = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0;
                Map<String, Double> d = rnd.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>(); // any order: written by name
                for (int k = 0; k < dn; k++) d.put(text(rnd), number(rnd));
                ts.add(new SelectedTask(text(rnd), rnd.nextInt(Integer.MAX_VALUE), d));
            }
            Selection s = new Selection(rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(1000), ts);
            String requestId = rnd.nextInt(3) == 0 ? null : text(rnd);
            assertThat(new String(Codec.selection(s, requestId), StandardCharsets.UTF_8)).isEqualTo(new String(jacksonSelection(s, requestId), StandardCharsets.UTF_8));
            assertThat(Codec.selection(s, requestId)).isEqualTo(jacksonSelection(s, requestId));
        }
    }

    /** Every UTF-16 unit alone (lone surrogates too: Jackson escapes each half) and a few pairs. */
    @Test
    void everyCharacterIsWrittenAsTheGeneratorWroteIt() {
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < 0x10000; c++) ids.add(String.valueOf((char) c));
        for (int cp : new int[] {0x10000, 0x1f600, 0x10ffff}) ids.add(new String(Character.toChars(cp)));
        for (int from = 0; from < ids.size(); from += 4096) {
            List<SelectedTask> ts = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 4096))) ts.add(new SelectedTask(id, 1, Map.of()));
            Selection s = new Selection(from, ts);
            assertThat(Codec.selection(s, null)).isEqualTo(jacksonSelection(s, null));
        }
    }

    @Test
    void aWorkedExample() {
        ReportResult r = new ReportResult(2, 1, 1, false, List.of(new Verdict("a\"b\n", 0.5, Double.NaN, true, false),
                new Verdict("ü", 0.125, 1.0E-7, false, true, ReportFlag.ROLLOUTS_MISMATCH, 4)));
        assertThat(new String(Codec.report(r, "s1"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"batchId\":\"s1\",\"accepted\":2,\"kept\":1,\"dropped\":1,\"filterBypassed\":false,\"flagged\":1,\"verdicts\":["
                        + "{\"taskId\":\"a\\\"b\\n\",\"passRate\":0.5,\"meanAbsAdvantage\":null,\"effective\":true,\"keep\":false},"
                        + "{\"taskId\":\"ü\",\"passRate\":0.125,\"meanAbsAdvantage\":1.0E-7,\"effective\":false,\"keep\":true,\"flag\":\"rolloutsMismatch\",\"allotted\":4}]}");
        Selection s = new Selection(7, List.of(new SelectedTask("t\u0001", 4, Map.of("b", 2.0, "a", 0.25))));
        assertThat(new String(Codec.selection(s, null), StandardCharsets.UTF_8))
                .isEqualTo("{\"batch\":7,\"tasks\":[{\"id\":\"t\\u0001\",\"rollouts\":4,\"directives\":{\"a\":0.25,\"b\":2.0}}]}");
    }
}
