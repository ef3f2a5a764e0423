/**
 * Flask's context model for Java: {@link io.flaskctx.FlaskApp} (Flask's {@code Flask} object),
 * {@link io.flaskctx.AppContext} and {@link io.flaskctx.RequestContext} (Flask's two contexts),
 * {@link io.flaskctx.G} ({@code g}), {@link io.flaskctx.Session} ({@code session}), {@link io.flaskctx.Config}
 * ({@code app.config}) and {@link io.flaskctx.Flask} (the names of {@code flask.globals}). Nothing here needs
 * Spring.
 */
@NullMarked
package io.flaskctx;

import org.jspecify.annotations.NullMarked;
