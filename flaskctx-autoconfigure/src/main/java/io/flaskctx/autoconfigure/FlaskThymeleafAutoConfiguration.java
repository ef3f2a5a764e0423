package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.thymeleaf.TemplateEngine;

/**
 * Flask's template globals for Thymeleaf: every template rendered in a request sees {@code g}, {@code session}
 * (flaskctx's, also as {@code ${session.user}}), {@code config}, {@code current_app}, {@code request}, the context
 * processors' variables, and {@code #get_flashed_messages(...)}; see {@link FlaskEngineContextFactory} and
 * {@link FlaskDialect}. Boot's Thymeleaf auto-configuration adds every {@code IDialect} bean to its engine.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class)
@ConditionalOnClass(TemplateEngine.class)
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@ConditionalOnBean(FlaskApp.class)
@ImportRuntimeHints(FlaskDialect.Hints.class)
public class FlaskThymeleafAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public FlaskThymeleafAutoConfiguration() {
    }

    @Bean
    FlaskDialect flaskDialect() {
        return new FlaskDialect();
    }

    @Bean
    static BeanPostProcessor flaskTemplateEngineContexts() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof TemplateEngine engine
                        && !(engine.getEngineContextFactory() instanceof FlaskEngineContextFactory)) {
                    engine.setEngineContextFactory(new FlaskEngineContextFactory(engine.getEngineContextFactory()));
                }
                return bean;
            }
        };
    }
}
