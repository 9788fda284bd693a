package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParameterSpace;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.Selection;
import io.proxima.core.recipe.ConfigException;
import io.proxima.store.Curricula;
import io.proxima.store.Kind;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a trainer makes every step — {@code next}, {@code report}, and both at once
 * ({@code step}) — from a request body to an answer, for either kind of curriculum. Their routes
 * and each item of a batch ({@link BatchCall}) go through here, so both read the same bodies and
 * give the same answers.
 */
final class TrainerCalls {
    private static final Pattern CORE_PATH = Pattern.compile("^((?:outcomes|tasks)\\[\\d+\\](?:\\.[A-Za-z]+(?:\\[\\d+\\])?)?)");

    /** An answer: its JSON, and whether it was a repeat of a keyed call (header {@code Proxima-Replayed}). */
    record Answer(byte[] body, boolean replayed) {}

    private static final byte[] STEP_OPEN = "{\"report\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STEP_NEXT = ",\"next\":".getBytes(StandardCharsets.US_ASCII);

    private final Curricula store;
    private final ObjIntConsumer<String> ingested;

    /** {@code ingested} counts the outcomes a fresh (not replayed) report applied to a curriculum. */
    TrainerCalls(Curricula store, ObjIntConsumer<String> ingested) {
        this.store = store;
        this.ingested = ingested;
    }

    /** Refused before anything runs: a continuous curriculum's proposals have no pieces to explain. */
    private static void discreteToExplain(ParameterSpace space) {
        if (space != null) throw ApiException.bad("explain", "is for discrete curricula: a continuous curriculum's proposals have no pieces to explain");
    }

    Answer next(String id, InputStream in) {
        JsonNode body = Codec.object(in);
        Codec.onlyFields(body, "", Set.of("n", "requestId", "explain"));
        int n = (int) Codec.integer(body, "", "n", null, 1, ServerOptions.MAX_BATCH);
        String requestId = checkKey("requestId", Codec.text(body, "", "requestId", false));
        JsonNode e = body.get("explain");
        if (e != null && !e.isNull() && !e.isBoolean()) throw ApiException.bad("explain", "must be true or false, got " + Codec.type(e));
        boolean explain = e != null && e.asBoolean();
        ParameterSpace space = spaceOf(id);
        if (explain) discreteToExplain(space);
        if (explain) {
            // stored as its JSON (the compact form holds no explanation): a repeat gets these very bytes
            Curricula.Reply r = coreCall("n", () -> store.nextExplained(id, n, requestId, (s, why) -> Codec.selection(s, why, requestId)));
            return new Answer(r.body(), r.replayed());
        }
        if (space != null) {
            Curricula.Reply r = coreCall("n", () -> store.nextParams(id, n, requestId, ts -> Codec.paramTasks(ts, space, requestId)));
            return new Answer(r.body(), r.replayed());
        }
        Fresh<Selection> drawn = new Fresh<>();
        Curricula.Reply r = coreCall("n", () -> store.next(id, n, requestId, s -> StoredAnswers.selection(drawn.keep(s))));
        return new Answer(selectionJson(r, drawn, requestId), r.replayed());
    }

    /**
     * What a store call produced in this very call, kept on its way to the stored (compact) answer:
     * a fresh answer is rendered from it directly, a replayed one from the stored bytes. Both give
     * the same JSON ({@link StoredAnswers} round-trips exactly; StoredAnswersTest), so a retry gets
     * the bytes of the first answer; the fresh path skips decoding what was just encoded.
     */
    private static final class Fresh<T> {
        private T value;

        T keep(T v) {
            value = v;
            return v;
        }
    }

    private static byte[] selectionJson(Curricula.Reply r, Fresh<Selection> drawn, String requestId) {
        return !r.replayed() && drawn.value != null ? Codec.selection(drawn.value, requestId) : StoredAnswers.selectionJson(r.body(), requestId);
    }

    private static byte[] reportJson(Curricula.Reply r, Fresh<ReportResult> applied, String batchId) {
        return !r.replayed() && applied.value != null ? Codec.report(applied.value, batchId) : StoredAnswers.reportJson(r.body(), batchId);
    }

