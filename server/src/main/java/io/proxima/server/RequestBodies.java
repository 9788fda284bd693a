package io.proxima.server;

import io.javalin.http.Context;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * Opens request bodies, bounding what slow ones may hold ({@link HttpLimits}).
 *
 * <p>A body that has fully arrived when its handler opens it (declared length, all of it already
 * buffered) is read without waiting and needs nothing. Any other body may make the handler wait
 * for bytes: it needs one of {@code maxWaitingBodies} slots, released when the request ends
 * ({@link #release}); with none free the request is refused at once with 503 and
 * {@code Retry-After} (no byte read, the connection closed), so clients that trickle bodies hold at
 * most that many threads and everything else keeps being answered. A body that takes longer than
 * {@link HttpLimits#allowedMillis} for what it has sent, or pauses longer than the body timeout
 * (the connection's idle timeout while such a body is read), is refused with 408 on field {@code body}.
 */
final class RequestBodies {
    private static final String SLOT = "proxima.bodySlot";
    /** The connection's idle timeout before a waiting body shortened it. */
    private static final String IDLE = "proxima.keepAliveIdle";

    private final Semaphore slots;
    private final HttpLimits limits;

    RequestBodies(HttpLimits limits) {
        this.slots = new Semaphore(limits.maxWaitingBodies());
        this.limits = limits;
    }

    /** The body, at most {@code limit} bytes (413 beyond, before reading if the declared length says so). */
    InputStream open(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw LimitedInputStream.tooLarge(limit);
        InputStream in;
        int buffered;
        try {
            in = ctx.req().getInputStream();
            buffered = declared > 0 ? in.available() : 0; // never blocks: what Jetty has already received
        } catch (IOException e) {
            throw ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }
        if (declared != 0 && (declared < 0 || buffered < declared) && ctx.attribute(SLOT) == null) {
            if (!slots.tryAcquire()) {
                ctx.header("Retry-After", "1");
                ctx.header("Connection", "close");
                throw new ApiException(503, "body", "the server is waiting on " + limits.maxWaitingBodies()
                        + " request bodies that are still arriving; retry in a moment");
            }
            ctx.attribute(SLOT, Boolean.TRUE);
            waitAtMost(ctx, limits.bodyTimeoutMillis());
        }
        return new LimitedInputStream(new Timed(in, limits), limit);
    }

    /** Frees the request's slot, if it took one (called once the request is answered). */
    void release(Context ctx) {
        if (ctx.attribute(SLOT) != null) {
            ctx.attribute(SLOT, null);
            slots.release();
            Long keepAlive = ctx.attribute(IDLE);
            if (keepAlive != null) {
                ctx.attribute(IDLE, null);
                org.eclipse.jetty.io.EndPoint end = endPoint(ctx);
                if (end != null) end.setIdleTimeout(keepAlive);
            }
        }
    }

    /**
     * Makes a read of this request's body wait at most {@code millis} for its next bytes (Jetty's
     * idle timeout of the connection, the keep-alive one put back by {@link #release}). Only bodies
     * that may wait pay for it: changing a connection's idle timeout reschedules its idle check.
     */
    private static void waitAtMost(Context ctx, long millis) {
        org.eclipse.jetty.io.EndPoint end = endPoint(ctx);
        if (end == null || (end.getIdleTimeout() > 0 && end.getIdleTimeout() <= millis)) return;
        ctx.attribute(IDLE, end.getIdleTimeout());
        end.setIdleTimeout(millis);
    }

    private static org.eclipse.jetty.io.EndPoint endPoint(Context ctx) {
        org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(ctx.req());
        return base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getEndPoint();
    }

    /** Slots free now (tests). */
    int freeSlots() {
        return slots.availablePermits();
    }

    /**
     * Checks the body's time allowance after every read, and turns Jetty's idle timeout of a read
     * into the same 408 naming the body.
     */
    private static final class Timed extends FilterInputStream {
        private final HttpLimits limits;
        private final long start = System.nanoTime();
        private long received;

        Timed(InputStream in, HttpLimits limits) {
            super(in);
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException | RuntimeException e) {
                throw translate(e, limits);
            }
            if (b >= 0) progress(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(buf, off, len);
            } catch (IOException | RuntimeException e) {
                throw translate(e, limits);
            }
            if (n > 0) progress(n);
            return n;
        }

        private void progress(int n) {
            received += n;
            long took = (System.nanoTime() - start) / 1_000_000;
            if (took > limits.allowedMillis(received)) {
                throw new ApiException(408, "body", "the body arrives too slowly: " + received + " bytes in " + took + " ms (a body may take "
                        + limits.bodyTimeoutMillis() + " ms plus 1 s per " + limits.minBodyBytesPerSecond() + " bytes)");
            }
        }

        private static RuntimeException translate(Exception e, HttpLimits limits) {
            if (e instanceof ApiException a) return a;
            if (isTimeout(e)) {
                return new ApiException(408, "body", "no byte of the body arrived for " + limits.bodyTimeoutMillis() + " ms");
            }
            if (e instanceof RuntimeException r) return r;
            return ApiException.bad("body", "cannot read the body: " + e.getMessage());
        }

        private static boolean isTimeout(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) return true;
            }
            return false;
        }
    }
}
