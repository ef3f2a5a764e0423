package io.flaskctx.sample;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The sample ships no usable {@code SECRET_KEY}: a key printed in a README signs cookies for whoever read it.
 * It reads the key from the environment ({@code SESSION_SECRET_KEY}, or {@code --flaskctx.config.SECRET_KEY});
 * without one, in the {@code dev} profile (the sample's default), it generates a random key at start-up and says
 * that sessions will not survive a restart. Outside {@code dev}, without a key, the cookie store has no key and
 * the session is Flask's null session. With flaskctx disabled there is no session to sign, and no key is made.
 */
public class DevSecretKey implements EnvironmentPostProcessor {

    static final String PROPERTY = "flaskctx.config.SECRET_KEY";

    private final Log log;

    public DevSecretKey(DeferredLogFactory logs) {
        this.log = logs.getLog(DevSecretKey.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String key = environment.getProperty(PROPERTY);
        if ((key != null && !key.isBlank()) || !environment.matchesProfiles("dev")
                || !environment.getProperty("flaskctx.enabled", Boolean.class, true)) {
            return;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        environment.getPropertySources().addFirst(new MapPropertySource("sampleDevSecretKey",
                Map.of(PROPERTY, HexFormat.of().formatHex(random))));
        log.warn("No SESSION_SECRET_KEY (flaskctx.config.SECRET_KEY) was given, so the dev profile generated a"
                + " random one: session cookies will not survive a restart, and no other instance (nor a Flask app)"
                + " can read them. To keep them, start with SESSION_SECRET_KEY=$(python3 -c 'import secrets;"
                + " print(secrets.token_hex())').");
    }
}
