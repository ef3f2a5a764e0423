package io.flaskctx.autoconfigure;

import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code management.endpoint.flaskctx.*} properties, as Boot's own endpoints have them. */
@ConfigurationProperties("management.endpoint.flaskctx")
public class FlaskctxEndpointProperties {

    /**
     * When to show app config values that are neither Flask's known-safe keys nor secrets (secrets are never
     * shown): never, always, or when-authorized.
     */
    private Show showValues = Show.NEVER;

    /** Roles that may see those values when show-values is when-authorized; empty means any authenticated user. */
    private Set<String> roles = new HashSet<>();

    /** Creates the properties with their defaults; Spring Boot binds them. */
    public FlaskctxEndpointProperties() {
    }

    /**
     * Returns the {@code showValues} property.
     *
     * @return when to show app config values that are neither Flask's known-safe keys nor secrets (secrets are never
     *     shown): never, always, or when-authorized
     */
    public Show getShowValues() {
        return showValues;
    }

    /**
     * Sets the {@code showValues} property.
     *
     * @param showValues when to show app config values that are neither Flask's known-safe keys nor secrets (secrets
     *     are never shown): never, always, or when-authorized
     */
    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    /**
     * Returns the {@code roles} property.
     *
     * @return roles that may see those values when show-values is when-authorized; empty means any authenticated user
     */
    public Set<String> getRoles() {
        return roles;
    }

    /**
     * Sets the {@code roles} property.
     *
     * @param roles roles that may see those values when show-values is when-authorized; empty means any authenticated
     *     user
     */
    public void setRoles(Set<String> roles) {
        this.roles = roles;
    }
}
