package io.proxima.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Jetty's own refusals — those made before a request reaches a route: a URI or header block too
 * large (414, 431), a malformed request line, URI escape or Content-Length (400) — answered in
 * the documented error shape {@code {"error", "field"}} instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Refusals of the HTTP parser (the request never got a handler). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(Codec.error(message(status, reason), field(status, reason)));
    }

    /** Errors Jetty raises past the parser (e.g. an ambiguous path), written where its HTML page would be. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
            throws IOException {
        // Jetty passes no message for some refusals (an undecodable path); its exception has the reason
        if ((message == null || message.isBlank()) && request.getAttribute("jakarta.servlet.error.exception") instanceof Throwable t) {
            message = t instanceof org.eclipse.jetty.http.BadMessageException b ? b.getReason() : t.getMessage();
        }
        byte[] body = Codec.error(message(code, message), field(code, message));
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String message(int status, String reason) {
        String what = HttpStatus.getMessage(status);
        // the HTTP parser gives no reason for a request line, %-escape or header it cannot read
        if (status == 400 && (reason == null || reason.isBlank())) return what + ": the request line (e.g. a %-escape of the path) or a header cannot be parsed";
        return reason == null || reason.isBlank() || reason.equals(what) ? what : what + ": " + reason;
    }

    /** Which part of the request was refused, as far as the status and Jetty's reason tell. */
    static String field(int status, String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (status == 414 || r.contains("uri") || r.contains("path") || r.contains("encoding") || r.contains("escape")) return "path";
        if (status == 431 || r.contains("header")) return r.contains("content-length") ? "Content-Length" : "headers";
        if (r.contains("content-length") || r.contains("content length")) return "Content-Length";
        if (status == 408 || status == 413 || r.contains("content")) return "body";
        return "request";
    }
}
