package io.proxima.cli;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request handed to a partition's server inside the JVM ({@link io.proxima.server.ProximaServer#serve})
 * instead of over a loopback connection: the front's request as the partition server must see it.
 *
 * <p>{@link Request} is the client's request, or one the front makes of it (a part of a batch, a
 * partition's list), with attributes of its own — the partition server keeps per-request state in
 * attributes, and parts of one client request run side by side — and, where the front has read the
 * body already, that body. {@link Captured} collects a partition's answer that the front merges
 * (lists, batch parts) rather than passes on as it is.
 */
final class LocalExchange {
    private LocalExchange() {}

    /** The client's request, or a request the front derives from it, for a partition server. */
    static final class Request extends HttpServletRequestWrapper {
        private final String method;
        private final String uri;
        private final String query;
        private final byte[] body;
        private final Map<String, Object> attributes = new HashMap<>();

        /**
         * @param method null: the client's
         * @param uri the path; null: the client's (then {@code query} is ignored and the client's used)
         * @param body null: the client's body stream, as it is
         */
        Request(HttpServletRequest client, String method, String uri, String query, byte[] body) {
            super(client);
            this.method = method;
            this.uri = uri;
            this.query = uri == null ? client.getQueryString() : query;
            this.body = body;
        }

        /** The client's request as it is, with {@code body} in place of its stream if the front has read it (null: not). */
        static Request of(HttpServletRequest client, byte[] body) {
            return new Request(client, null, null, null, body);
        }

        @Override
        public String getMethod() {
            return method != null ? method : super.getMethod();
        }

        @Override
        public String getRequestURI() {
            return uri != null ? uri : super.getRequestURI();
        }

        @Override
        public StringBuffer getRequestURL() {
            if (uri == null) return super.getRequestURL();
            StringBuffer b = super.getRequestURL();
            String full = b.toString();
            int path = full.indexOf('/', full.indexOf("//") + 2);
            return new StringBuffer(path < 0 ? full : full.substring(0, path)).append(uri);
        }

        @Override
        public String getPathInfo() {
            return uri != null ? uri : super.getPathInfo();
        }

        @Override
        public String getServletPath() {
            return uri != null ? "" : super.getServletPath();
        }

        @Override
        public String getQueryString() {
            return query;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            return body == null ? super.getInputStream() : new Bytes(body);
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            return body == null ? super.getReader()
                    : new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body == null ? super.getContentLength() : body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body == null ? super.getContentLengthLong() : body.length;
        }

        @Override
        public String getHeader(String name) {
            if (body != null && name.equalsIgnoreCase("Content-Length")) return Integer.toString(body.length);
            if (body != null && name.equalsIgnoreCase("Transfer-Encoding")) return null;
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String h = getHeader(name);
            if (body != null && (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding"))) {
                return Collections.enumeration(h == null ? List.of() : List.of(h));
            }
            return super.getHeaders(name);
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.enumeration(List.copyOf(attributes.keySet()));
        }

        @Override
        public void setAttribute(String name, Object o) {
            if (o == null) attributes.remove(name);
            else attributes.put(name, o);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public boolean isAsyncSupported() {
            return false; // the partition server answers on the calling thread
        }
    }

    /** A body the front has read, as a servlet stream. */
    private static final class Bytes extends ServletInputStream {
        private final ByteArrayInputStream in;

        Bytes(byte[] b) {
            this.in = new ByteArrayInputStream(b);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public int available() {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener l) {
            throw new IllegalStateException("a body read in memory is not read asynchronously");
        }
    }

    /** A partition server's answer, kept in memory: status, headers, body. */
    static final class Captured extends HttpServletResponseWrapper {
        private int status = 200;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String contentType;
        private String encoding = "utf-8";
        private PrintWriter writer;
        private final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                body.write(b, off, len);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {
                throw new IllegalStateException("an answer kept in memory is not written asynchronously");
            }
        };

        Captured(HttpServletResponse client) {
            super(client);
        }

        int status() {
            return status;
        }

        byte[] body() {
            if (writer != null) writer.flush();
            return body.toByteArray();
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public void sendRedirect(String location) {
            status = 302;
            headers.put("Location", location);
        }

        @Override
        public void setHeader(String name, String value) {
            if (value == null) headers.remove(name);
            else headers.put(name, value);
            if (name.equalsIgnoreCase("Content-Type")) contentType = value;
        }

        @Override
        public void addHeader(String name, String value) {
            headers.putIfAbsent(name, value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            setHeader(name, Integer.toString(value));
        }

        @Override
        public void addIntHeader(String name, int value) {
            addHeader(name, Integer.toString(value));
        }

        @Override
        public void setDateHeader(String name, long date) {
            setHeader(name, Long.toString(date));
        }

        @Override
        public void addDateHeader(String name, long date) {
            addHeader(name, Long.toString(date));
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            String h = headers.get(name);
            return h == null ? List.of() : List.of(h);
        }

        @Override
        public Collection<String> getHeaderNames() {
            return List.copyOf(headers.keySet());
        }

        @Override
        public void setContentType(String type) {
            contentType = type;
            if (type == null) headers.remove("Content-Type");
            else headers.put("Content-Type", type);
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public void setCharacterEncoding(String charset) {
            if (charset != null) encoding = charset;
        }

        @Override
        public String getCharacterEncoding() {
            return encoding;
        }

        @Override
        public void setContentLength(int len) {
            // the body in memory has its own length
        }

        @Override
        public void setContentLengthLong(long len) {
            // the body in memory has its own length
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) writer = new PrintWriter(new OutputStreamWriter(body, java.nio.charset.Charset.forName(encoding)), false);
            return writer;
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void flushBuffer() {
            // nothing goes out: the front reads the body when the call returns
        }

        @Override
        public void reset() {
            status = 200;
            headers.clear();
            body.reset();
        }

        @Override
        public void resetBuffer() {
            body.reset();
        }

        @Override
        public void setBufferSize(int size) {
            // unbuffered: everything is kept
        }

        @Override
        public int getBufferSize() {
            return Integer.MAX_VALUE;
        }
    }
}