    Answer report(String id, InputStream in) {
        ParameterSpace space = spaceOf(id); // the body's shape depends on the kind
        Curricula.Reply r;
        byte[] body;
        int count;
        if (space == null) {
            Codec.ReportRequest<Outcome> req = Codec.reportRequest(in);
            String batchId = checkKey("batchId", req.batchId());
            List<Outcome> outcomes = req.outcomes();
            count = outcomes.size();
            Fresh<ReportResult> applied = new Fresh<>();
            r = coreCall("outcomes", () -> store.report(id, batchId, outcomes, res -> StoredAnswers.report(applied.keep(res))));
            body = reportJson(r, applied, batchId);
        } else {
            Codec.ReportRequest<ParamOutcome> req = Codec.paramReportRequest(in, space);
            String batchId = checkKey("batchId", req.batchId());
            List<ParamOutcome> outcomes = req.outcomes();
            count = outcomes.size();
            r = coreCall("outcomes", () -> store.reportParams(id, batchId, outcomes, episodes -> Codec.paramReport(count, episodes, batchId)));
            body = r.body();
        }
        if (!r.replayed()) ingested.accept(id, count);
        return new Answer(body, r.replayed());
    }

    /**
     * Report the last batch and draw the next one: {@code {"batchId"?, "outcomes", "n", "explain"?}}
     * answered {@code {"report": <report answer>, "next": <next answer>}}, one store call and one
     * commit ({@link Curricula#step}; with explain {@link Curricula#stepExplained}, the next answer
     * as an explained next's). The next part's request id is the batch id. Replayed when both parts were.
     */
    Answer step(String id, InputStream in) {
        ParameterSpace space = spaceOf(id);
        Curricula.StepReply r;
        byte[] report;
        byte[] next;
        int count;
        if (space == null) {
            Codec.ReportRequest<Outcome> req = Codec.stepRequest(in, ServerOptions.MAX_BATCH);
            String batchId = checkKey("batchId", req.batchId());
            List<Outcome> outcomes = req.outcomes();
            count = outcomes.size();
            Fresh<ReportResult> applied = new Fresh<>();
            if (req.explain()) {
                // stored as its JSON, as an explained next is: a repeat gets these very bytes
                r = coreCall("outcomes", () -> store.stepExplained(id, batchId, outcomes, req.n(), res -> StoredAnswers.report(applied.keep(res)),
                        (s, why) -> Codec.selection(s, why, batchId)));
                next = r.next().body();
            } else {
                Fresh<Selection> drawn = new Fresh<>();
                r = coreCall("outcomes", () -> store.step(id, batchId, outcomes, req.n(),
                        res -> StoredAnswers.report(applied.keep(res)), s -> StoredAnswers.selection(drawn.keep(s))));
                next = selectionJson(r.next(), drawn, batchId);
            }
            report = reportJson(r.report(), applied, batchId);
        } else {
            Codec.ReportRequest<ParamOutcome> req = Codec.paramStepRequest(in, space, ServerOptions.MAX_BATCH);
            if (req.explain()) discreteToExplain(space);
            String batchId = checkKey("batchId", req.batchId());
            List<ParamOutcome> outcomes = req.outcomes();
            count = outcomes.size();
            r = coreCall("outcomes", () -> store.stepParams(id, batchId, outcomes, req.n(),
                    episodes -> Codec.paramReport(count, episodes, batchId), ts -> Codec.paramTasks(ts, space, batchId)));
            report = r.report().body();
            next = r.next().body();
        }
        if (!r.report().replayed()) ingested.accept(id, count);
        byte[] out = new byte[STEP_OPEN.length + report.length + STEP_NEXT.length + next.length + 1];
        int at = 0;
        for (byte[] part : new byte[][] {STEP_OPEN, report, STEP_NEXT, next}) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        out[at] = '}';
        return new Answer(out, r.report().replayed() && r.next().replayed());
    }

    /** The box of a continuous curriculum, or null if it is discrete (404 if there is none). */
    private ParameterSpace spaceOf(String id) {
        return store.kind(id) == Kind.CONTINUOUS ? store.readContinuous(id, ContinuousCurriculum::space) : null;
    }

    static String checkKey(String field, String k) {
        if (k != null && (k.isEmpty() || k.length() > Curricula.MAX_KEY)) {
            throw ApiException.bad(field, "must be 1-" + Curricula.MAX_KEY + " characters, got " + k.length());
        }
        return k;
    }

    /** Runs a store call, naming the field of a core validation error. */
    static <T> T coreCall(String defaultField, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConfigException e) {
            throw ApiException.bad(e.path(), e.getMessage());
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            Matcher m = CORE_PATH.matcher(msg);
            // the next part of a step names n as next does (its default field is the report's)
            String field = m.find() ? m.group(1) : msg.startsWith("n=") || msg.startsWith("n must") || msg.startsWith("the pool is empty") ? "n" : defaultField;
            throw ApiException.bad(field, msg);
        }
    }
}
