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
import io.proxima.core.outcome.Outcome;
import io.proxima.core.outcome.ReportResult;
import io.proxima.core.outcome.SelectedTask;
import io.proxima.core.outcome.Selection;
import io.proxima.core.outcome.Verdict;
import io.proxima.core.space.TaskSpec;
import io.proxima.store.Curricula;
import io.proxima.store.Event;
import io.proxima.store.EventCodec;

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
            throw ApiException.bad("body", "malformed JSON: " + e.getOriginalMessage() + where(e));
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
        if (n == null || n.isMissingNode()) throw ApiException.bad("body", "the body is empty: a JSON object is expected");
        if (!n.isObject()) throw ApiException.bad("body", "a JSON object is expected, got " + type(n));
        return n;
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
        return s;
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

    /** A report body: the optional batch id and the outcomes. */
    record ReportRequest(String batchId, List<Outcome> outcomes) {}

    private static final Set<String> REPORT_FIELDS = Set.of("batchId", "outcomes");
    private static final Set<String> OUTCOME_FIELDS = new java.util.TreeSet<>(Set.of("taskId", "rewards", "tokenLengths", "step", "loss", "directives"));
    /** Most directives one outcome may carry. */
    private static final int MAX_DIRECTIVES = 64;

    /**
     * Reads a report body as a token stream (no tree: a report of 256 × 8 rewards is ~2 300 values),
     * with the same strictness and field paths as every other body.
     */
    static ReportRequest reportRequest(InputStream body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) throw ApiException.bad("body", "the body is empty: a JSON object is expected");
            if (t != JsonToken.START_OBJECT) throw ApiException.bad("body", "a JSON object is expected, got " + type(t));
            String batchId = null;
            List<Outcome> outcomes = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                t = p.nextToken();
                switch (f) {
                    case "batchId" -> batchId = text(p, t, "batchId", false);
                    case "outcomes" -> outcomes = outcomes(p, t);
                    default -> throw ApiException.bad(f, "unknown field '" + f + "'; known fields: " + REPORT_FIELDS);
                }
            }
            if (p.nextToken() != null) throw ApiException.bad("body", "malformed JSON: unexpected content after the object");
            if (outcomes == null) throw ApiException.bad("outcomes", "is required (an array)");
            return new ReportRequest(batchId, outcomes);
        } catch (JsonProcessingException e) {
            throw ApiException.bad("body", "malformed JSON: " + e.getOriginalMessage() + where(e));
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
    }

    /** The outcomes of an already-parsed report (or logged report event). */
    static List<Outcome> outcomes(JsonNode body) {
        JsonNode arr = body.get("outcomes");
        if (arr == null || arr.isNull()) throw ApiException.bad("outcomes", "is required (an array)");
        try (JsonParser p = MAPPER.treeAsTokens(arr)) {
            return outcomes(p, p.nextToken());
        } catch (IOException e) {
            throw ApiException.bad("outcomes", e.getMessage());
        }
    }

    private static List<Outcome> outcomes(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) throw ApiException.bad("outcomes", "must be an array, got " + type(t));
        List<Outcome> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (out.size() == ServerOptions.MAX_BATCH) {
                throw ApiException.bad("outcomes", "holds more than the limit of " + ServerOptions.MAX_BATCH + " outcomes");
            }
            out.add(outcome(p, t, "outcomes[" + out.size() + "]"));
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
            String path = at + "." + f;
            switch (f) {
                case "taskId" -> id = text(p, t, path, true);
                case "rewards" -> rewards = doubles(p, t, path);
                case "tokenLengths" -> lengths = t == JsonToken.VALUE_NULL ? Outcome.NO_LENGTHS : lengths(p, t, path);
                case "step" -> step = step(p, t, path);
                case "loss" -> loss = finite(p, t, path);
                case "directives" -> directives = directives(p, t, path);
                default -> throw ApiException.bad(path, "unknown field '" + f + "'; known fields: " + OUTCOME_FIELDS);
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

    private static String text(JsonParser p, JsonToken t, String path, boolean required) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            if (required) throw ApiException.bad(path, "is required (a string)");
            return null;
        }
        if (t != JsonToken.VALUE_STRING) throw ApiException.bad(path, "must be a string, got " + type(t));
        String s = p.getText();
        if (s.length() > MAX_ID) throw ApiException.bad(path, "is longer than " + MAX_ID + " characters");
        return s;
    }

    private static double[] doubles(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.START_ARRAY) throw ApiException.bad(path, "must be an array, got " + type(t));
        double[] out = new double[16];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = path + "[" + n + "]";
            if (n == io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS) {
                throw ApiException.bad(path, "holds more than the limit of " + io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS + " items");
            }
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) throw ApiException.bad(at, "must be a number, got " + type(t));
            double d = p.getDoubleValue();
            if (!Double.isFinite(d)) throw ApiException.bad(at, "must be finite, got " + p.getText());
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
            String at = path + "[" + n + "]";
            if (n == io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS) {
                throw ApiException.bad(path, "holds more than the limit of " + io.proxima.core.recipe.CurriculumConfig.MAX_ROLLOUTS + " items");
            }
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                throw ApiException.bad(at, "must be an integer, got " + (t.isNumeric() ? p.getText() : type(t)));
            }
            int v = p.getIntValue();
            if (v < 0) throw ApiException.bad(at, "must be >= 0, got " + v);
            if (n == out.length) out = java.util.Arrays.copyOf(out, 2 * n);
            out[n++] = v;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** A finite number; null means absent (NaN). */
    private static double finite(JsonParser p, JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) return Double.NaN;
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) throw ApiException.bad(path, "must be a number, got " + type(t));
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) throw ApiException.bad(path, "must be finite, got " + p.getText());
        return d;
    }

    /** An object of finite numbers: the directives the rollouts were generated under. */
    private static Map<String, Double> directives(JsonParser p, JsonToken t, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "must be an object of numbers, got " + type(t));
        Map<String, Double> out = new java.util.TreeMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
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

    private static final Set<String> TASK_FIELDS = Set.of("id", "group", "priorDifficulty", "features");

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
        return new TaskSpec(id, group, prior, features);
    }

    /**
     * Streams a task upload: a JSON array of task objects, or JSONL (one object per line), or an
     * object {@code {"tasks": [...]}}. Only one task object is in memory as a tree at a time.
     */
    static List<TaskSpec> tasks(InputStream body, int maxTasks) {
        List<TaskSpec> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            p.setCodec(STREAM);
            JsonToken t = p.nextToken();
            if (t == null) throw ApiException.bad("body", "the body is empty: a JSON array of tasks or JSONL is expected");
            if (t == JsonToken.START_OBJECT) {
                // either {"tasks": [...]} or the first line of JSONL
                JsonNode first = p.readValueAsTree();
                if (first.size() == 1 && first.has("tasks") && first.get("tasks").isArray()) {
                    JsonNode arr = first.get("tasks");
                    for (int i = 0; i < arr.size(); i++) add(out, task(arr.get(i), "tasks[" + i + "]"), maxTasks);
                    if (p.nextToken() != null) throw ApiException.bad("body", "unexpected content after the tasks object");
                    return out;
                }
                add(out, task(first, "tasks[0]"), maxTasks);
                while ((t = p.nextToken()) != null) {
                    String path = "tasks[" + out.size() + "]";
                    if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "JSONL line " + p.currentLocation().getLineNr() + " must be a task object, got " + t.asString());
                    add(out, task(p.readValueAsTree(), path), maxTasks);
                }
                return out;
            }
            if (t != JsonToken.START_ARRAY) throw ApiException.bad("body", "a JSON array of tasks or JSONL is expected, got " + t.asString());
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String path = "tasks[" + out.size() + "]";
                if (t == null) throw ApiException.bad("body", "malformed JSON: the array is not closed");
                if (t != JsonToken.START_OBJECT) throw ApiException.bad(path, "must be an object, got " + (t.asString() == null ? t : t.asString()));
                add(out, task(p.readValueAsTree(), path), maxTasks);
            }
            if (p.nextToken() != null) throw ApiException.bad("body", "unexpected content after the tasks array");
            return out;
        } catch (JsonProcessingException e) {
            throw ApiException.bad("tasks[" + out.size() + "]", "malformed JSON: " + e.getOriginalMessage() + where(e));
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
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

    static byte[] selection(Selection s, String requestId) {
        return bytes(g -> {
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

    static byte[] report(ReportResult r, String batchId) {
        return bytes(g -> {
            g.writeStartObject();
            if (batchId != null) g.writeStringField("batchId", batchId);
            g.writeNumberField("accepted", r.accepted());
            g.writeNumberField("kept", r.kept());
            g.writeNumberField("dropped", r.dropped());
            g.writeBooleanField("filterBypassed", r.filterBypassed());
            g.writeArrayFieldStart("verdicts");
            for (Verdict v : r.verdicts()) {
                g.writeStartObject();
                g.writeStringField("taskId", v.taskId());
                num(g, "passRate", v.passRate());
                num(g, "meanAbsAdvantage", v.meanAbsAdvantage());
                g.writeBooleanField("effective", v.effective());
                g.writeBooleanField("keep", v.keep());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static void info(JsonGenerator g, Curricula.Info i) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", i.id());
        g.writeStringField("recipe", i.recipe());
        g.writeNumberField("tasks", i.tasks());
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
            g.writeObjectFieldStart("teacher");
            for (Map.Entry<String, Double> e : new java.util.TreeMap<>(s.teacher()).entrySet()) num(g, e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeEndObject();
        });
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
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (e.event() instanceof Event.Next n) {
            g.writeNumberField("n", n.n());
            if (e.key() != null) g.writeStringField("requestId", e.key());
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
