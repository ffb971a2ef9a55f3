package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Catalina's {@code Response.getOutputStream()}, typed as the JDK's {@link OutputStream}.
 * <p>
 * The answer's bodies are encoded to UTF-8 once, when they are rendered, and written as bytes:
 * through the writer, Tomcat would encode the 5 KB page again on every blocked request, which
 * was most of a blocked request's cost. But {@code getOutputStream()} returns the servlet API's
 * {@code ServletOutputStream}, javax on Tomcat 8.5 and 9.0 and jakarta on 10.1 and 11.0, so a
 * call compiled against one line does not link on the other. A method handle found by name and
 * adapted to {@code OutputStream} (its superclass on every line) links on all four.
 */
public final class ResponseStream {

    private static final MethodHandle GET_OUTPUT_STREAM;

    static {
        try {
            GET_OUTPUT_STREAM = MethodHandles.publicLookup()
                    .unreflect(Response.class.getMethod("getOutputStream"))
                    .asType(MethodType.methodType(OutputStream.class, Response.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Tomcat's Response.getOutputStream() is not callable: " + e, e);
        }
    }

    private ResponseStream() {
    }

    /** The response's output stream (Tomcat's, or a test's). */
    public static OutputStream of(Response response) throws IOException {
        try {
            return (OutputStream) GET_OUTPUT_STREAM.invokeExact(response);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // getOutputStream() declares IOException only; anything else is a broken Tomcat.
            throw new IllegalStateException(t);
        }
    }

    /** Loads this class now, so a Tomcat without the method is found when the valve starts. */
    static void link() {
        // The static initializer has run when this returns.
    }
}
