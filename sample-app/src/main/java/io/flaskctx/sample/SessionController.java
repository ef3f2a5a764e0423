package io.flaskctx.sample;

import io.flaskctx.Flask;
import io.flaskctx.Markup;
import io.flaskctx.Session;
import io.flaskctx.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flask's {@code session} and message flashing over HTTP. The session lives in a signed cookie that a Flask
 * app with the same {@code SECRET_KEY} reads and writes too; try it with curl's cookie jar (see the README).
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class SessionController {

    /**
     * A flashed message, as {@code get_flashed_messages(with_categories=True)} gives it.
     *
     * @param category e.g. message, error
     * @param message the text
     */
    public record Flashed(String category, String message) {
    }

    private final Session session;

    /** @param session the injected proxy: always the session of the request being served */
    public SessionController(Session session) {
        this.session = session;
    }

    /** @return the session as JSON */
    @GetMapping("/session")
    public Map<String, Object> show() {
        return json(session);
    }

    /**
     * Merges a JSON object into the session ({@code session.update(...)} in Flask).
     *
     * @param values the keys and values to store
     * @return the session after the change
     */
    @PostMapping("/session")
    public Map<String, Object> merge(@RequestBody Map<String, Object> values) {
        session.putAll(values);
        return json(session);
    }

    /**
     * Flashes a message for the next request that shows them ({@code flash(message, category)}).
     *
     * @param message the text
     * @param category the category, "message" by default as in Flask
     * @return what was flashed
     */
    @PostMapping("/flash")
    public Flashed flash(@RequestParam String message, @RequestParam(defaultValue = "message") String category) {
        Flask.flash(message, category);
        return new Flashed(category, message);
    }

    /** @return the flashed messages, taken out of the session ({@code get_flashed_messages(with_categories=True)}) */
    @GetMapping("/flashes")
    public List<Flashed> flashes() {
        List<Flashed> flashed = new ArrayList<>();
        for (Tuple flash : Flask.getFlashedMessagesWithCategories()) {
            flashed.add(new Flashed(String.valueOf(flash.get(0)), String.valueOf(flash.get(1))));
        }
        return flashed;
    }

    /** A copy fit for JSON: tuples become arrays and Markup its text (bytes, UUIDs and instants Jackson writes). */
    private static Map<String, Object> json(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), jsonValue(value)));
        return copy;
    }

    private static Object jsonValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return json(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SessionController::jsonValue).toList();
        }
        return value instanceof Markup markup ? markup.toString() : value;
    }
}
