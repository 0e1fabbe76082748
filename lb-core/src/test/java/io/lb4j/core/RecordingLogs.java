package io.lb4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider that keeps every line logged by lb-core's tests in memory, so that tests can
 * say what was logged, at which level, and how often. Chosen by the {@code slf4j.provider}
 * system property in lb-core's surefire configuration (not by a service file, which would travel
 * in the test-jar to the modules that log through slf4j-simple).
 */
public final class RecordingLogs implements SLF4JServiceProvider {

    /** One line: the level, the logger's name and the formatted message. */
    public record Line(Level level, String logger, String message) {
        @Override
        public String toString() {
            return level + " " + logger + ": " + message;
        }
    }

    private static final List<Line> LINES = new ArrayList<>();

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Forgets every line recorded so far. */
    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }

    /** The lines recorded since the last {@link #clear()}, oldest first. */
    public static List<Line> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }

    /** The lines at {@code level} or above. */
    public static List<Line> atLeast(Level level) {
        return lines().stream().filter(l -> l.level().toInt() >= level.toInt()).toList();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return name -> loggers.computeIfAbsent(name, Recording::new);
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Recording extends LegacyAbstractLogger {
        Recording(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            synchronized (LINES) {
                LINES.add(new Line(level, name, message));
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
