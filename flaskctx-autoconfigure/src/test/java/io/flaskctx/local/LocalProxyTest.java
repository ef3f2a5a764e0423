package io.flaskctx.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LocalProxyTest {

    interface Greeter {
        String greet(String who);

        default String shout(String who) {
            return greet(who).toUpperCase();
        }
    }

    @Test
    void everyCallResolvesTheLookupAgain() {
        AtomicReference<Greeter> current = new AtomicReference<>(who -> "hello " + who);
        Greeter proxy = LocalProxy.of(Greeter.class, current::get);
        assertThat(proxy.greet("a")).isEqualTo("hello a");
        current.set(who -> "bye " + who);
        assertThat(proxy.greet("a")).isEqualTo("bye a");
        assertThat(proxy.shout("a")).isEqualTo("BYE A");
    }

    @Test
    void resolvesPerThreadWhenTheLookupReadsALocalStack() throws Exception {
        LocalStack<List<String>> stack = new LocalStack<>();
        @SuppressWarnings("unchecked")
        List<String> proxy = LocalProxy.of(List.class, stack::top);
        stack.push(new ArrayList<>(List.of("main")));
        Thread other = new Thread(() -> {
            stack.push(new ArrayList<>(List.of("other")));
            proxy.add("added-by-other");
            stack.pop();
        });
        other.start();
        other.join();
        assertThat(proxy).containsExactly("main");
        stack.pop();
    }

    @Test
    void exceptionsOfTheTargetPropagateUnwrapped() {
        Greeter proxy = LocalProxy.of(Greeter.class, () -> who -> {
            throw new IllegalArgumentException("no " + who);
        });
        assertThatIllegalArgumentException().isThrownBy(() -> proxy.greet("x")).withMessage("no x");
    }

    @Test
    void toStringSaysUnboundWhenTheLookupFails() {
        Supplier<Greeter> nothing = () -> {
            throw new IllegalStateException("outside");
        };
        Greeter proxy = LocalProxy.of(Greeter.class, nothing);
        assertThat(proxy.toString()).isEqualTo("<LocalProxy unbound>");
        assertThatThrownBy(() -> proxy.greet("x")).isInstanceOf(IllegalStateException.class).hasMessage("outside");
    }

    @Test
    void aLookupReturningNullIsReportedAsUnbound() {
        Greeter proxy = LocalProxy.of(Greeter.class, () -> null);
        assertThatThrownBy(() -> proxy.greet("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void unwrapGivesTheCurrentObjectAndEqualsComparesIt() {
        Greeter real = who -> who;
        Greeter proxy = LocalProxy.of(Greeter.class, () -> real);
        assertThat(LocalProxy.unwrap(proxy)).isSameAs(real);
        assertThat(LocalProxy.unwrap(real)).isSameAs(real);
        assertThat(proxy.equals(real)).isTrue();
        assertThat(proxy.hashCode()).isEqualTo(real.hashCode());
    }

    @Test
    void refusesClassesBecauseJavaProxiesNeedAnInterface() {
        assertThatIllegalArgumentException().isThrownBy(() -> LocalProxy.of(ArrayList.class, ArrayList::new))
                .withMessageContaining("needs an interface");
    }
}
