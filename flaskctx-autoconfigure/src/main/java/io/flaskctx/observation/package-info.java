/**
 * flaskctx in Micrometer Observations and the SLF4J logging context: each invocation of a Flask hook as a
 * {@code flaskctx.hook} observation ({@link io.flaskctx.observation.ObservationHookObserver}), each app context
 * pushed outside a request as a {@code flaskctx.appcontext} observation
 * ({@link io.flaskctx.observation.AppContextObserver}), and chosen {@code g} values in the MDC
 * ({@link io.flaskctx.observation.MdcContextListener}). The starter installs them where Micrometer's
 * {@code ObservationRegistry} and SLF4J are present; each class needs only its own library.
 */
@NullMarked
package io.flaskctx.observation;

import org.jspecify.annotations.NullMarked;
