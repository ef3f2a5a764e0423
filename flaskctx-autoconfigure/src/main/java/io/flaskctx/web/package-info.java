/**
 * The web side of Flask's request handling ({@code Flask.wsgi_app} and {@code full_dispatch_request}) for
 * Spring MVC: a request context per request, the before, after and teardown hooks around the handler, and
 * the point just before the response is committed where the after hooks run.
 */
@NullMarked
package io.flaskctx.web;

import org.jspecify.annotations.NullMarked;
