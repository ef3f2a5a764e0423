package io.flaskctx;

/**
 * Flask's {@code current_app}: a proxy to the app whose context is current on the calling thread.
 *
 * <p>Inject it (or take {@link #proxy()}) into any bean, singleton or not; each call resolves the current
 * app again, so a bean serving several apps (see multi-app mounts) always sees the right one. Injecting
 * {@link FlaskApp} instead gives one app itself. Every method throws {@link OutsideContextException} when
 * no app context is pushed.
 */
public interface CurrentApp {

    /**
     * {@return the {@code current_app} proxy, a singleton}
     */
    static CurrentApp proxy() {
        return CurrentAppProxy.INSTANCE;
    }

    /**
     * Returns the app itself (Flask's {@code current_app._get_current_object()}), for code that must keep
     * it beyond the current context.
     *
     * @return the current app
     */
    FlaskApp get();

    /**
     * {@return the current app's name ({@code current_app.name})}
     */
    default String name() {
        return get().name();
    }

    /**
     * {@return the current app's config ({@code current_app.config})}
     */
    default Config config() {
        return get().config();
    }
}
