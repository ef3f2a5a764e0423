/**
 * The {@code appcontext} bean scope: Spring beans that live as long as one app context, in requests, jobs and
 * tests alike, the Spring form of Flask's {@code g.db = connect()} plus {@code teardown_appcontext(close_db)}.
 */
@NullMarked
package io.flaskctx.scope;

import org.jspecify.annotations.NullMarked;
