/**
 * Werkzeug's thread-isolation primitives ({@code werkzeug.local}): {@link io.flaskctx.local.Local},
 * {@link io.flaskctx.local.LocalStack} and {@link io.flaskctx.local.LocalProxy}. flaskctx's contexts are
 * built on them; they are public because Flask users reach for them directly (the seeds' per-thread
 * connection stack is a {@code LocalStack}).
 */
@NullMarked
package io.flaskctx.local;

import org.jspecify.annotations.NullMarked;
