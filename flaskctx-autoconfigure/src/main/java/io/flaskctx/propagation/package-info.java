/**
 * Carrying contexts to other threads ({@code copy_current_request_context} applied for you): a Spring
 * {@link org.springframework.core.task.TaskDecorator} for executors, and a Micrometer context-propagation
 * {@code ThreadLocalAccessor} for {@code ContextSnapshot}, {@code ContextExecutorService} and Reactor.
 */
@NullMarked
package io.flaskctx.propagation;

import org.jspecify.annotations.NullMarked;
