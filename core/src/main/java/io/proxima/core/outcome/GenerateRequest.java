package io.proxima.core.outcome;

import io.proxima.core.space.Derivation;

/**
 * A request, carried by a selection, that the trainer generate a new task from an existing one
 * ({@code io.proxima.core.generate.Generation} decides them).
 *
 * @param from the id of the task to derive from (the new task's parent)
 * @param kind how: an easier variant ({@link Derivation#SIMPLIFY}) or another variant ({@link Derivation#VARY})
 */
public record GenerateRequest(String from, Derivation kind) {
    public GenerateRequest {
        if (from == null || kind == null) throw new IllegalArgumentException("from and kind must not be null");
    }
}
