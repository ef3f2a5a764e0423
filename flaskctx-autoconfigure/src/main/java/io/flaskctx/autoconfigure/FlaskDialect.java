package io.flaskctx.autoconfigure;

import io.flaskctx.Flask;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IExpressionObjectDialect;
import org.thymeleaf.expression.IExpressionObjectFactory;

/**
 * Flask's {@code get_flashed_messages} for Thymeleaf, as a function: {@code ${#get_flashed_messages()}} (the
 * messages), {@code ${#get_flashed_messages(true)}} ({@code (category, message)} tuples, {@code t[0]},
 * {@code t[1]}), {@code ${#get_flashed_messages(false, {'error'})}} (a category filter). The first call of a
 * request takes the messages out of the session, as in Flask.
 */
final class FlaskDialect extends AbstractDialect implements IExpressionObjectDialect {

    static final String NAME = "get_flashed_messages";
    private static final Method FUNCTION;

    static {
        try {
            FUNCTION = FlaskDialect.class.getDeclaredMethod("getFlashedMessages", Object[].class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    FlaskDialect() {
        super("flaskctx");
    }

    @Override
    public IExpressionObjectFactory getExpressionObjectFactory() {
        return new IExpressionObjectFactory() {
            @Override
            public Set<String> getAllExpressionObjectNames() {
                return Set.of(NAME);
            }

            @Override
            public @Nullable Object buildObject(IExpressionContext context, String expressionObjectName) {
                return NAME.equals(expressionObjectName) ? FUNCTION : null;
            }

            @Override
            public boolean isCacheable(String expressionObjectName) {
                return true;
            }
        };
    }

    /**
     * Flask's {@code get_flashed_messages(with_categories=False, category_filter=())}.
     *
     * @param args optionally {@code with_categories} (a boolean) first, then the categories (strings, or lists of
     *     them)
     * @return the messages, or {@code (category, message)} tuples
     */
    static List<?> getFlashedMessages(Object... args) {
        boolean withCategories = false;
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (i == 0 && arg instanceof Boolean flag) {
                withCategories = flag;
            } else if (arg instanceof Collection<?> many) {
                many.forEach(category -> categories.add(String.valueOf(category)));
            } else if (arg instanceof Object[] many) {
                for (Object category : many) {
                    categories.add(String.valueOf(category));
                }
            } else if (arg != null) {
                categories.add(String.valueOf(arg));
            }
        }
        String[] filter = categories.toArray(new String[0]);
        return withCategories ? Flask.getFlashedMessagesWithCategories(filter) : Flask.getFlashedMessages(filter);
    }

    /** Thymeleaf calls the function by reflection: a native image needs to be told so. */
    static final class Hints implements RuntimeHintsRegistrar {

        @Override
        public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
            hints.reflection().registerMethod(FUNCTION, ExecutableMode.INVOKE);
        }
    }
}
