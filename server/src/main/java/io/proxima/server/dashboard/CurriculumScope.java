package io.proxima.server.dashboard;

import io.javalin.http.Context;

/**
 * Which curricula a request may see on the dashboard. Today every caller that passed the token sees
 * every curriculum ({@link #ALL}); with tenants, the server passes a scope that reads the caller's
 * tenant from the request and answers for that tenant's curricula only. Every dashboard route asks
 * it: the list leaves out what it refuses, and a per-curriculum route answers 404 as for a
 * curriculum that does not exist (so ids of other tenants do not leak).
 */
@FunctionalInterface
public interface CurriculumScope {
    CurriculumScope ALL = (ctx, id) -> true;

    /** Whether the caller may see the curriculum of stored id {@code id}. */
    boolean visible(Context ctx, String id);

    /** The stored id of an id the caller sent (tenants: the caller's namespace); the same id without tenants. */
    default String internal(Context ctx, String id) {
        return id;
    }

    /** The id the caller is shown of a stored id it may see; the same id without tenants. */
    default String external(Context ctx, String id) {
        return id;
    }
}
