package io.lb4j.health;

import io.lb4j.core.Endpoint;
import io.lb4j.core.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A probe whose answer per endpoint the test sets; records each call with its ticker time. */
final class ScriptedProbe implements Probe {

    enum Mode { PASS, FAIL, HANG, THROW }

    /** One call of the probe. */
    static final class Call {
        final Endpoint endpoint;
        final long atNanos;
        final CompletableFuture<ProbeResult> future;

        Call(Endpoint endpoint, long atNanos, CompletableFuture<ProbeResult> future) {
            this.endpoint = endpoint;
            this.atNanos = atNanos;
            this.future = future;
        }
    }

    private final Ticker ticker;
    private final Map<Endpoint, Mode> modes = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();

    ScriptedProbe(Ticker ticker) {
        this.ticker = ticker;
    }

    ScriptedProbe set(Endpoint e, Mode mode) {
        modes.put(e, mode);
        return this;
    }

    @Override
    public CompletionStage<ProbeResult> check(Endpoint endpoint) {
        Mode mode = modes.getOrDefault(endpoint, Mode.PASS);
        if (mode == Mode.THROW) {
            synchronized (this) {
                calls.add(new Call(endpoint, ticker.read(), null));
            }
            throw new IllegalStateException("probe blew up");
        }
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        synchronized (this) {
            calls.add(new Call(endpoint, ticker.read(), f));
        }
        if (mode == Mode.PASS) {
            f.complete(ProbeResult.healthy());
        } else if (mode == Mode.FAIL) {
            f.complete(ProbeResult.unhealthy("scripted failure"));
        }
        return f;
    }

    synchronized List<Call> calls() {
        return new ArrayList<>(calls);
    }

    synchronized List<Call> calls(Endpoint e) {
        List<Call> mine = new ArrayList<>();
        for (Call c : calls) {
            if (c.endpoint.equals(e)) {
                mine.add(c);
            }
        }
        return mine;
    }

    synchronized int count(Endpoint e) {
        return calls(e).size();
    }
}
