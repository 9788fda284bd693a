package io.proxima.server;

import io.proxima.store.ConflictException;
import io.proxima.store.NotFoundException;
import io.proxima.store.StoreFailedException;

/**
 * How an exception is answered: status, field and message of the JSON error. One mapping for a
 * whole request ({@link ProximaServer}) and for each item of a batch ({@link BatchCall}).
 *
 * @param unexpected a 500: logged with its stack
 */
record Refusal(int status, String field, String message, boolean unexpected) {

    static Refusal of(Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof ApiException a) return new Refusal(a.status(), a.field(), msg, false);
        if (e instanceof NotFoundException n) return new Refusal(404, n.field(), msg, false);
        if (e instanceof ConflictException c) return new Refusal(409, c.field(), msg, false);
        if (e instanceof StoreFailedException) return new Refusal(503, null, msg, false);
        if (e instanceof org.eclipse.jetty.http.BadMessageException b) return new Refusal(b.getCode(), "body", msg, false);
        if (e instanceof io.javalin.http.HttpResponseException h) return new Refusal(h.getStatus(), h.getStatus() == 413 ? "body" : null, msg, false);
        if (e instanceof IllegalArgumentException) return new Refusal(400, null, msg, false);
        return new Refusal(500, null, "internal error: " + msg, true);
    }

    /** The same refusal with the quoted id {@code 'from'} shown as {@code 'to'} (a stored id as its caller knows it). */
    Refusal renamed(String from, String to) {
        if (from.equals(to)) return this;
        return new Refusal(status, field, message.replace("'" + from + "'", "'" + to + "'"), unexpected);
    }

    byte[] json() {
        return Codec.error(message, field);
    }
}
