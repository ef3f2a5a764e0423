/**
 * Flask's signals ({@code flask.signals}) as Spring {@code ApplicationEvent}s, one small type each, published in
 * Flask's order while the context is still current where Flask's receivers have it. Receive them with
 * {@code @EventListener}. Nothing is published, and nothing is paid, for a signal no listener wants.
 */
@NullMarked
package io.flaskctx.signals;

import org.jspecify.annotations.NullMarked;
