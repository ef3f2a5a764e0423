package io.flaskctx.actuate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/**
 * What counts as a secret in an app's config, for the {@code flaskctx} endpoint and for Boot's {@code env} and
 * {@code configprops}: a key (at any depth: {@code MAIL.PASSWORD}, {@code DATABASES.0.PASSWORD}) that names a
 * password, secret, key, token, credential, auth, salt or DSN; and the user-info of a URI in any value
 * ({@code postgres://u:pw@db/app}). Masking too much is the safe error here.
 */
final class Secrets {

    // A key (or a part of a path of keys, split on _ . - [ ]) that names a secret: most words anywhere (DB_PASSWORD,
    // APIKEY, OAUTH); PASS and PWD at the end of a part (DB_PASS, and dbpass, as Boot's configprops names it), not
    // inside one (PASSIVE); PW and CERT only as whole parts.
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|passphrase|secret|key|token"
            + "|credential|auth|salt|dsn|private|signature|cookie_value|vcap_services).*"
            + "|(?i).*(pass|pwd)([_.\\-\\[\\]].*)?"
            + "|(?i)(.*[_.\\-\\[])?(pw|cert)([_.\\-\\]].*)?|sun\\.java\\.command");

    // scheme://user-info@ ; the user-info ends at the first '@' before any '/', '?' or '#'.
    private static final Pattern URI_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://)([^/?#@\\s]+)@");

    private Secrets() {
    }

    /** @return whether a key, or any part of a dotted path of keys, names a secret */
    static boolean isSecretKey(String key) {
        return key != null && SECRET_NAME.matcher(key).matches();
    }

    /** @return whether {@code text} holds a URI with user-info */
    static boolean hasUriUserInfo(String text) {
        return text != null && URI_USER_INFO.matcher(text).find();
    }

    /**
     * Masks the password of each URI's user-info ({@code postgres://u:******@db/app}), or the whole user-info
     * when it has no password part ({@code https://******@host}: usually a token).
     */
    static String maskUriUserInfo(String text) {
        Matcher matcher = URI_USER_INFO.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            String userInfo = matcher.group(2);
            int colon = userInfo.indexOf(':');
            String replacement = matcher.group(1) + (colon < 0 ? SanitizableData.SANITIZED_VALUE
                    : userInfo.substring(0, colon + 1) + SanitizableData.SANITIZED_VALUE) + "@";
            matcher.appendReplacement(masked, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(masked);
        return masked.toString();
    }
}
