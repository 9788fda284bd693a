package io.proxima.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.proxima.core.CurriculumStats;
import io.proxima.core.Unicode;
import io.proxima.core.continuous.ContinuousStats;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.core.continuous.ParameterSpace;
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.TaskExplanation;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.space.Derivation;
import io.proxima.core.space.TaskSpec;
import io.proxima.core.outcome.GenerateRequest;
import io.proxima.core.generate.GenerationStats;
import io.proxima.store.Curricula;
import io.proxima.store.Event;
import io.proxima.store.EventCodec;
import io.proxima.store.Kind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON in and out. Requests are read strictly: unknown fields, wrong types and out-of-range values
 * are {@link ApiException}s naming the field path ({@code outcomes[3].rewards[1]}). Answers are
 * written with a streaming generator; NaN becomes {@code null}.
 *
 * <p>Continuous curricula: a task is {@code {"id": 17, "params": {"name": value, ...}}} — params by
 * dimension name, so a trainer can pass them to its environment as keyword arguments; a report
 * names its task by {@code taskId} and/or {@code params}, given by name (every dimension) or as an
 * array in the order of {@code space.dims}. Coordinates are checked against the box here, so an
 * error names the field the way the client wrote it ({@code outcomes[3].params.stump_height}).
 */
final class Codec {
    /** Longest task id, group name or key accepted. */
    static final int MAX_ID = 1024;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100).build())
            .build();
    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** For streamed uploads: reads one value at a time, more may follow. */
    private static final ObjectMapper STREAM = JsonMapper.builder(FACTORY).build();

    private Codec() {}

    // ------------------------------------------------------------------ reading

    /** Parses a whole (size-limited) body into a JSON object. */
    static JsonNode object(InputStream body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.bad("body", "malformed JSON: " + problem(e) + where(e));
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
        if (n == null || n.isMissingNode()) throw ApiException.bad("body", "the body is empty: a JSON object is expected");
        if (!n.isObject()) throw ApiException.bad("body", "a JSON object is expected, got " + type(n));
        return n;
    }

    /**
     * Jackson's message without its advice to enable parser features (a client cannot, and NaN or
     * Infinity are not JSON: numbers must be finite).
     */
    static String problem(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int advice = m.indexOf(": enable `");
        if (advice >= 0) m = m.substring(0, advice) + (m.contains("'NaN'") || m.contains("Infinity") ? " (JSON numbers must be finite)" : "");
        return m;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    static void onlyFields(JsonNode obj, String path, Set<String> known) {
        Iterator<String> it = obj.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!known.contains(f)) throw ApiException.bad(join(path, f), "unknown field '" + f + "'; known fields: " + known);
        }
    }

    static String join(String path, String f) {
        return path.isEmpty() ? f : path + "." + f;
    }

    static String type(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString().toLowerCase();
    }

    static String text(JsonNode obj, String path, String f, boolean required) {
        JsonNode v = obj.get(f);
        String p = join(path, f);
        if (v == null || v.isNull()) {
            if (required) throw ApiException.bad(p, "is required (a string)");
            return null;
        }
        if (!v.isTextual()) throw ApiException.bad(p, "must be a string, got " + type(v));
        String s = v.textValue();
        if (s.length() > MAX_ID) throw ApiException.bad(p, "is longer than " + MAX_ID + " characters");
        return unicode(s, p);
    }

    static long integer(JsonNode obj, String path, String f, Long def, long min, long max) {
        JsonNode v = obj.get(f);
        String p = join(path, f);
        if (v == null || v.isNull()) {
            if (def == null) throw ApiException.bad(p, "is required (an integer)");
            return def;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
            throw ApiException.bad(p, "must be an integer, got " + (v.isNumber() ? v.asText() : type(v)));
        }
        if (!v.canConvertToLong()) throw ApiException.bad(p, "must be in [" + min + ", " + max + "], got " + v.asText());
        long x = v.asLong();
        if (x < min || x > max) throw ApiException.bad(p, "must be in [" + min + ", " + max + "], got " + x);
        return x;
    }

    static double number(JsonNode v, String p) {
        if (!v.isNumber()) throw ApiException.bad(p, "must be a number, got " + type(v));
        double d = v.doubleValue();
        if (!Double.isFinite(d)) throw ApiException.bad(p, "must be finite, got " + v.asText());
        return d;
    }

    static JsonNode array(JsonNode obj, String path, String f, boolean required, int maxSize) {
        JsonNode v = obj.get(f);
        String p = join(path, f);
        if (v == null || v.isNull()) {
            if (required) throw ApiException.bad(p, "is required (an array)");
            return null;
        }
        if (!v.isArray()) throw ApiException.bad(p, "must be an array, got " + type(v));
        if (v.size() > maxSize) throw ApiException.bad(p, "holds " + v.size() + " items, more than the limit of " + maxSize);
        return v;
    }

    /**
     * A report body: the optional batch id and the outcomes ({@link Outcome} or {@link ParamOutcome});
     * in a step body also {@code n}, the size of the next batch (0 in a report body).
     */
    /** A report (or step) body: {@code n} and {@code explain} are the step's next part (0 and false in a report). */
    record ReportRequest<O>(String batchId, List<O> outcomes, int n, boolean explain) {
        ReportRequest(String batchId, List<O> outcomes) {
            this(batchId, outcomes, 0, false);
        }
    }

    /** Reads one outcome object, whose first token {@code t} is already read, at path {@code at}. */
    @FunctionalInterface
    interface OutcomeReader<O> {
        O read(JsonParser p, JsonToken t, String at) throws IOException;
    }

    private static final Set<String> REPORT_FIELDS = new java.util.TreeSet<>(Set.of("batchId", "outcomes"));
    private static final Set<String> STEP_FIELDS = new java.util.TreeSet<>(Set.of("batchId", "outcomes", "n", "explain"));
    private static final Set<String> OUTCOME_FIELDS = new java.util.TreeSet<>(Set.of("taskId", "rewards", "tokenLengths", "step", "loss", "directives"));
    private static final Set<String> PARAM_OUTCOME_FIELDS = new java.util.TreeSet<>(Set.of("taskId", "params", "returns"));
    /** Most directives one outcome may carry. */
    private static final int MAX_DIRECTIVES = 64;

    /** A discrete report body. */
    static ReportRequest<Outcome> reportRequest(InputStream body) {
        return reportRequest(body, Codec::outcome, 0);
    }

    /** A continuous report body; coordinates are checked against {@code space}. */
    static ReportRequest<ParamOutcome> paramReportRequest(InputStream body, ParameterSpace space) {
        return reportRequest(body, (p, t, at) -> paramOutcome(p, t, at, space), 0);
    }

    /** A discrete step body: a report body with {@code n} in [1, maxN] and an optional {@code explain} (true, false or null). */
    static ReportRequest<Outcome> stepRequest(InputStream body, int maxN) {
        return reportRequest(body, Codec::outcome, maxN);
    }

    /** A continuous step body. */
    static ReportRequest<ParamOutcome> paramStepRequest(InputStream body, ParameterSpace space, int maxN) {
        return reportRequest(body, (p, t, at) -> paramOutcome(p, t, at, space), maxN);
    }

    /**
     * Reads a report body as a token stream (no tree: a report of 256 × 8 rewards is ~2 300 values),
     * with the same strictness and field paths as every other body.
     */
    private static <O> ReportRequest<O> reportRequest(InputStream body, OutcomeReader<O> reader, int maxN) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) throw ApiException.bad("body", "the body is empty: a JSON object is expected");
            if (t != JsonToken.START_OBJECT) throw ApiException.bad("body", "a JSON object is expected, got " + type(t));
            String batchId = null;
            List<O> outcomes = null;
            long n = -1;
            boolean explain = false;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                t = p.nextToken();
                switch (f) {
                    case "batchId" -> batchId = text(p, t, "batchId", false);
                    case "outcomes" -> outcomes = outcomes(p, t, reader);
                    case "n" -> {
                        if (maxN == 0) throw ApiException.bad(f, "unknown field '" + f + "'; known fields: " + REPORT_FIELDS);
                        if (t != JsonToken.VALUE_NUMBER_INT) throw ApiException.bad("n", "must be an integer, got " + type(t));
                        n = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : p.getLongValue();
                        if (n < 1 || n > maxN) throw ApiException.bad("n", "must be in [1, " + maxN + "], got " + p.getText());
                    }
                    case "explain" -> {
                        if (maxN == 0) throw ApiException.bad(f, "unknown field '" + f + "'; known fields: " + REPORT_FIELDS);
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL) {
                            throw ApiException.bad("explain", "must be true or false, got " + type(t));
                        }
                        explain = t == JsonToken.VALUE_TRUE;
                    }
                    default -> throw ApiException.bad(f, "unknown field '" + f + "'; known fields: " + (maxN == 0 ? REPORT_FIELDS : STEP_FIELDS));
                }
            }
            if (p.nextToken() != null) throw ApiException.bad("body", "malformed JSON: unexpected content after the object");
            if (outcomes == null) throw ApiException.bad("outcomes", "is required (an array)");
            if (maxN > 0 && n < 0) throw ApiException.bad("n", "is required (the size of the next batch)");
            return new ReportRequest<>(batchId, outcomes, (int) Math.max(n, 0), explain);
        } catch (JsonProcessingException e) {
            throw ApiException.bad("body", "malformed JSON: " + problem(e) + where(e));
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
    }

    /** The outcomes of an already-parsed report (or logged report event). */
    static List<Outcome> outcomes(JsonNode body) {
        return outcomes(body, Codec::outcome);
    }

    /** The outcomes of an already-parsed continuous report (or logged paramReport event). */
    static List<ParamOutcome> paramOutcomes(JsonNode body, ParameterSpace space) {
        return outcomes(body, (p, t, at) -> paramOutcome(p, t, at, space));
    }

    private static <O> List<O> outcomes(JsonNode body, OutcomeReader<O> reader) {
        JsonNode arr = body.get("outcomes");
        if (arr == null || arr.isNull()) throw ApiException.bad("outcomes", "is required (an array)");
        try (JsonParser p = MAPPER.treeAsTokens(arr)) {
            return outcomes(p, p.nextToken(), reader);
        } catch (IOException e) {
            throw ApiException.bad("outcomes", e.getMessage());
        }
    }

    private static <O> List<O> outcomes(JsonParser p, JsonToken t, OutcomeReader<O> reader) throws IOException {
        if (t != JsonToken.START_ARRAY) throw ApiException.bad("outcomes", "must be an array, got " + type(t));
        List<O> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (out.size() == ServerOptions.MAX_BATCH) {
                throw ApiException.bad("outcomes", "holds more than the limit of " + ServerOptions.MAX_BATCH + " outcomes");
            }
            out.add(reader.read(p, t, "outcomes[" + out.size() + "]"));
        }
        if (out.isEmpty()) throw ApiException.bad("outcomes", "must hold at least one outcome");
        return out;
    }

    private static Outcome outcome(JsonParser p, JsonToken t, String at) throws IOException {
        if (t != JsonToken.START_OBJECT) throw ApiException.bad(at, "must be an object, got " + type(t));
        String id = null;
        double[] rewards = null;
        int[] lengths = Outcome.NO_LENGTHS;
        long step = -1;
        double loss = Double.NaN;
        Map<String, Double> directives = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            t = p.nextToken();
            switch (f) {
                case "taskId" -> id = text(p, t, at, "taskId", true);
                case "rewards" -> rewards = doubles(p, t, at + ".rewards");
                case "tokenLengths" -> lengths = t == JsonToken.VALUE_NULL ? Outcome.NO_LENGTHS : lengths(p, t, at + ".tokenLengths");
                case "step" -> step = step(p, t, at + ".step");
                case "loss" -> loss = finite(p, t, at + ".loss");
                case "directives" -> directives = directives(p, t, at + ".directives");
                default -> throw ApiException.bad(at + "." + f, "unknown field '" + f + "'; known fields: " + OUTCOME_FIELDS);
            }
        }
        if (id == null) throw ApiException.bad(at + ".taskId", "is required (a string)");
        if (rewards == null && Double.isNaN(loss)) throw ApiException.bad(at + ".rewards", "is required (an array; or give a loss)");
        if (rewards == null) rewards = Outcome.NO_REWARDS;
        if (rewards.length == 0 && Double.isNaN(loss)) throw ApiException.bad(at + ".rewards", "must hold at least one reward (or give a loss)");
        if (lengths.length != 0 && lengths.length != rewards.length) {
            throw ApiException.bad(at + ".tokenLengths", "has " + lengths.length + " values for " + rewards.length + " rewards");
        }
        return new Outcome(id, rewards, lengths, step, directives, loss);
    }

    /**
     * A continuous outcome: {@code {"taskId"?: 17, "params"?: {..} | [..], "returns": [..]}}, at least
     * one of taskId and params. Whether the id is a known proposal is the curriculum's check.
     */
    private static ParamOutcome paramOutcome(JsonParser p, JsonToken t, String at, ParameterSpace space) throws IOException {
        if (t != JsonToken.START_OBJECT) throw ApiException.bad(at, "must be an object, got " + type(t));
        long id = ParamOutcome.NO_ID;
        double[] params = null;
        double[] returns = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            t = p.nextToken();
            String path = at + "." + f;
            switch (f) {
                case "taskId" -> id = paramTaskId(p, t, path);
                case "params" -> params = params(p, t, path, space);
                case "returns" -> returns = doubles(p, t, path);
                default -> throw ApiException.bad(path, "unknown field '" + f + "'; known fields: " + PARAM_OUTCOME_FIELDS);
            }
        }
        if (id == ParamOutcome.NO_ID && params == null) {
            throw ApiException.bad(at + ".taskId", "is required (the id of a task from next), unless the outcome gives its params");
        }
        if (returns == null) throw ApiException.bad(at + ".returns", "is required (an array: the return of each episode run on the task)");
        if (returns.length == 0) throw ApiException.bad(at + ".returns", "must hold at least one return");
        return new ParamOutcome(id, params, returns);
    }

    /** A proposal's id: an integer >= 0; null means absent. */
    private static long paramTaskId(JsonParser p, JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) return ParamOutcome.NO_ID;
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw ApiException.bad(path, "must be an integer task id from next, got " + (t.isNumeric() ? p.getText() : type(t)));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
            throw ApiException.bad(path, "must be a task id >= 0 from next, got " + p.getText());
        }
        return p.getLongValue();
    }

    /**
     * A parameter vector in the order of the space's dimensions, from an object by dimension name
     * (every dimension, no other name) or an array in dimension order; each coordinate finite and
     * inside the box (a float32 round trip off the edge is clamped in: {@link ParameterSpace#checked}).
     */
    private static double[] params(JsonParser p, JsonToken t, String path, ParameterSpace space) throws IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        int d = space.dims();
        double[] out = new double[d];
        if (t == JsonToken.START_OBJECT) {
            boolean[] given = new boolean[d];
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String at = path + "." + name;
                int i = space.indexOf(name);
                if (i < 0) throw ApiException.bad(at, "unknown dimension '" + name + "'; dimensions: " + dimNames(space));
                if (given[i]) throw ApiException.bad(at, "is given twice");
                given[i] = true;
                out[i] = coordinate(space, i, finiteNumber(p, p.nextToken(), at), at);
            }
            for (int i = 0; i < d; i++) {
                if (!given[i]) throw ApiException.bad(path + "." + space.name(i), "is required: params must give every dimension of " + dimNames(space));
            }
            return out;
        }
        if (t != JsonToken.START_ARRAY) {
            throw ApiException.bad(path, "must be an object {dimension: value} or an array in the order " + dimNames(space) + ", got " + type(t));
        }
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = path + "[" + n + "]";
            if (n == d) throw ApiException.bad(path, "has more than " + d + " values; the space has " + d + " dimensions " + dimNames(space));
            out[n] = coordinate(space, n, finiteNumber(p, t, at), at);
            n++;
        }
        if (n != d) throw ApiException.bad(path, "has " + n + " values; the space has " + d + " dimensions " + dimNames(space));
        return out;
    }

    private static double coordinate(ParameterSpace space, int i, double v, String at) {
        try {
            return space.checked(i, v, at);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad(at, e.getMessage());
        }
    }

    private static List<String> dimNames(ParameterSpace space) {
        List<String> names = new ArrayList<>(space.dims());
        for (int i = 0; i < space.dims(); i++) names.add(space.name(i));
        return names;
    }

    /** The string field {@code field} of the object at {@code parent}; the path string is built only for an error. */
    private static String text(JsonParser p, JsonToken t, String parent, String field, boolean required) throws IOException {
        if (t == JsonToken.VALUE_STRING && p.getTextLength() <= MAX_ID) {
            String s = p.getText();
            if (Unicode.firstUnpaired(s) < 0) return s;
        }
        return text(p, t, parent + "." + field, required);
    }

    private static String text(JsonParser p, JsonToken t, String path, boolean required) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            if (required) throw ApiException.bad(path, "is required (a string)");
            return null;
        }
        if (t != JsonToken.VALUE_STRING) throw ApiException.bad(path, "must be a string, got " + type(t));
        String s = p.getText();
        if (s.length() > MAX_ID) throw ApiException.bad(path, "is longer than " + MAX_ID + " characters");
        return unicode(s, path);
    }

    /**
     * Every string that enters — ids, groups, batch and request ids, directive names — must be valid
     * Unicode: one with an unpaired surrogate ({@code "\ud800"}) cannot be stored as sent (400).
     */
    static String unicode(String s, String path) {
        String bad = Unicode.problem(s);
        if (bad != null) throw ApiException.bad(path, bad);
        return s;
    }

    private static double[] doubles(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.START_ARRAY) throw ApiException.bad(path, "must be an array, got " + type(t));
        double[] out = new double[16];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS) {
                throw ApiException.bad(path, "holds more than the limit of " + io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS + " items");
            }
            double d = finiteNumber(p, t, path, n);
            if (n == out.length) out = java.util.Arrays.copyOf(out, 2 * n);
            out[n++] = d;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int[] lengths(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.START_ARRAY) throw ApiException.bad(path, "must be an array, got " + type(t));
        int[] out = new int[16];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS) {
                throw ApiException.bad(path, "holds more than the limit of " + io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS + " items");
            }
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                throw ApiException.bad(path + "[" + n + "]", "must be an integer, got " + (t.isNumeric() ? p.getText() : type(t)));
            }
            int v = p.getIntValue();
            if (v < 0) throw ApiException.bad(path + "[" + n + "]", "must be >= 0, got " + v);
            if (n == out.length) out = java.util.Arrays.copyOf(out, 2 * n);
            out[n++] = v;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** A finite number; null means absent (NaN). */
    private static double finite(JsonParser p, JsonToken t, String path) throws IOException {
        return t == JsonToken.VALUE_NULL ? Double.NaN : finiteNumber(p, t, path);
    }

    /** A finite number (null is not one: it says "must be a number, got null"). */
    private static double finiteNumber(JsonParser p, JsonToken t, String path) throws IOException {
        return finiteNumber(p, t, path, -1);
    }

    /** Element {@code index} of the array at {@code path} (-1: the value at {@code path}); the path string is built only for an error. */
    private static double finiteNumber(JsonParser p, JsonToken t, String path, int index) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) throw ApiException.bad(at(path, index), "must be a number, got " + type(t));
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) throw ApiException.bad(at(path, index), "must be finite, got " + p.getText());
        return d;
    }

    private static String at(String path, int index) {
        return index < 0 ? path : path + "[" + index + "]";
    }

    /** An object of finite numbers: the directives the rollouts were generated under. */
    private static Map<String, Double> directives(JsonParser p, JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "must be an object of numbers, got " + type(t));
        Map<String, Double> out = new java.util.TreeMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = unicode(p.currentName(), path);
            if (out.size() == MAX_DIRECTIVES) throw ApiException.bad(path, "holds more than the limit of " + MAX_DIRECTIVES + " directives");
            out.put(name, finite(p, p.nextToken(), path + "." + name));
        }
        return out;
    }

    private static long step(JsonParser p, JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) return -1;
        long v;
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            v = p.getLongValue();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT && p.getDoubleValue() == Math.rint(p.getDoubleValue()) && Math.abs(p.getDoubleValue()) < 9e18) {
            v = (long) p.getDoubleValue();
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
            throw ApiException.bad(path, "must be in [-1, " + Long.MAX_VALUE + "], got " + p.getText());
        } else {
            throw ApiException.bad(path, "must be an integer, got " + (t.isNumeric() ? p.getText() : type(t)));
        }
        if (v < -1) throw ApiException.bad(path, "must be in [-1, " + Long.MAX_VALUE + "], got " + v);
        return v;
    }

    static String type(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }

    private static final Set<String> TASK_FIELDS = Set.of("id", "group", "priorDifficulty", "features", "parent", "kind");

    static TaskSpec task(JsonNode o, String p) {
        if (!o.isObject()) throw ApiException.bad(p, "must be an object, got " + type(o));
        onlyFields(o, p, TASK_FIELDS);
        String id = text(o, p, "id", true);
        if (id.isEmpty()) throw ApiException.bad(p + ".id", "must be a non-empty string");
        String group = text(o, p, "group", false);
        JsonNode d = o.get("priorDifficulty");
        double prior = d == null || d.isNull() ? Double.NaN : number(d, p + ".priorDifficulty");
        JsonNode f = array(o, p, "features", false, io.proxima.core.recipe.CurriculumConfig.MAX_FEATURE_DIM);
        float[] features = TaskSpec.NO_FEATURES;
        if (f != null) {
            features = new float[f.size()];
            for (int k = 0; k < features.length; k++) {
                double x = number(f.get(k), p + ".features[" + k + "]");
                if (!Float.isFinite((float) x)) throw ApiException.bad(p + ".features[" + k + "]", "is out of the float range: " + x);
                features[k] = (float) x;
            }
        }
        String parent = text(o, p, "parent", false);
        String kindName = text(o, p, "kind", false);
        Derivation kind = null;
        if (kindName != null) {
            kind = Derivation.ofKey(kindName);
            if (kind == null) throw ApiException.bad(p + ".kind", "must be one of " + Derivation.keys() + ", got \"" + kindName + "\"");
        }
        if (parent != null && parent.isEmpty()) throw ApiException.bad(p + ".parent", "must be a non-empty task id");
        return new TaskSpec(id, group, prior, features, parent, kind);
    }

    /** A task upload: its tasks and, in the object form, the request id that makes it idempotent. */
    record TaskUpload(List<TaskSpec> tasks, String requestId) {}

    /**
     * Streams a task upload: a JSON array of task objects, or JSONL (one object per line), or an
     * object {@code {"tasks": [...]}}. Only one task object is in memory as a tree at a time.
     */
    static List<TaskSpec> tasks(InputStream body, int maxTasks) {
        return upload(body, maxTasks).tasks();
    }

    /**
     * {@link #tasks}, also reading the object form's {@code "requestId"}:
     * {@code {"tasks": [...], "requestId"?: "..."}}.
     */
    static TaskUpload upload(InputStream body, int maxTasks) {
        List<TaskSpec> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            p.setCodec(STREAM);
            JsonToken t = p.nextToken();
            if (t == null) throw ApiException.bad("body", "the body is empty: a JSON array of tasks or JSONL is expected");
            if (t == JsonToken.START_OBJECT) {
                // either {"tasks": [...]} or the first line of JSONL
                JsonNode first = p.readValueAsTree();
                if (first.has("tasks")) { // a task object has no "tasks" field
                    onlyFields(first, "", Set.of("tasks", "requestId"));
                    JsonNode arr = first.get("tasks");
                    if (!arr.isArray()) throw ApiException.bad("tasks", "must be an array of task objects, got " + type(arr));
                    String requestId = text(first, "", "requestId", false);
                    for (int i = 0; i < arr.size(); i++) add(out, task(arr.get(i), "tasks[" + i + "]"), maxTasks);
                    if (p.nextToken() != null) throw ApiException.bad("body", "unexpected content after the tasks object");
                    return new TaskUpload(out, requestId);
                }
                add(out, task(first, "tasks[0]"), maxTasks);
                while ((t = p.nextToken()) != null) {
                    String path = "tasks[" + out.size() + "]";
                    if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "JSONL line " + p.currentLocation().getLineNr() + " must be a task object, got " + t.asString());
                    add(out, task(p.readValueAsTree(), path), maxTasks);
                }
                return new TaskUpload(out, null);
            }
            if (t != JsonToken.START_ARRAY) throw ApiException.bad("body", "a JSON array of tasks or JSONL is expected, got " + t.asString());
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String path = "tasks[" + out.size() + "]";
                if (t == null) throw ApiException.bad("body", "malformed JSON: the array is not closed");
                if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "must be an object, got " + (t.asString() == null ? t : t.asString()));
                add(out, task(p.readValueAsTree(), path), maxTasks);
            }
            if (p.nextToken() != null) throw ApiException.bad("body", "unexpected content after the tasks array");
            return new TaskUpload(out, null);
        } catch (JsonProcessingException e) {
            throw ApiException.bad("tasks[" + out.size() + "]", "malformed JSON: " + problem(e) + where(e));
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
    }

    private static void add(List<TaskSpec> out, TaskSpec t, int max) {
        if (out.size() >= max) {
            throw new ApiException(413, "tasks", "more than " + max + " tasks in one upload for this server's heap: split the upload or give the server more memory (-Xmx)");
        }
        out.add(t);
    }

    // ------------------------------------------------------------------ writing

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] bytes(Body b) {
        return bytes(256, b);
    }

    /** {@code sizeHint}: the expected length, so a large answer is not copied through a dozen doublings. */
    static byte[] bytes(int sizeHint, Body b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, sizeHint));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            b.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(OutputStream out, Body b) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            b.write(g);
        }
    }

    static void num(JsonGenerator g, String f, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(f, v);
        else g.writeNullField(f);
    }

    static byte[] error(String message, String field) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            if (field != null) g.writeStringField("field", field);
            g.writeEndObject();
        });
    }

    /** The answer to next (written directly: {@link AnswerJson}; the same bytes as the generator's). */
    static byte[] selection(Selection s, String requestId) {
        AnswerJson j = new AnswerJson(64 + 48 * s.tasks().size());
        j.raw("{\"batch\":").number(s.batch());
        if (requestId != null) j.raw(",\"requestId\":").string(requestId);
        j.raw(",\"tasks\":[");
        boolean first = true;
        for (SelectedTask t : s.tasks()) {
            j.raw(first ? "{\"id\":" : ",{\"id\":").string(t.taskId()).raw(",\"rollouts\":").number(t.rollouts());
            first = false;
            if (!t.directives().isEmpty()) {
                j.raw(",\"directives\":{");
                boolean firstDirective = true;
                for (Map.Entry<String, Double> d : t.directives().entrySet()) { // by name (SelectedTask keeps them sorted)
                    if (!firstDirective) j.raw(',');
                    firstDirective = false;
                    j.string(d.getKey()).raw(':').number(d.getValue());
                }
                j.raw('}');
            }
            j.raw('}');
        }
        j.raw(']');
        if (!s.generate().isEmpty()) { // absent when none: answers without generation are as before
            j.raw(",\"generate\":[");
            boolean firstRequest = true;
            for (GenerateRequest r : s.generate()) {
                j.raw(firstRequest ? "{\"from\":" : ",{\"from\":").string(r.from()).raw(",\"kind\":").string(r.kind().key()).raw('}');
                firstRequest = false;
            }
            j.raw(']');
        }
        return j.raw('}').toByteArray();
    }

    /**
     * The answer to next, with {@code "explain": [...]} aligned with {@code tasks} when
     * {@code explain} is not null: per task its group and the group's probability in the draw, the
     * pipeline's pieces, the item policy's and the allocator's own numbers, the rollouts and the pass-rate posterior
     * (docs/api.md). A number a piece does not have (NaN) is null.
     */
    static byte[] selection(Selection s, List<TaskExplanation> explain, String requestId) {
        return bytes(64 + (explain == null ? 48 : 400) * s.tasks().size(), g -> {
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
            if (!s.generate().isEmpty()) {
                g.writeArrayFieldStart("generate");
                for (GenerateRequest r : s.generate()) {
                    g.writeStartObject();
                    g.writeStringField("from", r.from());
                    g.writeStringField("kind", r.kind().key());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (explain != null) {
                g.writeArrayFieldStart("explain");
                for (TaskExplanation e : explain) explanation(g, e);
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void explanation(JsonGenerator g, TaskExplanation e) throws IOException {
        TaskExplanation.Pieces p = e.pieces();
        g.writeStartObject();
        g.writeStringField("id", e.taskId());
        g.writeStringField("group", e.group());
        num(g, "groupProbability", p.groupProbability());
        num(g, "groupScore", p.groupScore());
        g.writeStringField("pipeline", p.pipeline());
        if (!Double.isNaN(p.memberProbability())) num(g, "memberProbability", p.memberProbability());
        g.writeStringField("groupPolicy", p.groupPolicy());
        g.writeBooleanField("shareBound", p.shareBound());
        g.writeStringField("itemPolicy", p.itemPolicy());
        g.writeObjectFieldStart("item");
        for (Map.Entry<String, Double> d : new java.util.TreeMap<>(p.item()).entrySet()) num(g, d.getKey(), d.getValue());
        g.writeEndObject();
        g.writeStringField("filter", p.filter());
        g.writeStringField("allocator", p.allocator());
        g.writeObjectFieldStart("allocation");
        for (Map.Entry<String, Double> d : new java.util.TreeMap<>(p.allocation()).entrySet()) num(g, d.getKey(), d.getValue());
        g.writeEndObject();
        g.writeNumberField("rollouts", e.rollouts());
        g.writeObjectFieldStart("passRate");
        num(g, "mean", e.passRate().mean());
        num(g, "alpha", e.passRate().alpha());
        num(g, "beta", e.passRate().beta());
        g.writeNumberField("tries", e.passRate().tries());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The answer to next on a continuous curriculum: {@code {"requestId"?, "tasks": [{"id", "params": {name: value}}]}}. */
    static byte[] paramTasks(List<ParamTask> tasks, ParameterSpace space, String requestId) {
        return bytes(g -> {
            g.writeStartObject();
            if (requestId != null) g.writeStringField("requestId", requestId);
            g.writeArrayFieldStart("tasks");
            for (ParamTask t : tasks) {
                g.writeStartObject();
                g.writeNumberField("id", t.id());
                g.writeObjectFieldStart("params");
                double[] v = t.params();
                for (int i = 0; i < v.length; i++) g.writeNumberField(space.name(i), v[i]);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The answer to report on a continuous curriculum. */
    static byte[] paramReport(int accepted, int episodes, String batchId) {
        return bytes(g -> {
            g.writeStartObject();
            if (batchId != null) g.writeStringField("batchId", batchId);
            g.writeNumberField("accepted", accepted);
            g.writeNumberField("episodes", episodes);
            g.writeEndObject();
        });
    }

    /** The answer to report (written directly: {@link AnswerJson}; the same bytes as the generator's). */
    static byte[] report(ReportResult r, String batchId) {
        AnswerJson j = new AnswerJson(128 + 112 * r.verdicts().size());
        j.raw('{');
        if (batchId != null) j.raw("\"batchId\":").string(batchId).raw(',');
        j.raw("\"accepted\":").number(r.accepted()).raw(",\"kept\":").number(r.kept()).raw(",\"dropped\":").number(r.dropped())
                .raw(",\"filterBypassed\":").bool(r.filterBypassed());
        int flagged = r.flagged();
        if (flagged > 0) j.raw(",\"flagged\":").number(flagged); // absent when none: such answers are as before
        j.raw(",\"verdicts\":[");
        boolean first = true;
        for (Verdict v : r.verdicts()) {
            j.raw(first ? "{\"taskId\":" : ",{\"taskId\":").string(v.taskId());
            first = false;
            j.raw(",\"passRate\":").number(v.passRate()).raw(",\"meanAbsAdvantage\":").number(v.meanAbsAdvantage())
                    .raw(",\"effective\":").bool(v.effective()).raw(",\"keep\":").bool(v.keep());
            if (v.flag() != null) {
                j.raw(",\"flag\":").string(v.flag().key);
                if (v.flag() == io.proxima.core.outcome.ReportFlag.ROLLOUTS_MISMATCH) j.raw(",\"allotted\":").number(v.allotted());
            }
            j.raw('}');
        }
        return j.raw("]}").toByteArray();
    }

    static void info(JsonGenerator g, Curricula.Info i) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", i.id());
        g.writeStringField("kind", i.kind().key());
        if (i.kind() == Kind.CONTINUOUS) {
            g.writeStringField("teacherType", i.recipe());
            g.writeNumberField("proposed", i.tasks());
        } else {
            g.writeStringField("recipe", i.recipe());
            g.writeNumberField("tasks", i.tasks());
        }
        g.writeNumberField("events", i.events());
        g.writeNumberField("batches", i.batches());
        g.writeFieldName("config");
        g.writeRawValue(i.configJson());
        if (i.recoveryNote() != null) g.writeStringField("recoveryNote", i.recoveryNote());
        g.writeEndObject();
    }

    static byte[] info(Curricula.Info i) {
        return bytes(g -> info(g, i));
    }

    static byte[] stats(String id, CurriculumStats s) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("kind", Kind.DISCRETE.key());
            g.writeStringField("recipe", s.recipe());
            g.writeNumberField("tasks", s.tasks());
            g.writeNumberField("batches", s.batches());
            g.writeNumberField("selections", s.selections());
            g.writeNumberField("reports", s.reports());
            g.writeNumberField("rollouts", s.rollouts());
            num(g, "effectiveRatio", s.effectiveRatio());
            num(g, "lastEffectiveRatio", s.lastEffectiveRatio());
            g.writeArrayFieldStart("groups");
            for (CurriculumStats.Group x : s.groups()) {
                g.writeStartObject();
                g.writeStringField("name", x.name());
                g.writeNumberField("size", x.size());
                g.writeNumberField("selections", x.selections());
                num(g, "selectionShare", x.selectionShare());
                g.writeNumberField("reports", x.reports());
                num(g, "meanPassRate", x.meanPassRate());
                num(g, "meanAbsAdvantage", x.meanAbsAdvantage());
                num(g, "effectiveRatio", x.effectiveRatio());
                num(g, "probability", x.probability());
                num(g, "score", x.score());
                g.writeNumberField("epochs", x.epochs());
                g.writeEndObject();
            }
            g.writeEndArray();
            numbers(g, "teacher", s.teacher());
            g.writeObjectFieldStart("flagged");
            g.writeNumberField(io.proxima.core.outcome.ReportFlag.NOT_SELECTED.key, s.notSelected());
            g.writeNumberField(io.proxima.core.outcome.ReportFlag.ROLLOUTS_MISMATCH.key, s.rolloutsMismatch());
            g.writeEndObject();
            GenerationStats gen = s.generation();
            if (gen != null) { // absent without generation and generated tasks: such stats are as before
                g.writeObjectFieldStart("generation");
                g.writeBooleanField("configured", gen.configured());
                g.writeObjectFieldStart("requested");
                g.writeNumberField(Derivation.SIMPLIFY.key(), gen.simplifyRequested());
                g.writeNumberField(Derivation.VARY.key(), gen.varyRequested());
                g.writeEndObject();
                g.writeNumberField("waiting", gen.waiting());
                g.writeNumberField("linked", gen.linked());
                g.writeNumberField("parents", gen.parents());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    static byte[] continuousStats(String id, ContinuousStats s) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("kind", Kind.CONTINUOUS.key());
            g.writeStringField("teacherType", s.teacher());
            g.writeNumberField("dims", s.dims());
            g.writeNumberField("batches", s.batches());
            g.writeNumberField("proposed", s.proposed());
            g.writeNumberField("reports", s.reports());
            g.writeNumberField("episodes", s.episodes());
            num(g, "meanReturn", s.meanReturn());
            num(g, "lastMeanReturn", s.lastMeanReturn());
            numbers(g, "teacher", s.teacherView());
            g.writeEndObject();
        });
    }

    /** An object of named numbers, keys sorted (NaN → null). */
    private static void numbers(JsonGenerator g, String field, Map<String, Double> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(values).entrySet()) num(g, e.getKey(), e.getValue());
        g.writeEndObject();
    }

    static void checkpoint(JsonGenerator g, Curricula.Checkpoint c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("step", c.step());
        g.writeNumberField("events", c.events());
        g.writeNumberField("bytes", c.bytes());
        g.writeEndObject();
    }

    /** One line of the JSONL log export. */
    static void event(JsonGenerator g, Curricula.LoggedEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeStringField("type", EventCodec.kindName(e.kind()));
        if (e.event() instanceof Event.AddTasks a) {
            g.writeArrayFieldStart("tasks");
            for (TaskSpec t : a.tasks()) {
                g.writeStartObject();
                g.writeStringField("id", t.id());
                if (!t.group().isEmpty()) g.writeStringField("group", t.group());
                if (!Double.isNaN(t.priorDifficulty())) g.writeNumberField("priorDifficulty", t.priorDifficulty());
                if (t.features().length > 0) {
                    g.writeArrayFieldStart("features");
                    for (float f : t.features()) g.writeNumber(f);
                    g.writeEndArray();
                }
                if (t.parent() != null) g.writeStringField("parent", t.parent());
                if (t.derivation() != null) g.writeStringField("kind", t.derivation().key());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (e.key() != null) g.writeStringField("requestId", e.key());
        } else if (e.event() instanceof Event.Next n) {
            g.writeNumberField("n", n.n());
            if (e.key() != null) g.writeStringField("requestId", e.key());
        } else if (e.event() instanceof Event.ParamNext n) {
            g.writeNumberField("n", n.n());
            if (e.key() != null) g.writeStringField("requestId", e.key());
        } else if (e.event() instanceof Event.ParamReport r) {
            // params as arrays in the order of the create line's space.dims: the line can be posted back as a report
            if (e.key() != null) g.writeStringField("batchId", e.key());
            g.writeArrayFieldStart("outcomes");
            for (ParamOutcome o : r.outcomes()) {
                g.writeStartObject();
                if (o.taskId() != ParamOutcome.NO_ID) g.writeNumberField("taskId", o.taskId());
                if (o.params() != null) {
                    g.writeFieldName("params");
                    g.writeArray(o.params(), 0, o.params().length);
                }
                g.writeFieldName("returns");
                g.writeArray(o.returns(), 0, o.returns().length);
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (e.event() instanceof Event.Report r) {
            if (e.key() != null) g.writeStringField("batchId", e.key());
            g.writeArrayFieldStart("outcomes");
            for (Outcome o : r.outcomes()) {
                g.writeStartObject();
                g.writeStringField("taskId", o.taskId());
                g.writeFieldName("rewards");
                g.writeArray(o.rewards(), 0, o.rewards().length);
                if (o.tokenLengths().length > 0) {
                    g.writeFieldName("tokenLengths");
                    g.writeArray(o.tokenLengths(), 0, o.tokenLengths().length);
                }
                if (o.step() >= 0) g.writeNumberField("step", o.step());
                if (o.hasLoss()) g.writeNumberField("loss", o.loss());
                if (!o.directives().isEmpty()) {
                    g.writeObjectFieldStart("directives");
                    for (Map.Entry<String, Double> d : o.directives().entrySet()) g.writeNumberField(d.getKey(), d.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
