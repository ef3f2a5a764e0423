package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.FlaskApp;
import io.flaskctx.session.BadDataException.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A payload's bytes become text as Flask's serializer turns them into text: strict UTF-8. Each case is a cookie
 * Flask 3.1 signed and then loaded or refused ({@code payload_text.py}, its output beside it): well-formed text of
 * one to four bytes a character, U+FFFD and U+FFFF sent as text, and malformed bytes (a bad start byte, a lone
 * continuation byte, an overlong form, an encoded surrogate, a form cut short, a code point past U+10FFFF), one of
 * them after a U+FFFD that was sent. flaskctx decodes leniently first and checks for U+FFFD in the result, so the
 * cases with a U+FFFD, sent or put there for malformed bytes, are the ones that tell the two decoders apart.
 */
class PayloadTextTest {

    @Test
    void loadsWhatFlaskLoadsAndRefusesWhatItRefuses() throws Exception {
        Map<String, Object> recorded = Vectors.read("payload_text.out.json");
        FlaskApp app = new FlaskApp("payload-text");
        app.config().put("SECRET_KEY", recorded.get("secret_key"));
        UrlSafeTimedSerializer serializer = new SecureCookieSessionInterface().signingSerializer(app);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) recorded.get("cases");
        int loaded = 0;
        int notUtf8 = 0;
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            String cookie = (String) c.get("cookie");
            if ((Boolean) c.get("ok")) {
                Object ours = serializer.loads(cookie, null);
                assertThat(Vectors.JSON.writeValueAsString(ours)).as(name)
                        .isEqualTo(Vectors.JSON.writeValueAsString(c.get("value")));
                loaded++;
                continue;
            }
            String cause = (String) c.get("cause");
            String message = cause.startsWith("UnicodeDecodeError")
                    ? "Payload is not UTF-8"
                    : "Could not load the payload";
            assertThatThrownBy(() -> serializer.loads(cookie, null)).as(name + ": " + cause)
                    .isInstanceOfSatisfying(BadDataException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD))
                    .hasMessageStartingWith(message);
            notUtf8 += message.startsWith("Payload") ? 1 : 0;
        }
        assertThat(loaded).as("cases Flask loaded").isEqualTo(8);
        assertThat(notUtf8).as("cases Flask refused as not UTF-8").isEqualTo(8);
    }
}
