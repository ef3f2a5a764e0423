package io.flaskctx.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a flaskctx misconfiguration into Boot's start-up report: what is wrong, and the fix. */
class FlaskctxFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFlaskctxConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFlaskctxConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
