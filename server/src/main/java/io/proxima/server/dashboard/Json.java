package io.proxima.server.dashboard;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON writing helpers of the dashboard's answers: NaN and infinities are written as null (JSON has no NaN). */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {}

    static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void num(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumber(v);
        else g.writeNull();
    }

    static void num(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        num(g, v);
    }

    static void numbers(JsonGenerator g, String field, Map<String, Double> m) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Double> e : m.entrySet()) num(g, e.getKey(), e.getValue() == null ? Double.NaN : e.getValue());
        g.writeEndObject();
    }

    static void longs(JsonGenerator g, String field, long[] a) throws IOException {
        g.writeArrayFieldStart(field);
        for (long v : a) g.writeNumber(v);
        g.writeEndArray();
    }
}
