package io.flaskctx;

/**
 * The {@code current_app} proxy: one stack lookup per call. A class rather than an enum, since an enum's
 * final {@code name()} would hide {@link CurrentApp#name()}.
 */
final class CurrentAppProxy implements CurrentApp {

    static final CurrentAppProxy INSTANCE = new CurrentAppProxy();

    private CurrentAppProxy() {
    }

    @Override
    public FlaskApp get() {
        return Globals.appContext().app();
    }

    @Override
    public String toString() {
        AppContext top = Globals.APP.top();
        return top == null ? "<LocalProxy unbound>" : top.app().toString();
    }
}
