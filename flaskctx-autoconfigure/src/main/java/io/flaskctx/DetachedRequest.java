package io.flaskctx;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a copy of a request context sees of its request once the servlet container has taken the request back.
 * Werkzeug's request is a Python object that outlives the response; a container's request object is recycled
 * for the next one, after which its methods throw. So when a request ends while copies of its context still
 * run ({@code @Async} work it started and did not wait for), the request context swaps in this snapshot, taken
 * while the request was still alive: method, URL parts, headers, cookies, attributes (a copy: changing them
 * changes only the snapshot), parameters, locale, user and addresses. Parameters are kept when reading them
 * costs no more than the query string or a small form ({@value #SMALL_FORM} bytes at most): a large upload
 * the view chose not to read is not read for them. Everything else (the body, the session, async,
 * {@code getRemoteHost}, which may resolve a name) needs the live request and throws the container's
 * {@code IllegalStateException}.
 */
final class DetachedRequest extends HttpServletRequestWrapper {

    /** The largest form body read to keep the parameters of a request that had not read them. */
    static final int SMALL_FORM = 64 * 1024;

    private final String method;
    private final String requestUri;
    private final String requestUrl;
    private final String queryString;
    private final String contextPath;
    private final String servletPath;
    private final String pathInfo;
    private final String protocol;
    private final String scheme;
    private final String serverName;
    private final int serverPort;
    private final boolean secure;
    private final String remoteAddr;
    private final int remotePort;
    private final String localAddr;
    private final String localName;
    private final int localPort;
    private final String contentType;
    private final String characterEncoding;
    private final long contentLength;
    private final List<Locale> locales;
    private final Cookie @Nullable [] cookies;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Principal userPrincipal;
    private final String remoteUser;
    private final String authType;
    private final String requestedSessionId;
    // null when reading them could mean reading a large body nobody asked for
    private final @Nullable Map<String, String[]> parameters;

    /** @param live the request, still alive: read now, never afterwards */
    DetachedRequest(HttpServletRequest live) {
        super(live);
        method = live.getMethod();
        requestUri = live.getRequestURI();
        requestUrl = live.getRequestURL().toString();
        queryString = live.getQueryString();
        contextPath = live.getContextPath();
        servletPath = live.getServletPath();
        pathInfo = live.getPathInfo();
        protocol = live.getProtocol();
        scheme = live.getScheme();
        serverName = live.getServerName();
        serverPort = live.getServerPort();
        secure = live.isSecure();
        remoteAddr = live.getRemoteAddr();
        remotePort = live.getRemotePort();
        localAddr = live.getLocalAddr();
        localName = live.getLocalName();
        localPort = live.getLocalPort();
        contentType = live.getContentType();
        characterEncoding = live.getCharacterEncoding();
        contentLength = live.getContentLengthLong();
        locales = Collections.list(live.getLocales());
        Cookie[] liveCookies = live.getCookies();
        cookies = liveCookies == null ? null : copy(liveCookies);
        for (String name : Collections.list(live.getHeaderNames())) {
            headers.put(name, Collections.list(live.getHeaders(name)));
        }
        for (String name : Collections.list(live.getAttributeNames())) {
            Object value = live.getAttribute(name);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        userPrincipal = live.getUserPrincipal();
        remoteUser = live.getRemoteUser();
        authType = live.getAuthType();
        requestedSessionId = live.getRequestedSessionId();
        parameters = parametersAffordable(live) ? copy(live.getParameterMap()) : null;
    }

    /** Whether the parameters come from the query string alone, or from a form body small enough to read. */
    private static boolean parametersAffordable(HttpServletRequest live) {
        String type = live.getContentType();
        if (type == null) {
            return true;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/")) {
            return false;
        }
        if (lower.startsWith("application/x-www-form-urlencoded")) {
            long length = live.getContentLengthLong();
            return length >= 0 && length <= SMALL_FORM;
        }
        return true;
    }

    private static Map<String, String[]> copy(Map<String, String[]> parameters) {
        Map<String, String[]> copy = new LinkedHashMap<>();
        parameters.forEach((name, values) -> copy.put(name, values.clone()));
        return Collections.unmodifiableMap(copy);
    }

    private static Cookie[] copy(Cookie[] cookies) {
        Cookie[] copies = new Cookie[cookies.length];
        for (int i = 0; i < cookies.length; i++) {
            copies[i] = (Cookie) cookies[i].clone();
        }
        return copies;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer(requestUrl);
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public String getServletPath() {
        return servletPath;
    }

    @Override
    public String getPathInfo() {
        return pathInfo;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public String getServerName() {
        return serverName;
    }

    @Override
    public int getServerPort() {
        return serverPort;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getRemoteAddr() {
        return remoteAddr;
    }

    @Override
    public int getRemotePort() {
        return remotePort;
    }

    @Override
    public String getLocalAddr() {
        return localAddr;
    }

    @Override
    public String getLocalName() {
        return localName;
    }

    @Override
    public int getLocalPort() {
        return localPort;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding;
    }

    @Override
    public int getContentLength() {
        return contentLength > Integer.MAX_VALUE ? -1 : (int) contentLength;
    }

    @Override
    public long getContentLengthLong() {
        return contentLength;
    }

    @Override
    public Locale getLocale() {
        return locales.isEmpty() ? Locale.getDefault() : locales.get(0);
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(locales);
    }

    @Override
    public Cookie @Nullable [] getCookies() {
        return cookies == null ? null : copy(cookies);
    }

    @Override
    public @Nullable String getHeader(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(headers.getOrDefault(name, List.of()));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(new ArrayList<>(headers.keySet()));
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(new ArrayList<>(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public @Nullable String getParameter(String name) {
        if (parameters == null) {
            return super.getParameter(name);
        }
        String[] values = parameters.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters == null ? super.getParameterMap() : parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return parameters == null ? super.getParameterNames() : Collections.enumeration(parameters.keySet());
    }

    @Override
    public String @Nullable [] getParameterValues(String name) {
        if (parameters == null) {
            return super.getParameterValues(name);
        }
        String[] values = parameters.get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Principal getUserPrincipal() {
        return userPrincipal;
    }

    @Override
    public String getRemoteUser() {
        return remoteUser;
    }

    @Override
    public String getAuthType() {
        return authType;
    }

    @Override
    public String getRequestedSessionId() {
        return requestedSessionId;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public String toString() {
        return "<detached request " + method + " " + requestUrl + (queryString == null ? "" : "?" + queryString)
                + ">";
    }
}
