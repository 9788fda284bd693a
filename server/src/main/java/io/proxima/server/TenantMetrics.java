package io.proxima.server;

/**
 * A tenant's view of the Prometheus scrape: every sample of a curriculum or a tenant (it carries a
 * {@code curriculum} or {@code tenant} label) is kept only when its {@code tenant} is the caller's,
 * so a tenant counts and watches its own curricula only. Server-wide samples (requests by route,
 * store commits, the store's state) carry no id and are kept.
 *
 * <p>Filtering the text is exact here: label values are route templates, methods, statuses, flags,
 * ids and tenant names, none of which can hold a quote or a brace.
 */
final class TenantMetrics {
    private TenantMetrics() {}

    static String only(String scrape, String tenant) {
        String own = "tenant=\"" + tenant + "\"";
        StringBuilder out = new StringBuilder(scrape.length());
        for (String line : scrape.split("\n", -1)) {
            if (!line.startsWith("#")) {
                int open = line.indexOf('{');
                int close = line.indexOf('}');
                String labels = open >= 0 && close > open ? line.substring(open + 1, close) : "";
                boolean scoped = labels.contains("tenant=\"") || labels.contains("curriculum=\"");
                if (scoped && !containsLabel(labels, own)) continue;
            }
            out.append(line).append('\n');
        }
        out.setLength(Math.max(0, out.length() - 1)); // the split's last (empty) piece added one newline too many
        return out.toString();
    }

    /** Whether {@code labels} ({@code a="x",b="y"}) holds exactly {@code label} as one of its pairs. */
    private static boolean containsLabel(String labels, String label) {
        int i = labels.indexOf(label);
        while (i >= 0) {
            boolean start = i == 0 || labels.charAt(i - 1) == ',';
            int end = i + label.length();
            if (start && (end == labels.length() || labels.charAt(end) == ',')) return true;
            i = labels.indexOf(label, i + 1);
        }
        return false;
    }
}
