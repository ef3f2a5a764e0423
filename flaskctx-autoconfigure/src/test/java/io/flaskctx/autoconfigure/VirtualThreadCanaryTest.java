package io.flaskctx.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.test.context.SpringBootTest;

/** The same canary with Tomcat and the task executor on virtual threads (JDK 21+; CI runs it on Temurin 25). */
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(classes = AsyncCanaryTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=canary", "spring.threads.virtual.enabled=true"})
class VirtualThreadCanaryTest extends AsyncCanaryTest {

    @Test
    @Override
    void hundredsOfAsyncRequestsKeepTheirOwnGAndTearDownOnceEach() throws Exception {
        runCanary(300);
    }
}
