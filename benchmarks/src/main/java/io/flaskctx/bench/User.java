package io.flaskctx.bench;

/** The per-request value every peer stores and reads: a user, as a before hook would load it. */
public record User(String name) {

    static final User ALICE = new User("alice");
}
