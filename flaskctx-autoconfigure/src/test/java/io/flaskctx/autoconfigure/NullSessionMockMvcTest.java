package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flaskctx.Flask;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** CATALOGUE 4 and 6: without a SECRET_KEY the cookie store gives Flask's NullSession. */
@SpringBootTest(classes = SessionApp.class, properties = "flaskctx.app-name=nokey")
@AutoConfigureMockMvc
class NullSessionMockMvcTest {

    @Autowired
    MockMvc mvc;

    @AfterEach
    void threadHoldsNoContext() {
        assertThat(Flask.hasRequestContext() || Flask.hasAppContext()).isFalse();
    }

    @Test
    void aReadOnlyViewWorksAndGetsNoCookieAndNoVary() throws Exception {
        mvc.perform(get("/read").cookie(new Cookie("session", SessionMockMvcTest.ALICE))).andExpect(status().isOk())
                .andExpect(content().string("{}")).andExpect(header().doesNotExist("Set-Cookie"))
                .andExpect(header().doesNotExist("Vary"));
    }

    @Test
    void aWriteFailsWithFlasksMessageNamingTheProperty() {
        assertThatThrownBy(() -> mvc.perform(get("/set"))).isInstanceOf(ServletException.class)
                .rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessage("The session is unavailable because no secret key was set.  Set flaskctx.config.SECRET_KEY"
                        + " (app.config().put(\"SECRET_KEY\", ...) without Spring) to something unique and secret, or"
                        + " keep sessions in the HttpSession with flaskctx.session.store=servlet.");
    }
}
