package io.flaskctx.autoconfigure;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.stereotype.Component;

/**
 * For {@code @WebMvcTest} slices only (it is listed in the slice's {@code AutoConfigureWebMvc.imports}, never in the
 * application's auto-configuration): brings in the application's {@code @Component}s that declare flaskctx hook
 * methods ({@code @BeforeRequest} &amp; co.), so a slice runs the hooks a real server runs. The slice's filter
 * leaves them out with every plain component, and a {@code TypeExcludeFilter} cannot bring them back (component
 * scanning drops a class that any exclude filter matches), so they are found here, in the application's packages,
 * the way the slice's scan would have found them: test classes and their nested classes stay out, and a component
 * the test imports or scans already is not registered twice.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@Import(FlaskWebMvcTestHooksAutoConfiguration.HookComponents.class)
public class FlaskWebMvcTestHooksAutoConfiguration {

    /** Boot's filter for test classes, registered as a bean by Boot's test support under its class name. */
    private static final String TEST_TYPE_EXCLUDE_FILTER = "org.springframework.boot.test.context.filter.TestTypeExcludeFilter";

    /** Creates the slice's hook-component registration (instantiated by Spring only). */
    public FlaskWebMvcTestHooksAutoConfiguration() {
    }

    static final class HookComponents implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware,
            ResourceLoaderAware {

        // Set by Spring (the Aware callbacks) before registerBeanDefinitions runs.
        @SuppressWarnings("NullAway.Init")
        private ConfigurableListableBeanFactory beanFactory;
        @SuppressWarnings("NullAway.Init")
        private Environment environment;
        @SuppressWarnings("NullAway.Init")
        private ResourceLoader resourceLoader;

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
        }

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void setResourceLoader(ResourceLoader resourceLoader) {
            this.resourceLoader = resourceLoader;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata importing, BeanDefinitionRegistry registry) {
            if (!AutoConfigurationPackages.has(beanFactory)) {
                return;
            }
            List<String> hooks = Arrays.stream(HookMethod.Kind.values()).map(kind -> kind.annotation.getName())
                    .toList();
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(
                    false, environment);
            scanner.setResourceLoader(resourceLoader);
            scanner.addIncludeFilter((reader, factory) -> {
                AnnotationMetadata metadata = reader.getAnnotationMetadata();
                return metadata.isAnnotated(Component.class.getName())
                        && hooks.stream().anyMatch(metadata::hasAnnotatedMethods);
            });
            if (beanFactory.containsBean(TEST_TYPE_EXCLUDE_FILTER)) {
                scanner.addExcludeFilter(beanFactory.getBean(TEST_TYPE_EXCLUDE_FILTER, TypeExcludeFilter.class));
            }
            Set<String> registered = new HashSet<>();
            for (String name : registry.getBeanDefinitionNames()) {
                registered.add(registry.getBeanDefinition(name).getBeanClassName());
            }
            for (String basePackage : AutoConfigurationPackages.get(beanFactory)) {
                for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                    if (registered.add(candidate.getBeanClassName())) {
                        registry.registerBeanDefinition(
                                AnnotationBeanNameGenerator.INSTANCE.generateBeanName(candidate, registry), candidate);
                    }
                }
            }
        }
    }
}
