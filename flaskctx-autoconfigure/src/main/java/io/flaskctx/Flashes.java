package io.flaskctx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Flask's message flashing ({@code flash} and {@code get_flashed_messages}): messages wait in the session
 * under {@code _flashes}, as a list of {@code (category, message)} tuples, until a later request takes them.
 * The layout is Flask's, so messages flashed by one app are shown by the other.
 */
final class Flashes {

    static final String KEY = "_flashes";

    private Flashes() {
    }

    static void flash(RequestContext context, CharSequence message, String category) {
        Objects.requireNonNull(message, "message");
        Session session = context.session();
        Object text = message instanceof Markup ? message : message.toString();
        // Read, append, write back (as Flask does since 0.11): stores that keep a copy see the change. As one
        // compute, so that a store shared by concurrent requests (the HttpSession) can make it atomic.
        session.compute(KEY, (key, stored) -> {
            List<Object> flashes = stored instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
            flashes.add(Tuple.of(category, text));
            return flashes;
        });
        FlaskApp app = context.app();
        SignalReceiver signals = app.signalReceiver();
        if (signals != null) {
            signals.messageFlashed(app, text.toString(), category);
        }
    }

    static List<String> messages(RequestContext context, String... categoryFilter) {
        List<String> messages = new ArrayList<>();
        for (Tuple flash : withCategories(context, categoryFilter)) {
            messages.add(String.valueOf(flash.get(1)));
        }
        return messages;
    }

    static List<Tuple> withCategories(RequestContext context, String... categoryFilter) {
        List<Tuple> flashes = taken(context);
        if (categoryFilter.length == 0) {
            return flashes;
        }
        List<String> categories = Arrays.asList(categoryFilter);
        List<Tuple> matching = new ArrayList<>();
        for (Tuple flash : flashes) {
            if (categories.contains(flash.get(0))) {
                matching.add(flash);
            }
        }
        return Collections.unmodifiableList(matching);
    }

    /** The first call of a request takes the messages out of the session; later calls get the same ones. */
    private static List<Tuple> taken(RequestContext context) {
        List<Tuple> flashes = context.flashes();
        if (flashes != null) {
            return flashes;
        }
        Session session = context.session();
        Object stored = session.containsKey(KEY) ? session.remove(KEY) : null;
        List<Tuple> taken = new ArrayList<>();
        if (stored instanceof List<?> items) {
            for (Object item : items) {
                // Flask writes (category, message) tuples; a list of two from another writer is read the same way.
                if (item instanceof List<?> pair && pair.size() == 2) {
                    taken.add(item instanceof Tuple tuple ? tuple : Tuple.copyOf(pair));
                }
            }
        }
        flashes = Collections.unmodifiableList(taken);
        context.flashes(flashes);
        return flashes;
    }
}
