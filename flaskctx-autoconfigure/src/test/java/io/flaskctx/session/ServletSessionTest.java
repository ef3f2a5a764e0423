package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

/** The servlet store's session against one shared {@code HttpSession}, as two requests of one visitor see it. */
class ServletSessionTest {

    private static ServletSession requestOf(MockHttpSession shared) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSession(shared);
        return new ServletSession(request);
    }

    private static int plusOne(Object value) {
        return value == null ? 1 : (Integer) value + 1;
    }

    @Test
    void aReadModifyWriteHoldsTheSessionMutexSoAConcurrentOneWaitsInsteadOfLosingItsUpdate() throws Exception {
        MockHttpSession shared = new MockHttpSession();
        ServletSession first = requestOf(shared);
        ServletSession second = requestOf(shared);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread a = new Thread(() -> first.compute("n", (key, value) -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return plusOne(value);
        }));
        a.start();
        inside.await();
        Thread b = new Thread(() -> second.compute("n", (key, value) -> plusOne(value)));
        b.start();
        // b must block on the session while a is inside its read-modify-write; without the mutex it runs through
        while (b.isAlive() && b.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
        }
        boolean finishedWhileTheOtherWasInside = !b.isAlive();
        release.countDown();
        a.join();
        b.join();
        assertThat(finishedWhileTheOtherWasInside).isFalse();
        assertThat(shared.getAttribute("n")).isEqualTo(2);
    }

    @Test
    void theMutexSpringRegisteredIsTheOneHeld() throws Exception {
        MockHttpSession shared = new MockHttpSession();
        Object mutex = new Object();
        shared.setAttribute(ServletSession.MUTEX_ATTRIBUTE, mutex);
        ServletSession session = requestOf(shared);
        boolean[] held = new boolean[1];
        session.compute("n", (key, value) -> {
            held[0] = Thread.holdsLock(mutex);
            return 1;
        });
        assertThat(held[0]).isTrue();
    }

    @Test
    void regenerateMovesTheDataToANewId() {
        MockHttpSession shared = new MockHttpSession();
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSession(shared);
        ServletSession session = new ServletSession(request);
        session.put("cart", "book");
        String planted = shared.getId();

        session.regenerate();

        assertThat(request.getSession(false).getId()).isNotEqualTo(planted);
        assertThat(session).containsEntry("cart", "book");
    }

    @Test
    void regenerateWithoutAnHttpSessionCreatesNone() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        new ServletSession(request).regenerate();
        assertThat(request.getSession(false)).isNull();
    }
}
