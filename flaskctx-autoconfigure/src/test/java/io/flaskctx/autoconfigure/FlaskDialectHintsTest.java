package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

class FlaskDialectHintsTest {

    @Test
    void aNativeImageMayInvokeGetFlashedMessagesThatThymeleafCallsByReflection() {
        RuntimeHints hints = new RuntimeHints();

        new FlaskDialect.Hints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(FlaskDialect.class, "getFlashedMessages"))
                .accepts(hints);
    }
}
