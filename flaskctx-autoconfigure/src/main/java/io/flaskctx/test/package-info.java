/**
 * Testing with contexts, as Flask users do with {@code app.app_context()} and {@code app.test_request_context()}:
 * {@link io.flaskctx.test.TestRequestContext} builds a request context from a path, a method, headers and a body,
 * and {@link io.flaskctx.test.FlaskAppContext} pushes an app context around each JUnit 5 test and fails a test
 * that leaves a context pushed. Usable when JUnit 5 and spring-test are on the test classpath.
 */
@NullMarked
package io.flaskctx.test;

import org.jspecify.annotations.NullMarked;
