package io.flaskctx.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A response that runs a callback once, just before anything could commit it: when the body is first opened
 * for writing, flushed, or an error or redirect is sent. Message converters open the body only after setting
 * their headers, so the callback (the after hooks) sees and may change the final status and headers of every
 * kind of response, {@code @ResponseBody} included.
 */
final class CommitAwareResponse extends HttpServletResponseWrapper {

    // Armed on the request thread, fired where the body is first opened, which may be another thread.
    private volatile Runnable beforeCommit;

    CommitAwareResponse(HttpServletResponse response) {
        super(response);
    }

    void beforeCommit(Runnable callback) {
        this.beforeCommit = callback;
    }

    private void fire() {
        Runnable callback = beforeCommit;
        if (callback != null) {
            beforeCommit = null;
            callback.run();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        fire();
        return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        fire();
        return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        fire();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        fire();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        fire();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        fire();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        fire();
        super.sendRedirect(location, sc);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        fire();
        super.sendRedirect(location, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        fire();
        super.sendRedirect(location, sc, clearBuffer);
    }
}
