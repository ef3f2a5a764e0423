package io.flaskctx;

import org.jspecify.annotations.Nullable;

/** Two {@link ContextListener}s of one app, told in the order they were added. */
final class ContextListeners implements ContextListener {

    private final ContextListener first;
    private final ContextListener second;

    ContextListeners(ContextListener first, ContextListener second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void appContextPushed(AppContext context) {
        first.appContextPushed(context);
        second.appContextPushed(context);
    }

    @Override
    public void appContextPopped(AppContext context) {
        // the reverse order, as scopes close
        second.appContextPopped(context);
        first.appContextPopped(context);
    }

    @Override
    public void appContextTornDown(AppContext context, @Nullable Throwable error) {
        second.appContextTornDown(context, error);
        first.appContextTornDown(context, error);
    }

    @Override
    public void gChanged(G g, String name) {
        first.gChanged(g, name);
        second.gChanged(g, name);
    }
}
