package io.flaskctx.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.observation.AppContextObserver;
import io.flaskctx.observation.DefaultFlaskHookObservationConvention;
import io.flaskctx.observation.FlaskHookObservationConvention;
import io.flaskctx.observation.MdcValue;
import io.flaskctx.observation.ObservationHookObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * When the observations and the MDC values are installed on the apps, and when not: only with Micrometer's
 * observation API, an ObservationRegistry bean that has handlers, and the observations not switched off by
 * Boot's {@code management.observations.enable.*}; the MDC listener only with SLF4J and some mdc-keys.
 * Misconfigured MDC values stop start-up naming the property.
 */
class FlaskObservationAutoConfigurationTest {

    private static final Predicate<Observation.ContextView> UNDER_APP_CONTEXT =
            parent -> "flaskctx.appcontext".equals(parent.getName());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class,
                    FlaskObservationAutoConfiguration.class))
            .withPropertyValues("flaskctx.app-name=shop");

    @Test
    void withARegistryThatHasHandlersEveryAppIsObserved() {
        runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("flaskctx.apps.admin.mount=/admin").run(context -> {
                    FlaskApp main = context.getBean(FlaskApp.class);
                    FlaskApp admin = context.getBean("flaskApp.admin", FlaskApp.class);
                    assertThat(main.hookObserver()).isInstanceOf(ObservationHookObserver.class);
                    assertThat(main.contextListener()).isInstanceOf(AppContextObserver.class);
                    assertThat(admin.hookObserver()).isSameAs(main.hookObserver());
                    assertThat(admin.contextListener()).isSameAs(main.contextListener());
                });
    }

    @Test
    void theObservationsReachTheRegistryWithTheConventionTheApplicationDeclares() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withBean(FlaskHookObservationConvention.class, () -> new DefaultFlaskHookObservationConvention() {
                    @Override
                    public String getName() {
                        return "shop.hook";
                    }
                }).run(context -> {
                    FlaskApp app = context.getBean(FlaskApp.class);
                    app.teardownAppContext(error -> {
                    });
                    app.appContext().push().pop();
                    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.appcontext", 1)
                            .hasNumberOfObservationsWithNameEqualTo(DefaultFlaskHookObservationConvention.NAME, 0)
                            .hasAnObservation(o -> o.hasNameEqualTo("shop.hook")
                                    .hasLowCardinalityKeyValue("kind", "teardown_appcontext")
                                    .hasLowCardinalityKeyValue("hook", "lambda in " + getClass().getName()))
                            .forAllObservationsWithNameEqualTo("shop.hook", o -> o.hasParentObservationContextMatching(
                                    UNDER_APP_CONTEXT));
                });
    }

    @Test
    void withoutARegistryOrWithOneThatHasNoHandlersNothingIsInstalled() {
        runner.run(context -> assertNothingObserves(context.getBean(FlaskApp.class)));
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertNothingObserves(context.getBean(FlaskApp.class)));
        runner.withBean(ObservationRegistry.class, () -> ObservationRegistry.NOOP)
                .run(context -> assertNothingObserves(context.getBean(FlaskApp.class)));
    }

    @Test
    void managementObservationsEnableSwitchesThemOffAtStartUpByPrefixAsBootDoes() {
        runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("management.observations.enable.flaskctx=false")
                .run(context -> assertNothingObserves(context.getBean(FlaskApp.class)));
        runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("management.observations.enable.flaskctx.hook=false").run(context -> {
                    FlaskApp app = context.getBean(FlaskApp.class);
                    assertThat(app.hookObserver()).isNull();
                    assertThat(app.contextListener()).isInstanceOf(AppContextObserver.class);
                });
        runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("management.observations.enable.all=false",
                        "management.observations.enable.flaskctx.appcontext=true").run(context -> {
                    FlaskApp app = context.getBean(FlaskApp.class);
                    assertThat(app.hookObserver()).isNull();
                    assertThat(app.contextListener()).isInstanceOf(AppContextObserver.class);
                });
    }

    @Test
    void withoutMicrometerObservationOrSlf4jTheApplicationStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.observation"))
                .withPropertyValues("flaskctx.logging.mdc-keys=user")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FlaskApp.class).hookObserver()).isNull();
                    assertThat(context.getBean(FlaskApp.class).contextListener()).isNotNull(); // the MDC's
                });
        runner.withClassLoader(new FilteredClassLoader(MDC.class))
                .withPropertyValues("flaskctx.logging.mdc-keys=user")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(FlaskApp.class).contextListener()).isNull();
                });
    }

    @Test
    void anMdcValueForAKeyThatIsNotListedStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("flaskctx.logging.mdc-keys=user")
                .withBean(MdcValue.class, () -> MdcValue.of("tenant", Object::toString))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(InvalidFlaskctxConfigurationException.class)
                        .hasMessageContaining("MdcValue bean for 'tenant'")
                        .hasMessageContaining("flaskctx.logging.mdc-keys"));
        runner.withPropertyValues("flaskctx.logging.mdc-keys=user, ")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("flaskctx.logging.mdc-keys").hasMessageContaining("blank"));
    }

    private static void assertNothingObserves(FlaskApp app) {
        assertThat(app.hookObserver()).isNull();
        assertThat(app.contextListener()).isNull();
    }
}
