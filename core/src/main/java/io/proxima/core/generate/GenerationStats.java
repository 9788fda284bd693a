package io.proxima.core.generate;

/**
 * What generation did so far (the {@code generation} object of a curriculum's stats).
 *
 * @param configured whether the curriculum's configuration has a {@code generation} block (requests are made)
 * @param simplifyRequested {@code simplify} requests made in {@code next} answers
 * @param varyRequested {@code vary} requests made
 * @param waiting tasks queued for a request (they call for one; a later next makes it)
 * @param linked tasks of the pool that have a parent
 * @param parents tasks with at least one child
 */
public record GenerationStats(boolean configured, long simplifyRequested, long varyRequested, int waiting, int linked, int parents) {}
