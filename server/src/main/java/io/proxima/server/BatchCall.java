package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * {@code POST /v1/batch}: many trainer calls, on many curricula, in one request (an actor fleet).
 *
 * <p>Body {@code {"requests": [{"curriculum": id, "op": "next" | "report" | "step", "body": {...}}, ...]}}
 * (at most {@link #MAX_ITEMS}); answer {@code {"responses": [{"status", "replayed"?, "body"}, ...]}},
 * one per item, in order, each the very answer (or JSON error) the item's own route would give.
 * Each item is its own call: atomic, durable and idempotent on its own, exactly as if sent alone;
 * one item's refusal neither undoes nor stops the others. Items on one curriculum run in the
 * order given; items on different curricula run in parallel (with {@code --durability group} they
 * share commits). A malformed envelope refuses the whole request (400) before any item runs.
 */
final class BatchCall {
    /** Most items in one batch. */
    static final int MAX_ITEMS = 1024;
    private static final Set<String> ITEM_FIELDS = new java.util.TreeSet<>(Set.of("curriculum", "op", "body"));
    private static final Set<String> OPS = new java.util.TreeSet<>(Set.of("next", "report", "step"));

    /** One item: the curriculum as sent and as stored, the op, the body. */
    private record Item(String curriculum, String stored, String op, byte[] body) {}
    /**
     * Writes an item's body for its own route to read, every non-ASCII character escaped: a string
     * that is not valid Unicode (a lone surrogate) reaches the route's own check as the escape it
     * was sent as, instead of turning into '?' in UTF-8 (a batch id "x\ud800y" stored as "x?y").
     */
    private static final com.fasterxml.jackson.databind.ObjectWriter ITEM_BODY =
            Codec.MAPPER.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    private final TrainerCalls calls;
    private final ExecutorService pool;
    private final Namespace namespace;
    private final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchCall.class);

    BatchCall(TrainerCalls calls, ExecutorService pool, Namespace namespace) {
        this.calls = calls;
        this.pool = pool;
        this.namespace = namespace;
    }

    /** Runs a batch; each item's curriculum is in the caller's namespace ({@link Namespace}), as on its own route. */
    byte[] run(io.javalin.http.Context ctx, InputStream in) throws InterruptedException {
        JsonNode body = Codec.object(in);
        Codec.onlyFields(body, "", Set.of("requests"));
        JsonNode requests = Codec.array(body, "", "requests", true, MAX_ITEMS);
        List<Item> items = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Item it = item(requests.get(i), "requests[" + i + "]");
            items.add(new Item(it.curriculum(), namespace.internal(ctx, it.curriculum()), it.op(), it.body()));
        }
        ctx.attribute(Namespace.INTERNAL, null); // an item's id is no id of the whole request
        byte[][] answers = new byte[items.size()][];
        // one task per curriculum, its items in order
        Map<String, List<Integer>> byCurriculum = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) byCurriculum.computeIfAbsent(items.get(i).stored(), k -> new ArrayList<>()).add(i);
        List<Future<?>> running = new ArrayList<>();
        for (List<Integer> order : byCurriculum.values()) {
            Runnable task = () -> {
                for (int i : order) answers[i] = answer(items.get(i));
            };
            if (byCurriculum.size() == 1) task.run();
            else running.add(pool.submit(task));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a batch item failed outside its own answer", e.getCause());
            }
        }
        return Codec.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("responses");
            for (byte[] a : answers) g.writeRawValue(new String(a, StandardCharsets.UTF_8));
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Checks one item's envelope (the whole batch is refused if one is malformed). */
    private static Item item(JsonNode n, String at) {
        if (!n.isObject()) throw ApiException.bad(at, "must be an object {\"curriculum\", \"op\", \"body\"}, got " + Codec.type(n));
        Codec.onlyFields(n, at, ITEM_FIELDS);
        String curriculum = Codec.text(n, at, "curriculum", true);
        String op = Codec.text(n, at, "op", true);
        if (!OPS.contains(op)) throw ApiException.bad(at + ".op", "must be one of " + OPS + ", got '" + op + "'");
        JsonNode body = n.get("body");
        if (body == null || !body.isObject()) throw ApiException.bad(at + ".body", "must be the object the op's own route takes, got " + (body == null ? "nothing" : Codec.type(body)));
        try {
            return new Item(curriculum, curriculum, op, ITEM_BODY.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.bad(at + ".body", "cannot be read back: " + e.getOriginalMessage());
        }
    }

    /** One item's answer object: {"status", "replayed"?, "body"}. */
    private byte[] answer(Item item) {
        int status;
        boolean replayed = false;
        byte[] body;
        try {
            InputStream in = new ByteArrayInputStream(item.body());
            TrainerCalls.Answer a = switch (item.op()) {
                case "next" -> calls.next(item.stored(), in);
                case "report" -> calls.report(item.stored(), in);
                default -> calls.step(item.stored(), in);
            };
            status = 200;
            replayed = a.replayed();
            body = a.body();
        } catch (Exception e) {
            Refusal r = Refusal.of(e).renamed(item.stored(), item.curriculum());
            if (r.unexpected()) log.error("batch item {} on '{}' failed", item.op(), item.stored(), e);
            status = r.status();
            body = r.json();
        }
        int s = status;
        boolean rep = replayed;
        byte[] b = body;
        return Codec.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("status", s);
            if (rep) g.writeBooleanField("replayed", true);
            g.writeFieldName("body");
            g.writeRawValue(new String(b, StandardCharsets.UTF_8));
            g.writeEndObject();
        });
    }
}
