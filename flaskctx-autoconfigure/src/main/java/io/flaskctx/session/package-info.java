/**
 * Flask's sessions ({@code flask.sessions}, with the parts of itsdangerous and Werkzeug they use): the
 * {@link io.flaskctx.SessionInterface} SPI, the signed-cookie store
 * ({@link io.flaskctx.session.SecureCookieSessionInterface}, byte-compatible with Flask 3.1's cookies) and the
 * {@code HttpSession} store ({@link io.flaskctx.session.ServletSessionInterface}), and the Python types a
 * Flask session can hold that Java lacks ({@link io.flaskctx.Tuple}, {@link io.flaskctx.Markup}).
 * The session itself is {@link io.flaskctx.Session}.
 *
 * <p>Values in a cookie session map to Java as: dict to {@code Map} (read back as {@code LinkedHashMap}),
 * list to {@code List} ({@code ArrayList}), tuple to {@code Tuple}, str to {@code String}, int to
 * {@code Long} (or {@code BigInteger} beyond it; {@code Integer} and the like are written too), float to
 * {@code Double}, bool to {@code Boolean}, None to null, bytes to {@code byte[]}, Markup to {@code Markup},
 * UUID to {@code UUID}, datetime to {@code Instant} (written from {@code Instant}, {@code ZonedDateTime},
 * {@code OffsetDateTime}, {@code LocalDateTime} taken as UTC, or {@code Date}; whole seconds, as in Flask).
 * Written but read back as strings, as in Flask: {@code LocalDate} (date) and {@code BigDecimal} (Decimal);
 * records are written as maps, as Flask writes dataclasses.
 */
@NullMarked
package io.flaskctx.session;

import org.jspecify.annotations.NullMarked;
