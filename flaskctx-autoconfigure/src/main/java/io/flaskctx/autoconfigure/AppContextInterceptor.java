package io.flaskctx.autoconfigure;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;

/**
 * Runs a wrapped call inside an app context, as Flask's {@code with_appcontext} runs a command: pushed only when no
 * app context of that app is current (a call made inside a request, a runner or another wrapped call reuses its
 * caller's context and leaves its teardown to the caller), popped when the call returns, with the exception that
 * escaped it passed to the teardown hooks.
 */
final class AppContextInterceptor implements MethodInterceptor {

    private final AppContextMethods methods;
    private final Supplier<FlaskApps> appsLookup;
    private volatile @Nullable FlaskApps apps;

    AppContextInterceptor(AppContextMethods methods, Supplier<FlaskApps> apps) {
        this.methods = methods;
        this.appsLookup = apps;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        AppContextMethods.Wrapped wrapped = methods.find(invocation.getMethod(),
                target == null ? null : AopUtils.getTargetClass(target));
        if (wrapped == null) {
            return invocation.proceed();
        }
        FlaskApp app = wrapped.app(apps());
        if (Flask.hasAppContext() && Flask.currentApp() == app) {
            return invocation.proceed();
        }
        // Flask's with block: the call's exception reaches the teardown hooks, then propagates.
        return app.appContext(wrapped.origin()).call(() -> proceed(invocation));
    }

    private static @Nullable Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Exception | Error failure) {
            throw failure;
        } catch (Throwable other) {
            throw new UndeclaredThrowableException(other);
        }
    }

    private FlaskApps apps() {
        FlaskApps known = apps;
        if (known == null) {
            known = appsLookup.get();
            apps = known;
        }
        return known;
    }
}
