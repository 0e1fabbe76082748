package io.lb4j.http;

import static io.lb4j.http.Fixtures.newDelegate;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.OutlierEjection;
import io.lb4j.core.ReconnectPolicy;
import io.lb4j.core.Selection.Outcome;
import io.lb4j.testing.LoopbackBackend;
import io.lb4j.testing.ScriptedRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The same scenarios through every path a call can take (blocking and asynchronous, plain and
 * hedged), asserting the same judgement: how each attempt's selection was completed, what the
 * caller got (response, or exception class and message), and which retries and requeues were
 * made. Hedging waits an hour here, so attempts never overlap and both paths must agree exactly.
 */
class JudgeParityTest extends LoopbackTestSupport {

    enum Path { PLAIN_SEND, PLAIN_ASYNC, HEDGED_SEND, HEDGED_ASYNC }

    /** No backoff; hedging, when on, after an hour: attempts never overlap. */
    private static RetryPolicy policy(boolean hedged, Duration perAttemptTimeout) {
        RetryPolicy.Builder b = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO);
        if (perAttemptTimeout != null) {
            b.perAttemptTimeout(perAttemptTimeout);
        }
        return (hedged ? b.hedgeAfter(Duration.ofHours(1)) : b).build();
    }

    /** What a call did, in the judge's terms. */
    record Judgement(List<Outcome> selections, String result, Map<String, Long> retriesByReason, long requeues,
            long failedAttempts) {}

    /** One scenario: the endpoints in pick order, the request, the handler, the delegate, the attempt timeout (or null). */
    private record Scenario(List<Endpoint> endpoints, HttpRequest request, BodyHandler<String> handler,
            UnaryOperator<HttpClient> delegate, Duration perAttemptTimeout) {
        Scenario(List<Endpoint> endpoints, HttpRequest request) {
            this(endpoints, request, BodyHandlers.ofString(), d -> d, null);
        }

        Scenario(List<Endpoint> endpoints, HttpRequest request, BodyHandler<String> handler, UnaryOperator<HttpClient> delegate) {
            this(endpoints, request, handler, delegate, null);
        }
    }

    private static HttpRequest get() {
        return HttpRequest.newBuilder(URI.create("http://users/x")).build();
    }

    private Judgement run(Scenario s, Path path) throws Exception {
        // the paths must see the same endpoints in the same order: no built-in connection tracking
        // or ejection changing the rotation in between (the former QueuedRandom's throwing
        // nextDouble had turned both off by accident)
        Balancer users = Balancer.builder("users").endpoints(s.endpoints).random(ScriptedRandom.zeros())
                .reconnectPolicy(ReconnectPolicy.disabled()).outlierEjection(OutlierEjection.disabled()).build();
        List<Outcome> selections = outcomes(users);
        boolean hedged = path == Path.HEDGED_SEND || path == Path.HEDGED_ASYNC;
        LoadBalancedHttpClient client = closeLater(LoadBalancedHttpClient.builder(s.delegate.apply(newDelegate()))
                .service(users, policy(hedged, s.perAttemptTimeout)).build());
        String result;
        try {
            HttpResponse<String> r = path == Path.PLAIN_SEND || path == Path.HEDGED_SEND
                    ? client.send(s.request, s.handler)
                    : client.sendAsync(s.request, s.handler).get();
            result = r.statusCode() + " " + r.body();
        } catch (ExecutionException e) {
            result = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
        } catch (Exception e) {
            result = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        ServiceStats stats = client.stats("users");
        Fixtures.await("every selection to be completed", () -> selections.size() == stats.attempts());
        return new Judgement(List.copyOf(selections), result, stats.retriesByReason(), stats.requeues(),
                stats.failedAttempts());
    }

    /** Runs {@code s} through every path; asserts they agree and returns the judgement. */
    private Judgement judged(Scenario s) throws Exception {
        Map<Path, Judgement> byPath = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            byPath.put(p, run(s, p));
        }
        Judgement first = byPath.get(Path.PLAIN_SEND);
        assertThat(byPath).allSatisfy((path, j) -> assertThat(j).as(path.name()).isEqualTo(first));
        return first;
    }

    private static List<Endpoint> endpoints(Object... backends) {
        List<Endpoint> list = new ArrayList<>();
        for (Object b : backends) {
            list.add(b instanceof LoopbackBackend ? ((LoopbackBackend) b).endpoint() : ((RawBackend) b).endpoint());
        }
        return list;
    }

    private RawBackend raw(String name, RawBackend.Mode mode) throws Exception {
        return closeLater(RawBackend.start(name, mode));
    }

    @Test
    void answersAreSuccessesOrReturnedServerErrors() throws Exception {
        LoopbackBackend[] b = start("ok", "missing", "broken");
        b[1].status(404);
        b[2].status(500);

        assertThat(judged(new Scenario(endpoints(b[0]), get())))
                .isEqualTo(new Judgement(List.of(Outcome.SUCCESS), "200 ok", Map.of(), 0, 0));
        assertThat(judged(new Scenario(endpoints(b[1]), get())))
                .isEqualTo(new Judgement(List.of(Outcome.SUCCESS), "404 missing", Map.of(), 0, 0));
        assertThat(judged(new Scenario(endpoints(b[2], b[0]), get())))
                .isEqualTo(new Judgement(List.of(Outcome.FAILURE), "500 broken", Map.of(), 0, 1));
    }

    @Test
    void retryableStatusIsRetriedAndOneAskingToWaitTooLongIsReturned() throws Exception {
        LoopbackBackend[] b = start("busy", "ok", "later");
        b[0].status(503);
        b[2].status(503).retryAfter("120");

        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get()))).isEqualTo(new Judgement(
                List.of(Outcome.FAILURE, Outcome.SUCCESS), "200 ok", Map.of("status_503", 1L), 0, 1));
        assertThat(judged(new Scenario(endpoints(b[2], b[1]), get())))
                .isEqualTo(new Judgement(List.of(Outcome.FAILURE), "503 later", Map.of(), 0, 1));
    }

    @Test
    void refusedConnectionIsAConnectionFailureAndIsRequeued() throws Exception {
        LoopbackBackend[] b = start("dead", "ok");
        b[0].stop();

        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get()))).isEqualTo(new Judgement(
                List.of(Outcome.CONNECTION_FAILURE, Outcome.SUCCESS), "200 ok", Map.of("connect", 1L), 1, 1));
    }

    @Test
    void everyEndpointRefusingEndsWithAnExplainedConnectException() throws Exception {
        LoopbackBackend[] b = start("a", "b", "c");
        Fixtures.closeAll(b);
        String refused = " ConnectException (connection failed, nothing sent)";

        assertThat(judged(new Scenario(endpoints(b[0], b[1], b[2]), get()))).isEqualTo(new Judgement(
                List.of(Outcome.CONNECTION_FAILURE, Outcome.CONNECTION_FAILURE, Outcome.CONNECTION_FAILURE),
                "ConnectException: GET to 'users' failed after 3 attempts: #1 " + b[0].endpoint().authority() + refused
                        + "; #2 " + b[1].endpoint().authority() + refused + "; #3 " + b[2].endpoint().authority()
                        + refused + "; no retry: maxAttempts 3 reached",
                Map.of("connect", 2L), 2, 3));
    }

    @Test
    void failureAfterTheRequestWasSentIsAFailureRetriedForIdempotentMethods() throws Exception {
        RawBackend dies = raw("dies", RawBackend.Mode.CLOSE_AFTER_READ);
        LoopbackBackend[] b = start("ok");
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://users/x")).PUT(BodyPublishers.ofString("v")).build();

        Judgement expected = new Judgement(List.of(Outcome.FAILURE, Outcome.SUCCESS), "200 ok", Map.of("io", 1L), 0, 1);
        assertThat(judged(new Scenario(endpoints(dies, b[0]), get()))).isEqualTo(expected);
        assertThat(judged(new Scenario(endpoints(dies, b[0]), put))).isEqualTo(expected);
        // the PUT reached the dying server once per path; the JDK itself sends a GET twice there
        // (it retries GET and HEAD once when a connection closes before any response byte)
        assertThat(dies.bodies()).filteredOn("v"::equals).hasSize(4);
        assertThat(dies.bodies()).filteredOn(""::equals).hasSize(8);
    }

    @Test
    void perAttemptTimeoutIsAFailureRetriedElsewhere() throws Exception {
        LoopbackBackend[] b = start("hung", "ok");
        b[0].hang();
        // a cold client and server can take longer than the attempt timeout on a busy machine
        newDelegate().send(HttpRequest.newBuilder(URI.create("http://" + b[1].endpoint().authority() + "/")).build(),
                BodyHandlers.discarding());

        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get(), BodyHandlers.ofString(), d -> d,
                Duration.ofMillis(500)))).isEqualTo(new Judgement(
                List.of(Outcome.FAILURE, Outcome.SUCCESS), "200 ok", Map.of("timeout", 1L), 0, 1));
    }

    @Test
    void uncheckedExceptionFromTheDelegateIsAnEndpointFailureRetriedElsewhere() throws Exception {
        LoopbackBackend[] b = start("bad", "ok");
        UnaryOperator<HttpClient> throwing = d -> new ThrowingDelegate(d)
                .throwFor(b[0].port(), () -> new IllegalStateException("interceptor bug"));

        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get(), BodyHandlers.ofString(), throwing)))
                .isEqualTo(new Judgement(List.of(Outcome.FAILURE, Outcome.SUCCESS), "200 ok",
                        Map.of("exception", 1L), 0, 1));
        assertThat(b[0].requestCount()).isZero();
    }

    @Test
    void bodyHandlerThrowingIsJudgedByTheStatusAndNotRetried() throws Exception {
        LoopbackBackend[] b = start("ok", "broken");
        b[1].status(500);
        BodyHandler<String> throwsAtOnce = info -> {
            throw new IllegalStateException("handler bug");
        };
        BodyHandler<String> mappingThrows = info -> BodySubscribers.mapping(BodySubscribers.ofString(
                java.nio.charset.StandardCharsets.UTF_8), body -> {
                    throw new IllegalStateException("mapping bug");
                });
        String ok = b[0].endpoint().authority();

        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get(), throwsAtOnce, d -> d))).isEqualTo(new Judgement(
                List.of(Outcome.SUCCESS), "IOException: GET to 'users' failed after 1 attempt: #1 " + ok
                        + " status 200, then IllegalStateException: handler bug (thrown by the body handler);"
                        + " no retry: the response was already handed to the body handler", Map.of(), 0, 0));
        assertThat(judged(new Scenario(endpoints(b[0], b[1]), get(), mappingThrows, d -> d)).selections())
                .containsExactly(Outcome.SUCCESS);
        assertThat(judged(new Scenario(endpoints(b[1], b[0]), get(), throwsAtOnce, d -> d)))
                .satisfies(j -> assertThat(j.selections()).containsExactly(Outcome.FAILURE))
                .satisfies(j -> assertThat(j.result()).startsWith("IOException: GET to 'users' failed after 1 attempt: #1 "
                        + b[1].endpoint().authority() + " status 500, then IllegalStateException: handler bug"));
    }

    @Test
    void bodyBreakingOffAfterTheStatusLineIsAFailureNotRetried() throws Exception {
        RawBackend truncates = raw("truncates", RawBackend.Mode.TRUNCATE_BODY);
        LoopbackBackend[] b = start("ok");

        Judgement j = judged(new Scenario(endpoints(truncates, b[0]), get()));

        assertThat(j.selections()).containsExactly(Outcome.FAILURE);
        assertThat(j.result()).startsWith("IOException: GET to 'users' failed after 1 attempt: #1 "
                + truncates.endpoint().authority() + " status 200, then ")
                .endsWith("; no retry: the response was already handed to the body handler");
        assertThat(b[0].requestCount()).isZero();
    }

    @Test
    void responseCutOffBeforeItsBodyIsRetriedElsewhereForAGet() throws Exception {
        RawBackend cuts = raw("cuts", RawBackend.Mode.CUT_BEFORE_BODY);
        LoopbackBackend[] b = start("ok");

        Judgement j = judged(new Scenario(endpoints(cuts, b[0]), get()));

        assertThat(j.selections()).containsExactly(Outcome.FAILURE, Outcome.SUCCESS);
        assertThat(j.result()).isEqualTo("200 ok");
        assertThat(j.retriesByReason()).isEqualTo(Map.of("body_cut", 1L));
        assertThat(b[0].requestCount()).as("one retry in each of the four paths").isEqualTo(4);
    }

    @Test
    void requestNoEndpointCanTakeIsAnIllegalArgumentAndNoVerdictOnTheEndpoint() throws Exception {
        LoopbackBackend[] b = start("ok");
        HttpRequest restricted = new CustomRequest(get(), HttpHeaders.of(Map.of("Connection", List.of("close")),
                (n, v) -> true));

        Judgement j = judged(new Scenario(endpoints(b[0]), restricted));

        assertThat(j.selections()).containsExactly(Outcome.CANCELLED);
        assertThat(j.result()).startsWith("IllegalArgumentException: GET to 'users' failed after 1 attempt: #1 "
                + b[0].endpoint().authority() + " IllegalArgumentException: restricted header name: \"Connection\"")
                .endsWith("; no retry: the request cannot be sent to any endpoint");
        assertThat(b[0].requestCount()).isZero();
    }

    /** A request built by other means than HttpRequest.Builder, here with a header the builder refuses. */
    private static final class CustomRequest extends HttpRequest {
        private final HttpRequest base;
        private final HttpHeaders headers;

        CustomRequest(HttpRequest base, HttpHeaders headers) {
            this.base = base;
            this.headers = headers;
        }

        @Override
        public Optional<BodyPublisher> bodyPublisher() {
            return base.bodyPublisher();
        }

        @Override
        public String method() {
            return base.method();
        }

        @Override
        public Optional<Duration> timeout() {
            return base.timeout();
        }

        @Override
        public boolean expectContinue() {
            return false;
        }

        @Override
        public URI uri() {
            return base.uri();
        }

        @Override
        public Optional<HttpClient.Version> version() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return headers;
        }
    }
}
