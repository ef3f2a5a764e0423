package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * Every flaskctx package is {@code @NullMarked} (JSpecify, as in Spring Framework 7): only then does NullAway check
 * it in the build, and do Kotlin and null checkers in applications see its nullness. A new package without a
 * {@code package-info.java} carrying the annotation fails here.
 */
class NullMarkedPackagesTest {

    @Test
    void everyPackageIsNullMarked() {
        List<String> packages = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flaskctx").stream().map(JavaClass::getPackageName).distinct().sorted().toList();
        assertThat(packages).contains("io.flaskctx", "io.flaskctx.local", "io.flaskctx.session",
                "io.flaskctx.autoconfigure", "io.flaskctx.web");
        assertThat(packages).allSatisfy(name -> assertThat(nullMarked(name))
                .as("package %s has a package-info.java with @NullMarked", name).isTrue());
    }

    private static boolean nullMarked(String packageName) {
        try {
            return Class.forName(packageName + ".package-info").isAnnotationPresent(NullMarked.class);
        } catch (ClassNotFoundException noPackageInfo) {
            return false;
        }
    }
}
