package io.flaskctx.autoconfigure;

/**
 * flaskctx was configured in a way it cannot run with. Carries what is wrong and how to fix it, which
 * {@link FlaskctxFailureAnalyzer} shows at start-up.
 */
class InvalidFlaskctxConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    InvalidFlaskctxConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    String action() {
        return action;
    }
}
