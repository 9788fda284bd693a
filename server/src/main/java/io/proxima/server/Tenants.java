package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxima.store.Curricula;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The token file of {@code --tokens} (docs/api.md, "Tenants"): each bearer token names its
 * caller's tenant, and an {@code admin} token sees every tenant's curricula. Either JSON
 * ({@code {"tokens": [{"token", "tenant", "admin"?}]}} or that array alone) or one
 * {@code token tenant [admin]} per line ({@code #} comments and blank lines skipped).
 *
 * <p>Refused whole, naming the line or entry, on anything it cannot read exactly: a malformed
 * entry, an empty or non-ASCII token, a duplicate token, a tenant name outside
 * {@link Curricula#TENANT} (so the separator of stored ids never occurs in one), no token at all.
 */
public final class Tenants {
    /** Who called: their tenant and whether they are an admin. */
    public record Caller(String tenant, boolean admin) {}

    private record Entry(byte[] token, Caller caller) {}

    private final List<Entry> entries;
    private final SortedSet<String> names;

    private Tenants(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        TreeSet<String> n = new TreeSet<>();
        for (Entry e : entries) n.add(e.caller().tenant());
        this.names = Collections.unmodifiableSortedSet(n);
    }

    /** Reads a token file; an {@link IllegalArgumentException} with one readable line when it cannot be used. */
    public static Tenants read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("token file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(text, "token file " + file);
    }

    /** Parses a token file's text; {@code source} names it in errors. */
    public static Tenants parse(String text, String source) {
        String t = text.strip();
        List<Entry> entries = t.startsWith("{") || t.startsWith("[") ? json(t, source) : lines(text, source);
        if (entries.isEmpty()) throw new IllegalArgumentException(source + ": holds no token");
        Set<String> seen = new HashSet<>();
        for (Entry e : entries) {
            if (!seen.add(new String(e.token(), StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException(source + ": a token is given twice (each token must name one tenant)");
            }
        }
        return new Tenants(entries);
    }

    private static List<Entry> lines(String text, String source) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String at = source + ": line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length < 2 || f.length > 3) throw new IllegalArgumentException(at + ": expected 'token tenant [admin]', got " + f.length + " fields");
            if (f.length == 3 && !f[2].equals("admin")) throw new IllegalArgumentException(at + ": the third field may only be 'admin', got '" + f[2] + "'");
            out.add(entry(f[0], f[1], f.length == 3, at));
        }
        return out;
    }

    private static List<Entry> json(String text, String source) {
        JsonNode root;
        try {
            root = Codec.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        JsonNode list = root;
        if (root.isObject()) {
            Set<String> fields = new TreeSet<>();
            root.fieldNames().forEachRemaining(fields::add);
            if (!fields.equals(Set.of("tokens"))) throw new IllegalArgumentException(source + ": expected {\"tokens\": [...]}, got fields " + fields);
            list = root.get("tokens");
        }
        if (!list.isArray()) throw new IllegalArgumentException(source + ": tokens must be an array of {\"token\", \"tenant\", \"admin\"?}");
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = source + ": tokens[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) throw new IllegalArgumentException(at + ": must be an object {\"token\", \"tenant\", \"admin\"?}");
            Set<String> fields = new TreeSet<>();
            n.fieldNames().forEachRemaining(fields::add);
            fields.removeAll(Set.of("token", "tenant", "admin"));
            if (!fields.isEmpty()) throw new IllegalArgumentException(at + ": unknown fields " + fields + " (known: token, tenant, admin)");
            JsonNode token = n.get("token");
            JsonNode tenant = n.get("tenant");
            JsonNode admin = n.get("admin");
            if (token == null || !token.isTextual()) throw new IllegalArgumentException(at + ".token: must be a string");
            if (tenant == null || !tenant.isTextual()) throw new IllegalArgumentException(at + ".tenant: must be a string");
            if (admin != null && !admin.isBoolean()) throw new IllegalArgumentException(at + ".admin: must be true or false");
            out.add(entry(token.asText(), tenant.asText(), admin != null && admin.asBoolean(), at));
        }
        return out;
    }

    private static Entry entry(String token, String tenant, boolean admin, String at) {
        try {
            ServerOptions.checkToken(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
        if (!Curricula.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(at + ": tenant must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit, got '"
                    + (tenant.length() > 40 ? tenant.substring(0, 40) + "…" : tenant) + "'");
        }
        return new Entry(token.getBytes(StandardCharsets.US_ASCII), new Caller(tenant, admin));
    }

    /**
     * The caller a presented token names, else null. Every entry is compared, in constant time, so
     * the time taken tells nothing about which token (or how much of one) matched.
     */
    public Caller find(byte[] token) {
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.token(), token)) found = e.caller();
        }
        return found;
    }

    /** The tenants the file names, sorted. */
    public SortedSet<String> names() {
        return names;
    }

    /** Tokens in the file. */
    public int size() {
        return entries.size();
    }
}
