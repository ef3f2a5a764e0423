import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the bytes a running JVM has allocated on the heap, for benchmarks/http.sh: attaches to each PID given
 * (Attach API, same user), starts its local JMX agent ({@code startLocalManagementAgent}, a no-op when it runs),
 * and keeps one JMX connection per JVM. Then, for each PID read from stdin, prints one line: the JVM's
 * {@code java.lang:type=Threading} attribute {@code TotalThreadAllocatedBytes} (JDK 14+: every thread's
 * allocations since the JVM started, threads that have ended included; the JVM's own TLAB and outside-TLAB
 * accounting, not an estimate). Exits at the end of stdin.
 *
 * <pre>java benchmarks/AllocProbe.java PID...</pre>
 *
 * Prints "ready" once connected to all, or a line starting with "error:" and exits 2 when a JVM cannot be
 * attached to or does not count allocated bytes ({@code ThreadAllocatedMemorySupported/Enabled}).
 */
public final class AllocProbe {

    public static void main(String[] args) throws Exception {
        Map<String, ThreadMXBean> threads = new LinkedHashMap<>();
        for (String pid : args) {
            try {
                VirtualMachine vm = VirtualMachine.attach(pid);
                String address;
                try {
                    address = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
                JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
                ThreadMXBean bean = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                        ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
                if (!bean.isThreadAllocatedMemorySupported() || !bean.isThreadAllocatedMemoryEnabled()) {
                    fail("JVM " + pid + " does not count allocated bytes (ThreadAllocatedMemorySupported "
                            + bean.isThreadAllocatedMemorySupported() + ", Enabled "
                            + bean.isThreadAllocatedMemoryEnabled() + ")");
                }
                if (bean.getTotalThreadAllocatedBytes() < 0) {
                    fail("JVM " + pid + " answers TotalThreadAllocatedBytes with -1 (a JDK before 14?)");
                }
                threads.put(pid, bean);
            } catch (Exception e) {
                fail("cannot read JVM " + pid + ": " + e);
            }
        }
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            ThreadMXBean bean = threads.get(line.trim());
            System.out.println(bean == null ? "error: not connected to " + line.trim()
                    : Long.toString(bean.getTotalThreadAllocatedBytes()));
            System.out.flush();
        }
        System.exit(0);
    }

    private static void fail(String message) {
        System.out.println("error: " + message);
        System.out.flush();
        System.exit(2);
    }
}
