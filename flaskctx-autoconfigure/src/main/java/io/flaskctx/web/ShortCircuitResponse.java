package io.flaskctx.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/**
 * Writes what a before hook returned as the response, the way a handler's return value would be: a
 * {@link ResponseEntity} with its status and headers, anything else as a {@code @ResponseBody} with status
 * 200, through the application's message converters and the request's {@code Accept} header. The response
 * it writes to runs the after hooks as the body is opened, after the converter has set its headers.
 */
final class ShortCircuitResponse {

    private final Supplier<List<HttpMessageConverter<?>>> converters;

    ShortCircuitResponse(Supplier<List<HttpMessageConverter<?>>> converters) {
        this.converters = converters;
    }

    /** Sets status and headers, then writes the body. */
    void write(Object result, HttpServletRequest request, HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        Object body = result;
        MediaType contentType = null;
        if (result instanceof ResponseEntity<?> entity) {
            response.setStatus(entity.getStatusCode().value());
            HttpHeaders headers = entity.getHeaders();
            headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            contentType = headers.getContentType();
            body = entity.getBody();
        } else {
            response.setStatus(HttpServletResponse.SC_OK);
        }
        if (body != null) {
            write(body, contentType, request, response);
        }
    }

    @SuppressWarnings("unchecked")
    private void write(Object body, @Nullable MediaType contentType, HttpServletRequest request,
            HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        List<MediaType> accepted = contentType != null ? List.of(contentType) : acceptable(request);
        for (MediaType mediaType : accepted) {
            for (HttpMessageConverter<?> converter : converters.get()) {
                if (converter.canWrite(body.getClass(), mediaType)) {
                    MediaType chosen = mediaType.isConcrete() ? mediaType : null;
                    ((HttpMessageConverter<Object>) converter).write(body, chosen, new ServletServerHttpResponse(response));
                    return;
                }
            }
        }
        throw new HttpMediaTypeNotAcceptableException("No converter writes a " + body.getClass().getName()
                + " returned by a before hook as " + accepted);
    }

    private static List<MediaType> acceptable(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return List.of(MediaType.ALL);
        }
        List<MediaType> types = MediaType.parseMediaTypes(accept);
        MimeTypeUtils.sortBySpecificity(types);
        return types;
    }
}
