/**
 * What flaskctx shows operators: Micrometer meters for the contexts ({@link io.flaskctx.actuate.FlaskctxMetrics})
 * and the {@code flaskctx} actuator endpoint ({@link io.flaskctx.actuate.FlaskctxEndpoint}). Flask has neither.
 */
@NullMarked
package io.flaskctx.actuate;

import org.jspecify.annotations.NullMarked;
