package io.flaskctx;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * A Python {@code tuple} in a session: an immutable sequence that Flask's session serializer tags as
 * {@code {" t": [...]}}, so that it comes back as a tuple rather than a list. Flask's flashed messages are
 * stored as tuples {@code (category, message)}; put a {@code Tuple} in a session that a Flask app reads as
 * a tuple, and read one back wherever a Flask app stored one.
 *
 * <p>Java has no tuple type, and a plain {@link java.util.List} stays a JSON list (Python's {@code list}),
 * so the type alone carries the difference. It is a {@code List}, so it indexes, iterates and streams like
 * one, and (as the {@code List} contract requires) it equals any list with the same elements; Python's
 * {@code (1, 2) != [1, 2]} is visible only through the type. Elements may be null (Python's {@code None}).
 * It is serializable (for server-side session stores) when its elements are.
 */
public final class Tuple extends AbstractList<Object> implements RandomAccess, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Tuple EMPTY = new Tuple(new Object[0]);

    /** The elements, in order; never changed after construction. */
    private final Object[] items;

    private Tuple(Object[] items) {
        this.items = items;
    }

    /**
     * {@return a tuple of them (a copy: later changes to the array do not show)}
     *
     * @param items the elements, in order; nulls allowed
     */
    public static Tuple of(Object... items) {
        return items.length == 0 ? EMPTY : new Tuple(items.clone());
    }

    /**
     * {@return a tuple of them}
     *
     * @param items the elements, in iteration order; nulls allowed
     */
    public static Tuple copyOf(Collection<?> items) {
        return items.isEmpty() ? EMPTY : new Tuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** Python's repr, for logs: {@code ('a', 1)}, {@code (1,)}, {@code ()}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            Object item = items[i];
            out.append(item instanceof CharSequence text && !(item instanceof Markup) ? "'" + text + "'"
                    : String.valueOf(item));
        }
        return out.append(items.length == 1 ? ",)" : ")").toString();
    }
}
