package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The report for an application whose build excluded the Servlet API the starter brings. */
class MissingServletApiFailureAnalyzerTest {

    private final MissingServletApiFailureAnalyzer analyzer = new MissingServletApiFailureAnalyzer();

    @Test
    void introspectingFlaskctxWithoutTheServletApiNamesTheExclusion() {
        // the chain Spring produced before the starter carried the API (smoke-non-web reproduced it)
        Throwable failure = new BeanCreationException("Error creating bean with name 'flaskApp' defined in class path"
                + " resource [io/flaskctx/autoconfigure/FlaskAutoConfiguration.class]: Post-processing of merged bean"
                + " definition failed", new IllegalStateException("Failed to introspect Class [io.flaskctx.FlaskApp]",
                new NoClassDefFoundError("jakarta/servlet/http/HttpServletRequest")));
        FailureAnalysis analysis = analyzer.analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("jakarta.servlet.http.HttpServletRequest is not on the classpath")
                .contains("flaskctx-spring-boot-starter brings them");
        assertThat(analysis.getAction()).contains("Remove the exclusion of jakarta.servlet:jakarta.servlet-api");
    }

    @Test
    void otherMissingClassesAreNotOurs() {
        assertThat(analyzer.analyze(new BeanCreationException("Error creating bean with name 'other'",
                new NoClassDefFoundError("jakarta/servlet/Filter")))).isNull();
        assertThat(analyzer.analyze(new BeanCreationException("Error creating bean with name 'flaskApp' [io.flaskctx.FlaskApp]",
                new NoClassDefFoundError("com/example/Missing")))).isNull();
    }
}
