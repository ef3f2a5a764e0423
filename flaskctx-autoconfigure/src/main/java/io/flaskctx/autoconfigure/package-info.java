/**
 * Spring Boot auto-configuration for flaskctx: the {@code FlaskApp} built from {@code flaskctx.*} properties,
 * the injectable {@code CurrentApp} and {@code G} proxies, the hook annotations, and the web interceptor.
 */
@NullMarked
package io.flaskctx.autoconfigure;

import org.jspecify.annotations.NullMarked;
