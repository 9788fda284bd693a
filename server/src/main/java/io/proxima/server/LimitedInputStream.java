package io.proxima.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most {@code limit} bytes; one more is a 413 naming the limit. */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) count(n);
        return n;
    }

    long bytesRead() {
        return read;
    }

    private void count(int n) {
        read += n;
        if (read > limit) throw tooLarge(limit);
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "body", "request body exceeds the limit of " + limit + " bytes");
    }
}
