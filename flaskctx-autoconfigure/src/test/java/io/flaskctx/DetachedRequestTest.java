package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The snapshot a copy outliving its request sees ({@link DetachedRequest}): read once, as the request ends, and
 * independent of the live request from then on; parameters only where reading them reads no large body.
 * {@code LateCopyRequestTest} shows it through Tomcat, where the live request really is recycled.
 */
class DetachedRequestTest {

    private static MockHttpServletRequest live(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setQueryString("q=1");
        request.setParameter("q", "1");
        request.addHeader("X-Token", "t1");
        request.addHeader("Accept", "text/plain");
        request.addHeader("Accept", "application/json");
        request.setAttribute("note", "set by the view");
        return request;
    }

    @Test
    void keepsWhatTheRequestSaidWhenItEndedWhateverTheLiveObjectDoesAfterwards() {
        MockHttpServletRequest live = live("GET", "/late");
        DetachedRequest detached = new DetachedRequest(live);

        live.setMethod("POST");
        live.setRequestURI("/other");
        live.setParameter("q", "2");
        live.removeHeader("X-Token");
        live.setAttribute("note", "changed by the next request");

        assertThat(detached.getMethod()).isEqualTo("GET");
        assertThat(detached.getRequestURI()).isEqualTo("/late");
        assertThat(detached.getRequestURL()).hasToString("http://localhost/late");
        assertThat(detached.getQueryString()).isEqualTo("q=1");
        assertThat(detached.getParameter("q")).isEqualTo("1");
        assertThat(detached.getHeader("x-token")).as("header names ignore case").isEqualTo("t1");
        assertThat(Collections.list(detached.getHeaders("ACCEPT"))).containsExactly("text/plain", "application/json");
        assertThat(detached.getAttribute("note")).isEqualTo("set by the view");
        assertThat(detached.isAsyncStarted()).isFalse();
    }

    @Test
    void itsAttributesAreItsOwn() {
        MockHttpServletRequest live = live("GET", "/late");
        DetachedRequest detached = new DetachedRequest(live);

        detached.setAttribute("late", "written by the late task");
        detached.removeAttribute("note");

        assertThat(live.getAttribute("late")).isNull();
        assertThat(live.getAttribute("note")).isEqualTo("set by the view");
        assertThat(Collections.list(detached.getAttributeNames())).containsExactly("late");
    }

    @Test
    void aSmallFormsParametersAreKeptButAnUploadOrALargeFormIsLeftUnread() {
        MockHttpServletRequest smallForm = live("POST", "/form");
        smallForm.setContentType("application/x-www-form-urlencoded");
        smallForm.setContent("q=1".getBytes());
        MockHttpServletRequest largeForm = live("POST", "/form");
        largeForm.setContentType("application/x-www-form-urlencoded; charset=UTF-8");
        largeForm.setContent(new byte[DetachedRequest.SMALL_FORM + 1]);
        MockHttpServletRequest upload = live("POST", "/upload");
        upload.setContentType("multipart/form-data; boundary=x");

        DetachedRequest keptSmall = new DetachedRequest(smallForm);
        DetachedRequest keptLarge = new DetachedRequest(largeForm);
        DetachedRequest keptUpload = new DetachedRequest(upload);
        for (MockHttpServletRequest live : new MockHttpServletRequest[] {smallForm, largeForm, upload}) {
            live.setParameter("q", "2");
        }

        assertThat(keptSmall.getParameter("q")).as("snapshot").isEqualTo("1");
        // not read at the end: asked of the live request, which a container has recycled by then (here it answers)
        assertThat(keptLarge.getParameter("q")).isEqualTo("2");
        assertThat(keptUpload.getParameter("q")).isEqualTo("2");
    }
}
