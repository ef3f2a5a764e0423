import com.sun.tools.attach.VirtualMachine;

/**
 * Gives a running JVM's async-profiler a command, for benchmarks/http-jars.sh: attaches (Attach API, same user) and
 * loads the profiler's library with the command as its options, which is how async-profiler takes commands from
 * outside ({@code start,event=ctimer,...}, {@code stop,file=...,collapsed}).
 *
 * <pre>java benchmarks/ProfilerAttach.java PID LIBRARY COMMAND</pre>
 */
public final class ProfilerAttach {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java benchmarks/ProfilerAttach.java PID LIBRARY COMMAND");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
