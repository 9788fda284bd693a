package io.proxima.core.recipe;

/** A configuration value is missing, unknown or out of range; the message names its path. */
public final class ConfigException extends IllegalArgumentException {
    private final String path;

    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    /** Dotted path of the offending field, e.g. {@code groupPolicy.tau}. */
    public String path() {
        return path;
    }
}
