package io.lb4j.http;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Reaches {@link HttpClient}'s lifecycle methods added in Java 21 ({@code shutdown},
 * {@code shutdownNow}, {@code awaitTermination}, {@code isTerminated}, {@code close}) while
 * compiling for 17: looked up once, absent (null) on older runtimes.
 */
final class JdkLifecycle {
    private JdkLifecycle() {}

    private static final Method SHUTDOWN = find("shutdown");
    private static final Method SHUTDOWN_NOW = find("shutdownNow");
    private static final Method AWAIT_TERMINATION = find("awaitTermination", Duration.class);
    private static final Method IS_TERMINATED = find("isTerminated");
    private static final Method CLOSE = find("close");

    private static Method find(String name, Class<?>... parameters) {
        try {
            return HttpClient.class.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Whether the running JDK's HttpClient has a lifecycle (Java 21+). */
    static boolean available() {
        return CLOSE != null;
    }

    static void shutdown(HttpClient client) {
        call(SHUTDOWN, client);
    }

    static void shutdownNow(HttpClient client) {
        call(SHUTDOWN_NOW, client);
    }

    static void close(HttpClient client) {
        call(CLOSE, client);
    }

    /** True when the JDK has no lifecycle: such a delegate is never "running" on our account. */
    static boolean isTerminated(HttpClient client) {
        return IS_TERMINATED == null || (Boolean) call(IS_TERMINATED, client);
    }

    static boolean awaitTermination(HttpClient client, Duration d) throws InterruptedException {
        if (AWAIT_TERMINATION == null) {
            return true;
        }
        try {
            return (Boolean) AWAIT_TERMINATION.invoke(client, d);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw (InterruptedException) e.getCause();
            }
            throw rethrow(e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Method m, HttpClient client) {
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(client);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException) {
            return (RuntimeException) c;
        }
        if (c instanceof Error) {
            throw (Error) c;
        }
        return new IllegalStateException(c);
    }
}
