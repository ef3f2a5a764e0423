package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * A hook method's bound call (see {@link HookMethod}): the bean's method, its arguments picked from the four things
 * a hook can be given.
 *
 * <p>Made one of two ways. On a JVM, {@link #compiled} defines a small hidden class per hook that holds the
 * method handle in a {@code static final} field: a constant to the JIT, which then inlines the whole handle (the
 * argument adapters and the bean's method) into the call, as if written by hand. Through a handle held in an
 * ordinary field, each call instead walks the handle's chain of lambda forms: about 0.15 µs per hook call
 * in the HTTP profiles here (issue 21, sixth stop). A native image cannot define classes at run time: there, and wherever defining one fails, {@link #of}
 * falls back to {@link #interpreted}, the same handle invoked from a field.
 */
interface HookCall {

    /** What {@link #call} takes and returns, as a method type. */
    MethodType TYPE = MethodType.methodType(Object.class, FlaskApp.class, HttpServletRequest.class,
            HttpServletResponse.class, Throwable.class);

    /**
     * Calls the hook.
     *
     * @return what the method returned (null for a void method)
     * @throws Throwable what the method threw, as thrown
     */
    @Nullable Object call(FlaskApp app, @Nullable HttpServletRequest request, @Nullable HttpServletResponse response,
            @Nullable Throwable error) throws Throwable;

    /**
     * {@return {@code handle} (of type {@link #TYPE}) as a call: {@link #compiled compiled} where classes can be
     * defined at run time, else {@link #interpreted}}
     */
    static HookCall of(MethodHandle handle) {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") == null) {
            try {
                return compiled(handle);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // fall through: the handle works all the same, only slower
            }
        }
        return interpreted(handle);
    }

    /** {@return a call through {@code handle} read from a field} */
    static HookCall interpreted(MethodHandle handle) {
        return new Interpreted(handle.asType(TYPE));
    }

    /** A call through a handle read from a field: each call walks the handle's lambda forms. */
    record Interpreted(MethodHandle handle) implements HookCall {
        @Override
        public @Nullable Object call(FlaskApp app, @Nullable HttpServletRequest request,
                @Nullable HttpServletResponse response, @Nullable Throwable error) throws Throwable {
            return (Object) handle.invokeExact(app, request, response, error);
        }
    }

    /**
     * {@return a call through an instance of a hidden class made for {@code handle}, holding it as a constant}
     *
     * @throws ReflectiveOperationException when the class cannot be defined or made
     */
    static HookCall compiled(MethodHandle handle) throws ReflectiveOperationException {
        MethodHandles.Lookup hidden = MethodHandles.lookup()
                .defineHiddenClassWithClassData(CompiledClass.BYTES, handle.asType(TYPE), true);
        MethodHandle constructor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class));
        try {
            return (HookCall) constructor.invoke();
        } catch (Throwable e) {
            InstantiationException failure = new InstantiationException(hidden.lookupClass().getName());
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The hidden class's bytes, the same for every hook (each definition gets its own handle as class data):
     * <pre>{@code
     * final class HookCall$Compiled implements HookCall {
     *     static final MethodHandle HANDLE = MethodHandles.classData(MethodHandles.lookup(), "_", MethodHandle.class);
     *     public Object call(FlaskApp app, HttpServletRequest request, HttpServletResponse response, Throwable error)
     *             throws Throwable {
     *         return (Object) HANDLE.invokeExact(app, request, response, error);
     *     }
     * }
     * }</pre>
     * A hidden class's frames are left out of stack traces, so a hook's failure shows its method called from
     * {@link HookMethod}.
     */
    final class CompiledClass {

        static final byte[] BYTES = bytes();

        private CompiledClass() {
        }

        private static byte[] bytes() {
            String name = Type.getInternalName(HookCall.class) + "$Compiled";
            String handle = Type.getDescriptor(MethodHandle.class);
            String methodHandles = Type.getInternalName(MethodHandles.class);
            String object = Type.getInternalName(Object.class);
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            writer.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name, null, object,
                    new String[] {Type.getInternalName(HookCall.class)});
            writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "HANDLE", handle, null,
                    null).visitEnd();

            MethodVisitor init = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            init.visitCode();
            init.visitMethodInsn(Opcodes.INVOKESTATIC, methodHandles, "lookup",
                    Type.getMethodDescriptor(Type.getType(MethodHandles.Lookup.class)), false);
            init.visitLdcInsn("_");
            init.visitLdcInsn(Type.getType(MethodHandle.class));
            init.visitMethodInsn(Opcodes.INVOKESTATIC, methodHandles, "classData", Type.getMethodDescriptor(
                    Type.getType(Object.class), Type.getType(MethodHandles.Lookup.class), Type.getType(String.class),
                    Type.getType(Class.class)), false);
            init.visitTypeInsn(Opcodes.CHECKCAST, Type.getInternalName(MethodHandle.class));
            init.visitFieldInsn(Opcodes.PUTSTATIC, name, "HANDLE", handle);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();

            MethodVisitor constructor = writer.visitMethod(0, "<init>", "()V", null, null);
            constructor.visitCode();
            constructor.visitVarInsn(Opcodes.ALOAD, 0);
            constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, object, "<init>", "()V", false);
            constructor.visitInsn(Opcodes.RETURN);
            constructor.visitMaxs(0, 0);
            constructor.visitEnd();

            String descriptor = TYPE.toMethodDescriptorString();
            MethodVisitor call = writer.visitMethod(Opcodes.ACC_PUBLIC, "call", descriptor, null,
                    new String[] {Type.getInternalName(Throwable.class)});
            call.visitCode();
            call.visitFieldInsn(Opcodes.GETSTATIC, name, "HANDLE", handle);
            for (int slot = 1; slot <= 4; slot++) {
                call.visitVarInsn(Opcodes.ALOAD, slot);
            }
            call.visitMethodInsn(Opcodes.INVOKEVIRTUAL, Type.getInternalName(MethodHandle.class), "invokeExact",
                    descriptor, false);
            call.visitInsn(Opcodes.ARETURN);
            call.visitMaxs(0, 0);
            call.visitEnd();
            writer.visitEnd();
            return writer.toByteArray();
        }
    }
}
