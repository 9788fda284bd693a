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
import java.util.concurrent.CompletableFuture;
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
        return Curricula.await(nextLater(id, in));
    }

    /**
     * {@link #next} answered once durable without a thread waiting for it: parsed, validated and
     * applied before it returns (a refusal is thrown at once), the answer's JSON rendered here; the
     * result completes on the store's committer thread (or fails with the store's refusal).
     */
    CompletableFuture<Answer> nextLater(String id, InputStream in) {
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
            return CompletableFuture.completedFuture(new Answer(r.body(), r.replayed()));
        }
        if (space != null) {
            Curricula.Reply r = coreCall("n", () -> store.nextParams(id, n, requestId, ts -> Codec.paramTasks(ts, space, requestId)));
            return CompletableFuture.completedFuture(new Answer(r.body(), r.replayed()));
        }
        Fresh<Selection> drawn = new Fresh<>();
        CompletableFuture<Curricula.Reply> r = coreCall("n", () -> store.nextLater(id, n, requestId, s -> StoredAnswers.selection(drawn.keep(s))));
        byte[] fresh = drawn.value == null ? null : Codec.selection(drawn.value, requestId); // rendered on this thread, not the committer's
        return r.thenApply(reply -> new Answer(!reply.replayed() && fresh != null ? fresh : StoredAnswers.selectionJson(reply.body(), requestId),
                reply.replayed()));
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

    /** A fresh answer as rendered right after the call ({@code fresh}), a replayed one from its stored form. */
    private static byte[] selectionJson(Curricula.Reply r, byte[] fresh, String requestId) {
        return !r.replayed() && fresh != null ? fresh : StoredAnswers.selectionJson(r.body(), requestId);
    }

    private static byte[] reportJson(Curricula.Reply r, byte[] fresh, String batchId) {
        return !r.replayed() && fresh != null ? fresh : StoredAnswers.reportJson(r.body(), batchId);
    }

    Answer report(String id, InputStream in) {
        return Curricula.await(reportLater(id, in));
    }

    /** {@link #report} answered once durable without a thread waiting for it, as {@link #nextLater}. */
    CompletableFuture<Answer> reportLater(String id, InputStream in) {
        ParameterSpace space = spaceOf(id); // the body's shape depends on the kind
        if (space == null) {
            Codec.ReportRequest<Outcome> req = Codec.reportRequest(in);
            String batchId = checkKey("batchId", req.batchId());
            List<Outcome> outcomes = req.outcomes();
            int count = outcomes.size();
            Fresh<ReportResult> applied = new Fresh<>();
            CompletableFuture<Curricula.Reply> r = coreCall("outcomes",
                    () -> store.reportLater(id, batchId, outcomes, res -> StoredAnswers.report(applied.keep(res))));
            byte[] fresh = applied.value == null ? null : Codec.report(applied.value, batchId);
            return r.thenApply(reply -> {
                if (!reply.replayed()) ingested.accept(id, count);
                return new Answer(reportJson(reply, fresh, batchId), reply.replayed());
            });
        }
        Codec.ReportRequest<ParamOutcome> req = Codec.paramReportRequest(in, space);
        String batchId = checkKey("batchId", req.batchId());
        List<ParamOutcome> outcomes = req.outcomes();
        int count = outcomes.size();
        Curricula.Reply r = coreCall("outcomes", () -> store.reportParams(id, batchId, outcomes, episodes -> Codec.paramReport(count, episodes, batchId)));
        if (!r.replayed()) ingested.accept(id, count);
        return CompletableFuture.completedFuture(new Answer(r.body(), r.replayed()));
    }

    /**
     * Report the last batch and draw the next one: {@code {"batchId"?, "outcomes", "n", "explain"?}}
     * answered {@code {"report": <report answer>, "next": <next answer>}}, one store call and one
     * commit ({@link Curricula#step}; with explain {@link Curricula#stepExplained}, the next answer
     * as an explained next's). The next part's request id is the batch id. Replayed when both parts were.
     */
    Answer step(String id, InputStream in) {
        return Curricula.await(stepLater(id, in));
    }

    /** {@link #step} answered once durable without a thread waiting for it, as {@link #nextLater}. */
    CompletableFuture<Answer> stepLater(String id, InputStream in) {
        ParameterSpace space = spaceOf(id);
        if (space == null) {
            Codec.ReportRequest<Outcome> req = Codec.stepRequest(in, ServerOptions.MAX_BATCH);
            String batchId = checkKey("batchId", req.batchId());
            List<Outcome> outcomes = req.outcomes();
            int count = outcomes.size();
            Fresh<ReportResult> applied = new Fresh<>();
            if (req.explain()) {
                // stored as its JSON, as an explained next is: a repeat gets these very bytes
                Curricula.StepReply r = coreCall("outcomes", () -> store.stepExplained(id, batchId, outcomes, req.n(),
                        res -> StoredAnswers.report(applied.keep(res)), (s, why) -> Codec.selection(s, why, batchId)));
                byte[] fresh = applied.value == null ? null : Codec.report(applied.value, batchId);
                return CompletableFuture.completedFuture(stepAnswer(id, count, r, reportJson(r.report(), fresh, batchId), r.next().body()));
            }
            Fresh<Selection> drawn = new Fresh<>();
            CompletableFuture<Curricula.StepReply> r = coreCall("outcomes", () -> store.stepLater(id, batchId, outcomes, req.n(),
                    res -> StoredAnswers.report(applied.keep(res)), s -> StoredAnswers.selection(drawn.keep(s))));
            // rendered on this thread, not the committer's
            byte[] freshReport = applied.value == null ? null : Codec.report(applied.value, batchId);
            byte[] freshNext = drawn.value == null ? null : Codec.selection(drawn.value, batchId);
            return r.thenApply(reply -> stepAnswer(id, count, reply, reportJson(reply.report(), freshReport, batchId),
                    selectionJson(reply.next(), freshNext, batchId)));
        }
        Codec.ReportRequest<ParamOutcome> req = Codec.paramStepRequest(in, space, ServerOptions.MAX_BATCH);
        if (req.explain()) discreteToExplain(space);
        String batchId = checkKey("batchId", req.batchId());
        List<ParamOutcome> outcomes = req.outcomes();
        int count = outcomes.size();
        Curricula.StepReply r = coreCall("outcomes", () -> store.stepParams(id, batchId, outcomes, req.n(),
                episodes -> Codec.paramReport(count, episodes, batchId), ts -> Codec.paramTasks(ts, space, batchId)));
        return CompletableFuture.completedFuture(stepAnswer(id, count, r, r.report().body(), r.next().body()));
    }

    /** {@code {"report": <report answer>, "next": <next answer>}}; counts the outcomes of a report part that was not a repeat. */
    private Answer stepAnswer(String id, int count, Curricula.StepReply r, byte[] report, byte[] next) {
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
