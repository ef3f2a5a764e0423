package io.flaskctx.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;

/**
 * A response that asks its request's dispatch to finalize the response ({@link RequestDispatch#finalizeIfHere()})
 * once, just before anything could commit it: when the body is first opened for writing, flushed, or an error or
 * redirect is sent. Message converters open the body only after setting their headers, so the after hooks see and
 * may change the final status and headers of every kind of response, {@code @ResponseBody} included.
 *
 * <p>When the dispatch decides the response must be a 500 instead ({@link #failWithServerError()}: an after
 * hook threw), what the handler goes on to write is discarded, so that no half-written body with the handler's
 * headers reaches the client, and {@link #sendServerError()} sends the error once the request is done.
 *
 * <p>While a view renders ({@link #bufferBody()}), the body goes to memory instead and nothing commits, so that
 * the after hooks and the session save run after the template, as Flask's do after {@code render_template}.
 */
final class CommitAwareResponse extends HttpServletResponseWrapper {

    // Armed on the request thread, fired where the body is first opened, which may be another thread. The dispatch
    // itself rather than a callback: no lambda per request.
    private volatile @Nullable RequestDispatch beforeCommit;
    // Set when the dispatch turned the response into a 500: the handler's body and errors go nowhere.
    private volatile boolean failed;
    // While a view renders: its body, kept here until the after hooks ran (Flask renders before finalize_request).
    private @Nullable ByteArrayOutputStream buffered;
    private @Nullable PrintWriter bufferedWriter;

    CommitAwareResponse(HttpServletResponse response) {
        super(response);
    }

    /** Arms (or with null, disarms) the finalization of {@code dispatch} before anything commits this response. */
    void beforeCommit(@Nullable RequestDispatch dispatch) {
        this.beforeCommit = dispatch;
    }

    private void fire() {
        RequestDispatch dispatch = beforeCommit;
        if (dispatch != null) {
            beforeCommit = null;
            dispatch.finalizeIfHere();
        }
    }

    /**
     * Makes this response a 500 with no body yet: status and headers set so far are dropped, and whatever the
     * handler writes, sends or redirects from now on is discarded. Called by the dispatch, before anything
     * could commit.
     */
    void failWithServerError() {
        failed = true;
        if (!isCommitted()) {
            reset();
            setStatus(SC_INTERNAL_SERVER_ERROR);
        }
    }

    /** Sends the 500 that {@link #failWithServerError()} decided, so that the container renders its error page. */
    void sendServerError() throws IOException {
        if (failed && !isCommitted()) {
            super.sendError(SC_INTERNAL_SERVER_ERROR);
        }
    }

    /** Keeps what is written from now on in memory, uncommitted, until {@link #takeBody()}. */
    void bufferBody() {
        buffered = new ByteArrayOutputStream();
        bufferedWriter = null;
    }

    /** @return the body written since {@link #bufferBody()}, which ends; null when nothing was buffered */
    byte @Nullable [] takeBody() {
        ByteArrayOutputStream body = buffered;
        if (body == null) {
            return null;
        }
        if (bufferedWriter != null) {
            bufferedWriter.flush();
        }
        buffered = null;
        bufferedWriter = null;
        return body.toByteArray();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ByteArrayOutputStream body = buffered;
        if (body != null) {
            return new Buffered(body, "A view renders into a buffer, written once the after hooks ran");
        }
        fire();
        return failed ? Discarded.STREAM : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        ByteArrayOutputStream body = buffered;
        if (body != null) {
            if (bufferedWriter == null) {
                bufferedWriter = new PrintWriter(new OutputStreamWriter(body, Charset.forName(getCharacterEncoding())));
            }
            return bufferedWriter;
        }
        fire();
        return failed ? new PrintWriter(Discarded.STREAM) : super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        if (buffered != null) {
            return;
        }
        fire();
        if (!failed) {
            super.flushBuffer();
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        fire();
        if (!failed) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        fire();
        if (!failed) {
            super.sendError(sc);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        fire();
        if (!failed) {
            super.sendRedirect(location);
        }
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        fire();
        if (!failed) {
            super.sendRedirect(location, sc);
        }
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        fire();
        if (!failed) {
            super.sendRedirect(location, clearBuffer);
        }
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        fire();
        if (!failed) {
            super.sendRedirect(location, sc, clearBuffer);
        }
    }

    @Override
    public void resetBuffer() {
        if (buffered != null) {
            buffered.reset();
        }
        super.resetBuffer();
    }

    @Override
    public void setStatus(int sc) {
        if (!failed || sc == SC_INTERNAL_SERVER_ERROR) {
            super.setStatus(sc);
        }
    }

    /** A body kept out of the real response: in memory while a view renders, nowhere once the response failed. */
    private static final class Buffered extends ServletOutputStream {

        private final OutputStream body;
        private final String noListener;

        Buffered(OutputStream body, String noListener) {
            this.body = body;
            this.noListener = noListener;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(jakarta.servlet.WriteListener writeListener) {
            throw new IllegalStateException(noListener);
        }

        @Override
        public void write(int b) throws IOException {
            body.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            body.write(b, off, len);
        }
    }

    /** Where a failed response's body goes. */
    private static final class Discarded {

        static final Buffered STREAM = new Buffered(OutputStream.nullOutputStream(),
                "This response failed with a 500 and takes no body");

        private Discarded() {
        }
    }
}
