/**
 * Spring Boot auto-configuration for flaskctx: the {@code FlaskApp} built from {@code flaskctx.*} properties,
 * the injectable {@code CurrentApp} and {@code G} proxies, the hook annotations, and the web interceptor.
 */
package io.flaskctx.autoconfigure;
