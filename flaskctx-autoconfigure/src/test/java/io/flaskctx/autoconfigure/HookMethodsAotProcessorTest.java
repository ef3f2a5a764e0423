package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.FlaskApp;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import io.flaskctx.WithAppContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.nativex.FileNativeConfigurationWriter;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

/**
 * Spring AOT over a context with hook beans and a mounted app, as {@code spring-boot:process-aot} runs it: the hook
 * methods get invocation hints (and so appear in the native image's reachability metadata), and the generated code
 * registers each mounted app once, without the post-processor that would register it again at start-up.
 */
class HookMethodsAotProcessorTest {

    private final InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
    private RuntimeHints hints;

    @BeforeEach
    void processAheadOfTime() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.setEnvironment(new MockEnvironment().withProperty("flaskctx.app-name", "shop")
                    .withProperty("flaskctx.apps.admin.mount", "/admin"));
            context.register(App.class);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(HookMethodsAotProcessorTest.class)), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            hints = generation.getRuntimeHints();
        }
    }

    @Test
    void everyHookMethodMayBeInvokedReflectively() {
        for (String method : new String[] {"before", "after", "teardownRequest", "teardownAppContext"}) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Hooks.class, method))
                    .as(method).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Job.class, "annotated")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WholeClassJob.class, "run")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Hooks.class, "notAHook")).rejects(hints);
        // the adapters HookMethod looks up by name to bind each hook's arguments
        assertThat(HookMethod.adapters()).extracting(java.lang.reflect.Method::getName)
                .containsExactlyInAnyOrder("requestOrCurrent", "currentG");
        HookMethod.adapters().forEach(adapter -> assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(adapter)).accepts(hints));
    }

    @Test
    void theReachabilityMetadataNamesTheHookMethods(@TempDir Path dir) throws IOException {
        new FileNativeConfigurationWriter(dir).write(hints);
        Path metadata;
        try (Stream<Path> paths = Files.walk(dir)) {
            metadata = paths.filter(p -> p.getFileName().toString().equals("reachability-metadata.json")).findFirst()
                    .orElseThrow();
        }
        String json = Files.readString(metadata);
        assertThat(json).contains(Hooks.class.getName()).contains("\"before\"").contains("\"after\"")
                .contains("\"teardownRequest\"").contains("\"teardownAppContext\"");
    }

    @Test
    void theGeneratedCodeRegistersTheMountedAppButNotThePostProcessorThatWouldRegisterItAgain() {
        String sources = files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).values().stream()
                .map(HookMethodsAotProcessorTest::read).collect(Collectors.joining("\n"));
        assertThat(sources).contains("\"flaskApp.admin\"").contains("\"flaskApps\"")
                .doesNotContain("MountedAppBeans");
    }

    @Test
    void everyHookKindIsListedForHints() {
        assertThat(HookMethodsAotProcessor.INVOKED_METHOD_ANNOTATIONS).containsAll(
                Arrays.stream(HookMethod.Kind.values()).map(kind -> kind.annotation).toList());
    }

    private static String read(InputStreamSource source) {
        try (InputStream in = source.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({FlaskAutoConfiguration.class, Hooks.class, Job.class, WholeClassJob.class})
    static class App {
    }

    static class Hooks {
        @BeforeRequest
        void before() {
        }

        @AfterRequest(app = "*")
        void after(HttpServletResponse response) {
        }

        @TeardownRequest
        void teardownRequest(Throwable error) {
        }

        @TeardownAppContext
        void teardownAppContext(FlaskApp app) {
        }

        void notAHook() {
        }
    }

    static class Job {
        @WithAppContext
        public void annotated() {
        }
    }

    @WithAppContext(app = "admin")
    static class WholeClassJob {
        public Map<String, String> run() {
            return Map.of();
        }
    }
}
