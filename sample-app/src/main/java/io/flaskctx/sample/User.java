package io.flaskctx.sample;

import io.flaskctx.G;

/**
 * The user of the current request, as Flask apps keep it in {@code g.user}.
 *
 * @param name who sent the request
 */
public record User(String name) {

    /** Where the user lives in {@code g}; the typed key saves every reader a cast. */
    public static final G.Key<User> KEY = G.Key.of("user", User.class);
}
