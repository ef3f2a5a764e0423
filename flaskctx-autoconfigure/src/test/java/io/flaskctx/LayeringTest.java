package io.flaskctx;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages' layering, as the README's Modules section describes it: the core ({@code io.flaskctx}) uses only
 * {@code io.flaskctx.local} and the Servlet API; sessions and signals build on the core; the integrations with
 * Spring (web, auto-configuration, actuator, propagation, scope, test support) use anything below them. A core
 * class that imports Spring, a session implementation, or an integration, or any package cycle, fails here.
 */
class LayeringTest {

    private static final JavaClasses FLASKCTX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.flaskctx");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("local").definedBy("io.flaskctx.local..")
                .layer("core").definedBy("io.flaskctx")
                .layer("sessions").definedBy("io.flaskctx.session..")
                .layer("signals").definedBy("io.flaskctx.signals..")
                .layer("integrations").definedBy("io.flaskctx.web..", "io.flaskctx.autoconfigure..",
                        "io.flaskctx.actuate..", "io.flaskctx.propagation..", "io.flaskctx.scope..",
                        "io.flaskctx.test..", "io.flaskctx.observation..")
                .whereLayer("integrations").mayNotBeAccessedByAnyLayer()
                .whereLayer("signals").mayOnlyBeAccessedByLayers("integrations")
                .whereLayer("sessions").mayOnlyBeAccessedByLayers("integrations")
                .whereLayer("core").mayOnlyBeAccessedByLayers("sessions", "signals", "integrations")
                .whereLayer("local").mayOnlyBeAccessedByLayers("core", "sessions", "signals", "integrations")
                .check(FLASKCTX);
    }

    @Test
    void theCoreAndItsLocalsNeedNoSpring() {
        noClasses().that().resideInAnyPackage("io.flaskctx", "io.flaskctx.local..", "io.flaskctx.session..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("the core runs without Spring: a script or a batch job pushes app contexts by hand")
                .check(FLASKCTX);
    }

    @Test
    void theCoreNeedsNoMicrometerNorSlf4j() {
        noClasses().that().resideInAnyPackage("io.flaskctx", "io.flaskctx.local..", "io.flaskctx.session..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "org.slf4j..")
                .because("observers of hooks and contexts plug in through HookObserver and ContextListener")
                .check(FLASKCTX);
        noClasses().that().resideInAPackage("io.flaskctx.observation..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("observations and the MDC work for a FlaskApp built by hand too")
                .check(FLASKCTX);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.flaskctx.(*)..").should().beFreeOfCycles().check(FLASKCTX);
    }
}
