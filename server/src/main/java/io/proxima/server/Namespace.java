package io.proxima.server;

import io.javalin.http.Context;
import io.proxima.server.dashboard.CurriculumScope;
import io.proxima.store.Curricula;

/**
 * Maps the ids a caller sends and sees (external) to the ids the store holds (internal), at the
 * HTTP boundary (docs/api.md, "Tenants"). With {@code --tokens}, a tenant's curriculum {@code X} is
 * stored as {@code tenant~X}: a tenant sends and sees {@code X} only, and every id it can name is in
 * its own namespace — another tenant's curriculum is simply one that does not exist for it (the same
 * 404, reached by the same path). An admin, and every caller without tenants (no token, one token),
 * uses stored ids as they are.
 */
final class Namespace implements CurriculumScope {
    /** Request attribute: the {@link Tenants.Caller} the bearer token named (tenants mode only). */
    static final String CALLER = "proxima.caller";
    /** Request attribute: the stored id the request's path named, for error messages. */
    static final String INTERNAL = "proxima.internalId";

    private final boolean tenants;

    /** {@code tenants}: the server runs with a token file. */
    Namespace(boolean tenants) {
        this.tenants = tenants;
    }

    boolean tenants() {
        return tenants;
    }

    /** The tenant whose namespace the caller is confined to, or null (no tenants, an admin, an open route). */
    static String confinedTo(Context ctx) {
        Tenants.Caller c = ctx.attribute(CALLER);
        return c == null || c.admin() ? null : c.tenant();
    }

    /** The stored id of the id a caller sent (noted on the request for its error message). */
    @Override
    public String internal(Context ctx, String external) {
        String t = confinedTo(ctx);
        String id = t == null ? external : t + Curricula.TENANT_SEPARATOR + external;
        ctx.attribute(INTERNAL, id);
        return id;
    }

    /** The id the caller sees of a stored id it may see. */
    @Override
    public String external(Context ctx, String internal) {
        String t = confinedTo(ctx);
        return t == null ? internal : internal.substring(t.length() + 1);
    }

    @Override
    public boolean visible(Context ctx, String internal) {
        String t = confinedTo(ctx);
        return t == null || internal.startsWith(t + Curricula.TENANT_SEPARATOR);
    }

    /** The tenant of a stored id ("" outside any tenant). */
    static String tenantOf(String internal) {
        int i = internal.indexOf(Curricula.TENANT_SEPARATOR);
        return i < 0 ? "" : internal.substring(0, i);
    }

    /** A stored id without its tenant. */
    static String localOf(String internal) {
        return internal.substring(internal.indexOf(Curricula.TENANT_SEPARATOR) + 1);
    }

    /** A refusal as the caller sees it: the stored id of the request replaced by the caller's. */
    Refusal shown(Context ctx, Refusal r) {
        String internal = ctx.attribute(INTERNAL);
        return internal == null ? r : r.renamed(internal, external(ctx, internal));
    }
}
