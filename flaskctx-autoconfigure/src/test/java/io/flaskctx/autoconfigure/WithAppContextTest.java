package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.ContextOrigin;
import io.flaskctx.ContextStats;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.WithAppContext;
import io.flaskctx.scope.AppContextScope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/** {@code @WithAppContext}: Flask's {@code with_appcontext} for any bean method. */
@ExtendWith(OutputCaptureExtension.class)
class WithAppContextTest {

    static final List<String> events = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class))
            .withPropertyValues("flaskctx.app-name=shop", "flaskctx.apps.admin.mount=/admin")
            .withUserConfiguration(Teardowns.class);

    @AfterEach
    void nothingIsLeftOnTheTestThread() {
        assertThat(Flask.hasAppContext()).as("app context left on the test thread").isFalse();
        events.clear();
    }

    @Test
    void aCallOutsideAnyContextRunsInAFreshContextOfTheMainAppAndTearsItDownOnce() {
        runner.withBean(Report.class).run(context -> {
            Report report = context.getBean(Report.class);
            assertThat(report.describe()).isEqualTo("shop, g was empty");
            assertThat(report.describe()).isEqualTo("shop, g was empty");
            assertThat(events).containsExactly("teardown shop error=null g=[seen]", "teardown shop error=null g=[seen]");
        });
    }

    @Test
    void theExceptionThatEscapesTheCallReachesTeardownAndThenTheCaller() {
        runner.withBean(Report.class).run(context -> {
            assertThatThrownBy(() -> context.getBean(Report.class).fail()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("report failed");
            assertThat(events).containsExactly("teardown shop error=report failed g=[seen]");
        });
    }

    @Test
    void aCallInsideAContextOfTheSameAppReusesItsGAndLeavesItsTeardownToTheCaller() {
        runner.withBean(Report.class).run(context -> {
            FlaskApp shop = context.getBean(FlaskApp.class);
            try (var outer = shop.appContext().push()) {
                outer.g().set("user", "ann");
                assertThat(context.getBean(Report.class).user()).isEqualTo("ann");
                assertThat(events).isEmpty();
                assertThat(outer.g().contains("seen")).isTrue();
            }
            assertThat(events).containsExactly("teardown shop error=null g=[user, seen]");
        });
    }

    @Test
    void aCallInsideAContextOfAnotherAppPushesOneOfItsOwnApp() {
        runner.withBean(Report.class).run(context -> {
            FlaskApp admin = context.getBean(FlaskApps.class).get("admin");
            try (var outer = admin.appContext().push()) {
                assertThat(context.getBean(Report.class).describe()).isEqualTo("shop, g was empty");
                assertThat(Flask.currentApp()).isSameAs(admin);
            }
            assertThat(events).containsExactly("teardown shop error=null g=[seen]", "teardown admin error=null g=[]");
        });
    }

    @Test
    void theAppAttributeNamesAMountedApp() {
        runner.withBean(AdminJob.class).run(context -> {
            assertThat(context.getBean(AdminJob.class).app()).isEqualTo("admin");
            assertThat(events).containsExactly("teardown admin error=null g=[]");
        });
    }

    @Test
    void onAClassEveryPublicMethodIsWrappedAndCallsBetweenThemShareTheContext() {
        runner.withBean(ClassLevel.class).run(context -> {
            ClassLevel bean = context.getBean(ClassLevel.class);
            assertThat(bean.outer()).isEqualTo("shop/shop");
            assertThat(events).hasSize(1);
        });
    }

    @Test
    void onAnInterfaceMethodTheImplementationIsWrapped() {
        runner.withBean(Greeter.class, GreeterImpl::new).run(context -> {
            assertThat(context.getBean(Greeter.class).greet()).isEqualTo("hello from shop");
            assertThat(events).hasSize(1);
        });
    }

    @Test
    void appContextScopedBeansAreOnePerCallAndClosedAtItsTeardown() {
        runner.withUserConfiguration(ScopedConfig.class).run(context -> {
            UsesConnection user = context.getBean(UsesConnection.class);
            int first = user.twice();
            int second = user.twice();
            assertThat(second).isNotEqualTo(first);
            assertThat(events).containsOnlyOnce("open " + first, "close " + first, "open " + second, "close " + second);
            assertThat(events.indexOf("close " + first)).isLessThan(events.indexOf("open " + second));
            assertThat(events).filteredOn(e -> e.startsWith("teardown")).hasSize(2);
        });
    }

    @Test
    void theContextIsCountedWithOriginMethod() {
        runner.withBean(Report.class).run(context -> {
            FlaskApp shop = context.getBean(FlaskApp.class);
            shop.setCountingContexts(true);
            long before = ContextStats.pushed(shop, ContextOrigin.METHOD);
            context.getBean(Report.class).describe();
            assertThat(ContextStats.pushed(shop, ContextOrigin.METHOD) - before).isEqualTo(1);
            assertThat(ContextStats.pushed(shop, ContextOrigin.MANUAL)).isZero();
        });
    }

    @Test
    void anAsyncMethodGetsItsContextOnTheExecutorThreadAndTheCallerStaysClean() {
        runner.withUserConfiguration(AsyncConfig.class).run(context -> {
            AsyncJob job = context.getBean(AsyncJob.class);
            String seen = job.run().get(10, TimeUnit.SECONDS);
            assertThat(seen).startsWith("shop on async-");
            assertThat(Flask.hasAppContext()).isFalse();
            assertThat(events).containsExactly("teardown shop error=null g=[]");
        });
    }

    @Test
    void withTransactionalTheContextIsOutsideTheTransactionSoTeardownSeesItCommitted() {
        runner.withUserConfiguration(TransactionConfig.class).run(context -> {
            context.getBean(Orders.class).place();
            assertThat(events).containsExactly("begin", "place in shop", "commit", "teardown shop error=null g=[]");
            events.clear();
            assertThatThrownBy(() -> context.getBean(Orders.class).reject()).hasMessage("rejected");
            assertThat(events).containsExactly("begin", "rollback", "teardown shop error=rejected g=[]");
        });
    }

    @Test
    void theCallsOfSeveralThreadsEachGetTheirOwnContext() throws Exception {
        runner.withBean(Report.class).run(context -> {
            Report report = context.getBean(Report.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<String>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    calls.add(CompletableFuture.supplyAsync(report::describe, pool));
                }
                for (CompletableFuture<String> call : calls) {
                    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("shop, g was empty");
                }
                assertThat(pool.submit(Flask::hasAppContext).get()).isFalse();
            } finally {
                pool.shutdown();
            }
            assertThat(events).hasSize(200);
        });
    }

    // --- start-up errors -------------------------------------------------------------------------------------

    private FailureAnalysis startupFailureWith(Class<?> bean) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withBean(bean).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("no FailureAnalysis").isNotNull();
        return analysis[0];
    }

    @Test
    void anUnknownAppStopsStartUpNamingTheMethodAndTheKnownApps() {
        FailureAnalysis analysis = startupFailureWith(UnknownApp.class);
        assertThat(analysis.getDescription()).contains("@WithAppContext method " + UnknownApp.class.getName() + ".run")
                .contains("app 'nope'").contains("[shop, admin]");
        assertThat(analysis.getAction()).contains("flaskctx.apps.nope");
    }

    @Test
    void bootPrintsTheReportWhenTheApplicationStarts(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MinimalApp.class, UnknownApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--spring.main.banner-mode=off", "--flaskctx.app-name=shop"))
                .isInstanceOf(Exception.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("@WithAppContext method " + UnknownApp.class.getName() + ".run needs an app context of app"
                        + " 'nope', but there is no app of that name; the apps are [shop].")
                .contains("declare the app under flaskctx.apps.nope");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApp {
    }

    @Test
    void aPrivateMethodStopsStartUpRatherThanRunningWithoutAContext() {
        FailureAnalysis analysis = startupFailureWith(PrivateMethod.class);
        assertThat(analysis.getDescription()).contains(PrivateMethod.class.getName() + ".run is private");
        assertThat(analysis.getAction()).contains("package-private, protected or public");
    }

    @Test
    void aFinalMethodStopsStartUp() {
        FailureAnalysis analysis = startupFailureWith(FinalMethod.class);
        assertThat(analysis.getDescription()).contains(FinalMethod.class.getName() + ".run is final");
    }

    @Test
    void aFinalClassStopsStartUp() {
        FailureAnalysis analysis = startupFailureWith(FinalClass.class);
        assertThat(analysis.getDescription()).contains(FinalClass.class.getName() + ".run is declared by a final class");
    }

    // --- beans -----------------------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    static class Teardowns {
        @TeardownAppContext(app = "*")
        void teardown(Throwable error, FlaskApp app, G g) {
            events.add("teardown " + app.name() + " error=" + (error == null ? null : error.getMessage()) + " g="
                    + g.names());
        }
    }

    static class Report {
        @WithAppContext
        String describe() {
            boolean empty = Flask.g().names().isEmpty();
            Flask.g().set("seen", true);
            return Flask.currentApp().name() + ", g was " + (empty ? "empty" : "not empty");
        }

        @WithAppContext
        Object user() {
            Flask.g().set("seen", true);
            return Flask.g().get("user");
        }

        @WithAppContext
        void fail() {
            Flask.g().set("seen", true);
            throw new IllegalStateException("report failed");
        }
    }

    static class AdminJob {
        @WithAppContext(app = "admin")
        public String app() {
            return Flask.currentApp().name();
        }
    }

    @WithAppContext
    static class ClassLevel {
        private ClassLevel self;

        @org.springframework.beans.factory.annotation.Autowired
        void setSelf(@org.springframework.context.annotation.Lazy ClassLevel self) {
            this.self = self;
        }

        public String outer() {
            return Flask.currentApp().name() + "/" + self.inner();
        }

        public String inner() {
            return Flask.currentApp().name();
        }
    }

    interface Greeter {
        @WithAppContext
        String greet();
    }

    static class GreeterImpl implements Greeter {
        @Override
        public String greet() {
            return "hello from " + Flask.currentApp().name();
        }
    }

    static final AtomicInteger opened = new AtomicInteger();

    static class Connection implements AutoCloseable {
        final int id = opened.incrementAndGet();

        Connection() {
            events.add("open " + id);
        }

        int id() {
            return id;
        }

        @Override
        public void close() {
            events.add("close " + id);
        }
    }

    static class UsesConnection {
        private final Connection connection;

        UsesConnection(Connection connection) {
            this.connection = connection;
        }

        @WithAppContext
        int twice() {
            int id = connection.id();
            assertThat(connection.id()).isEqualTo(id);
            return id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ScopedConfig {
        @Bean
        @AppContextScope
        Connection connection() {
            return new Connection();
        }

        @Bean
        UsesConnection usesConnection(Connection connection) {
            return new UsesConnection(connection);
        }
    }

    static class AsyncJob {
        @Async
        @WithAppContext
        public CompletableFuture<String> run() {
            return CompletableFuture.completedFuture(Flask.currentApp().name() + " on "
                    + Thread.currentThread().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfig {
        @Bean
        SimpleAsyncTaskExecutor taskExecutor() {
            return new SimpleAsyncTaskExecutor("async-");
        }

        @Bean
        AsyncJob asyncJob() {
            return new AsyncJob();
        }
    }

    static class Orders {
        @Transactional
        @WithAppContext
        public void place() {
            events.add("place in " + Flask.currentApp().name());
        }

        @Transactional
        @WithAppContext
        public void reject() {
            throw new IllegalStateException("rejected");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class TransactionConfig {
        @Bean
        PlatformTransactionManager transactionManager() {
            return new AbstractPlatformTransactionManager() {
                @Override
                protected Object doGetTransaction() {
                    return new Object();
                }

                @Override
                protected void doBegin(Object transaction, TransactionDefinition definition) {
                    events.add("begin");
                }

                @Override
                protected void doCommit(DefaultTransactionStatus status) {
                    events.add("commit");
                }

                @Override
                protected void doRollback(DefaultTransactionStatus status) {
                    events.add("rollback");
                }
            };
        }

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class UnknownApp {
        @WithAppContext(app = "nope")
        void run() {
        }
    }

    static class PrivateMethod {
        @WithAppContext
        private void run() {
        }
    }

    static class FinalMethod {
        @WithAppContext
        final void run() {
        }
    }

    static final class FinalClass {
        @WithAppContext
        void run() {
        }
    }
}
