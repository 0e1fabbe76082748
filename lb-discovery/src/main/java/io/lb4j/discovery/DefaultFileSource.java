package io.lb4j.discovery;

import io.lb4j.core.internal.DaemonThreads;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultFileSource extends ScheduledSource implements FileSource {
    private static final Logger log = LoggerFactory.getLogger(FileSource.class);

    private static final Duration SETTLE = Duration.ofMillis(50);

    private final Path file;
    private final String service;
    private final Duration pollInterval;
    private final boolean watch;

    // guarded by this
    private byte[] lastContent;
    private boolean missing;
    private volatile WatchService watcher;
    private volatile Thread watchThread;

    DefaultFileSource(FileSource.Builder b) {
        super(b.scheduler, "lb4j-file-" + b.service, b.minHosts);
        this.file = b.file;
        this.service = b.service;
        this.pollInterval = b.pollInterval != null ? b.pollInterval : FileSource.Builder.DEFAULT_POLL_INTERVAL;
        this.watch = b.watch;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    void onStart() {
        // the first read is small and local: doing it here makes a good file ready at once
        check(true);
        every(pollInterval, pollInterval, () -> check(false));
        if (watch) {
            startWatching();
        }
    }

    private void startWatching() {
        Path dir = file.getParent();
        try {
            watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            log.info("{}: no watch service for {} ({}); polling every {}", this, dir, e.toString(), pollInterval);
            closeWatcher();
            return;
        }
        WatchService w = watcher;
        watchThread = DaemonThreads.start("lb4j-file-watch-" + service, () -> watchLoop(w));
    }

    private void watchLoop(WatchService w) {
        Path name = file.getFileName();
        try {
            while (!closed) {
                WatchKey key = w.take();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
                }
                if (relevant) {
                    // editors and naive writers truncate first: give the write a moment to finish
                    // rather than report the empty file (the read stays atomic either way)
                    scheduler.schedule(() -> runSafely(() -> check(false)), SETTLE.toNanos(), TimeUnit.NANOSECONDS);
                }
                if (!key.reset()) {
                    log.info("{}: directory {} is no longer watchable; polling every {}", this, file.getParent(), pollInterval);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException | RejectedExecutionException e) {
            // close() ends the loop this way
        }
    }

    @Override
    public boolean reload() {
        return check(true);
    }

    /** Reads the file; unless forced, does nothing when its bytes (or its absence) did not change. */
    private synchronized boolean check(boolean force) {
        if (closed || delivery == null) {
            return false;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            if (force || !missing) {
                missing = true;
                lastContent = null;
                String why = e instanceof NoSuchFileException ? "file not found" : "cannot read: " + e;
                delivery.fail(new IOException(file + ": " + why + " (keeping the last list)", e));
            }
            return false;
        }
        missing = false;
        if (!force && Arrays.equals(content, lastContent)) {
            return false;
        }
        lastContent = content;
        List<Endpoint> endpoints;
        try {
            endpoints = parse(content, service, file.toString());
        } catch (IOException e) {
            delivery.fail(e);
            return false;
        }
        delivery.deliver(endpoints);
        return true;
    }

    /**
     * Parses the whole document (so that a truncated tail is caught even after the wanted
     * array) and returns the array named {@code service}.
     *
     * @throws IOException whose message names the file, the place and the rule
     */
    static List<Endpoint> parse(byte[] content, String service, String name) throws IOException {
        List<Endpoint> result = null;
        try (JsonParser p = EndpointJson.MAPPER.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(name, p.currentTokenLocation(), "expected a JSON object like {\"" + service + "\": [...]}", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals(service)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw error(name, p.currentTokenLocation(), "'" + service + "' is not an array", null);
                }
                result = readArray(p, service, name);
            }
            if (p.nextToken() != null) {
                throw error(name, p.currentTokenLocation(), "unexpected content after the top-level object", null);
            }
        } catch (JsonProcessingException e) {
            throw error(name, e.getLocation(), withoutSource(e.getOriginalMessage()), e);
        }
        if (result == null) {
            throw new IOException(name + ": no \"" + service + "\" array");
        }
        return result;
    }

    private static List<Endpoint> readArray(JsonParser p, String service, String name) throws IOException {
        List<Endpoint> result = new ArrayList<>();
        Map<Endpoint, Integer> seen = new HashMap<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            JsonLocation at = p.currentTokenLocation();
            JsonNode node = EndpointJson.MAPPER.readTree(p);
            String where = service + "[" + i + "]";
            Endpoint e;
            try {
                e = EndpointJson.read(node, where);
            } catch (IllegalArgumentException ex) {
                throw error(name, at, ex.getMessage(), ex);
            }
            Integer first = seen.putIfAbsent(e, i);
            if (first != null) {
                throw error(name, at, where + ": " + e.authority() + " (expected: unique host:port, already at "
                        + service + "[" + first + "])", null);
            }
            result.add(e);
        }
        return result;
    }

    /**
     * Jackson names the input in nested locations ("start marker at [Source: REDACTED (...); line: 3,
     * column: 3]"); the file is named already, so keep the place only: "start marker at line 3, column 3".
     */
    static String withoutSource(String message) {
        return message == null ? null
                : SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
    }

    private static final java.util.regex.Pattern SOURCE_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private static IOException error(String name, JsonLocation at, String message, Throwable cause) {
        String place = at == null || at.getLineNr() < 0 ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr() + ":";
        return new IOException(name + ":" + place + " " + message, cause);
    }

    @Override
    void onClose() {
        closeWatcher();
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("{}: closing the watch service failed", this, e);
            }
        }
    }

    @Override
    public String toString() {
        return "FileSource{" + service + " from " + file + "}";
    }
}
