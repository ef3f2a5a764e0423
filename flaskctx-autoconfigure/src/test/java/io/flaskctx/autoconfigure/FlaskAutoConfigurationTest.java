package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.CurrentApp;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.web.FlaskRequestFilter;
import io.flaskctx.web.RequestContextInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

class FlaskAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class,
                    WebMvcAutoConfiguration.class));

    private final ApplicationContextRunner plain = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class));

    @Test
    void aWebApplicationGetsTheAppItsProxiesAndTheInterceptor() {
        web.run(context -> {
            assertThat(context).hasSingleBean(FlaskApp.class).hasSingleBean(RequestContextInterceptor.class)
                    .hasSingleBean(FlaskRequestFilter.class).hasBean("flaskRequestFilterRegistration");
            assertThat(context.getBean(CurrentApp.class)).isSameAs(CurrentApp.proxy());
            assertThat(context.getBean(G.class)).isSameAs(G.proxy());
        });
    }

    @Test
    void theAppIsNamedAfterTheAppNameProperty() {
        web.withPropertyValues("flaskctx.app-name=shop", "spring.application.name=other")
                .run(context -> assertThat(context.getBean(FlaskApp.class).name()).isEqualTo("shop"));
    }

    @Test
    void theAppNameDefaultsToTheSpringApplicationName() {
        web.withPropertyValues("spring.application.name=orders")
                .run(context -> assertThat(context.getBean(FlaskApp.class).name()).isEqualTo("orders"));
    }

    @Test
    void theAppNameDefaultsToApplication() {
        web.run(context -> assertThat(context.getBean(FlaskApp.class).name()).isEqualTo("application"));
    }

    @Test
    void configKeysAreKeptExactlyAsWrittenOnTopOfFlasksDefaults() {
        web.withPropertyValues("flaskctx.config.DEBUG=true", "flaskctx.config.SECRET_KEY=change-me",
                "flaskctx.config.MAIL_SERVER=smtp.example.org", "flaskctx.config.PERMANENT_SESSION_LIFETIME=3600",
                "flaskctx.config.SECRET_KEY_FALLBACKS[0]=old-key", "flaskctx.config.SECRET_KEY_FALLBACKS[1]=older-key")
                .run(context -> {
                    var config = context.getBean(FlaskApp.class).config();
                    assertThat(config).containsEntry("SECRET_KEY", "change-me")
                            .containsEntry("MAIL_SERVER", "smtp.example.org")
                            .containsEntry("SESSION_COOKIE_NAME", "session");
                    assertThat(config.get("DEBUG", Boolean.class)).isTrue();
                    assertThat(config.get("PERMANENT_SESSION_LIFETIME", Duration.class)).isEqualTo(Duration.ofHours(1));
                    assertThat(config.get("SECRET_KEY_FALLBACKS", List.class)).containsExactly("old-key", "older-key");
                    assertThat(config.getNamespace("MAIL_")).isEqualTo(Map.of("server", "smtp.example.org"));
                });
    }

    @Test
    void maxDepthSetsTheAppsDepthGuard() {
        web.withPropertyValues("flaskctx.max-depth=8")
                .run(context -> assertThat(context.getBean(FlaskApp.class).maxContextDepth()).isEqualTo(8));
    }

    @Test
    void eachApplicationContextsAppsKeepTheirOwnDiagnostics() {
        plain.withPropertyValues("flaskctx.debug.capture-push-sites=true", "flaskctx.strict=true",
                "flaskctx.apps.admin.mount=/admin").run(debugged -> {
                    plain.run(production -> {
                        FlaskApp quiet = production.getBean(FlaskApp.class);
                        assertThat(quiet.capturesPushSites()).isFalse();
                        assertThat(quiet.isStrict()).isFalse();
                    });
                    FlaskApp main = debugged.getBean(FlaskApp.class);
                    FlaskApp admin = debugged.getBean(io.flaskctx.FlaskApps.class).get("admin");
                    for (FlaskApp app : List.of(main, admin)) {
                        assertThat(app.capturesPushSites()).as(app.name()).isTrue();
                        assertThat(app.isStrict()).as(app.name()).isTrue();
                    }
                });
    }

    @Test
    void everythingBacksOffWhenDisabled() {
        web.withPropertyValues("flaskctx.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(FlaskApp.class).doesNotHaveBean(RequestContextInterceptor.class)
                .doesNotHaveBean(G.class).doesNotHaveBean(CurrentApp.class));
    }

    @Test
    void aNonWebApplicationGetsTheAppButNoInterceptor() {
        plain.run(context -> assertThat(context).hasSingleBean(FlaskApp.class).hasSingleBean(G.class)
                .doesNotHaveBean(RequestContextInterceptor.class).doesNotHaveBean(FlaskRequestFilter.class));
    }

    @Test
    void noInterceptorWithoutSpringMvcOnTheClasspath() {
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasSingleBean(FlaskApp.class)
                        .doesNotHaveBean(RequestContextInterceptor.class));
    }

    @Test
    void aUserDefinedAppReplacesTheAutoConfiguredOne() {
        web.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(FlaskApp.class);
            assertThat(context.getBean(FlaskApp.class).name()).isEqualTo("mine");
            assertThat(context.getBean(G.class)).isNotSameAs(G.proxy());
            assertThat(context.getBean(CurrentApp.class)).isNotSameAs(CurrentApp.proxy());
            assertThat(context).hasSingleBean(RequestContextInterceptor.class);
        });
    }

    @Test
    void aUserDefinedInterceptorReplacesTheAutoConfiguredOne() {
        web.withBean("myInterceptor", RequestContextInterceptor.class,
                () -> new RequestContextInterceptor(new FlaskRequestFilter(new FlaskApp("x")), List::of, () -> null))
                .run(context -> assertThat(context).getBeans(RequestContextInterceptor.class)
                        .containsOnlyKeys("myInterceptor"));
    }

    @Test
    void withoutListenersNoSignalIsSentAtAll() {
        web.run(context -> assertThat(context.getBean(FlaskApp.class).signalReceiver()).isNull());
    }

    @Test
    void aListenerForOneSignalInstallsTheReceiver() {
        web.withBean(SignalListener.class).run(context ->
                assertThat(context.getBean(FlaskApp.class).signalReceiver()).isNotNull());
    }

    @Test
    void aListenerForMessageFlashedAloneInstallsTheReceiver() {
        web.withBean(FlashListener.class).run(context ->
                assertThat(context.getBean(FlaskApp.class).signalReceiver()).isNotNull());
    }

    static class FlashListener {
        @org.springframework.context.event.EventListener
        void flashed(io.flaskctx.signals.MessageFlashedEvent event) {
        }
    }

    static class SignalListener {
        @org.springframework.context.event.EventListener
        void started(io.flaskctx.signals.RequestStartedEvent event) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        FlaskApp myApp() {
            return new FlaskApp("mine");
        }

        @Bean
        G myG() {
            return io.flaskctx.local.LocalProxy.of(G.class, io.flaskctx.Flask::g);
        }

        @Bean
        CurrentApp myCurrentApp() {
            return io.flaskctx.local.LocalProxy.of(CurrentApp.class, CurrentApp::proxy);
        }
    }
}
