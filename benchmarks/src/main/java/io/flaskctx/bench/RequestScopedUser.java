package io.flaskctx.bench;

/**
 * A {@code @RequestScope} bean (see {@link SpringRequestScope}): Spring's way to give a singleton a
 * per-request value. Callers hold a CGLIB scoped proxy that finds the request's instance on every call.
 */
public class RequestScopedUser {

    private User user = User.ALICE;

    public User user() {
        return user;
    }

    public void user(User user) {
        this.user = user;
    }
}
