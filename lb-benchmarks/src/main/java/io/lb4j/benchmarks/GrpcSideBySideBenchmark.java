package io.lb4j.benchmarks;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ChannelLogger;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.lb4j.core.Balancer;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selection;
import io.lb4j.core.Ticker;
import io.lb4j.strategies.Strategies;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * lb4j's {@code Balancer.pick()} + {@code Selection.success()} of every strategy next to
 * gRPC-java's {@code round_robin} picker and an {@code AtomicInteger} round-robin baseline, in the
 * same run (issue 13's side-by-side reference; compare ratios to {@code grpc-round-robin} of the
 * same run, never figures of two runs).
 *
 * <p>{@code grpc-round-robin} is the real policy from grpc-util, obtained from the default
 * {@code LoadBalancerRegistry} and driven only through its public {@code LoadBalancer.Helper} API:
 * a fake helper hands out fake subchannels, each is reported READY through the listener the
 * policy (or its {@code pick_first} child) started it with, and the picker of the final READY
 * update is timed with a pre-built {@code PickSubchannelArgs}; setup fails unless that picker
 * rotates over all n subchannels. {@code baseline-counter} is
 * {@code array[(counter.getAndIncrement() & MAX) % n]}. The lb4j strategies come from
 * {@code Strategies.named}, weights 1..10 as in {@link PickBenchmark}; peak-EWMA's endpoints are
 * warmed with real samples; the hash strategies get a hash key per call, cycling per thread.
 * The {@code Selection} does not escape the benchmark method (only its endpoint is returned), so
 * that escape analysis may remove it; {@code -prof gc} shows whether it did.
 *
 * <p>Run (short settings; JMH runs must not overlap on the machine, hence the lock):
 * <pre>
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/lb4j-jmh.flock java -jar lb-benchmarks/target/benchmarks.jar GrpcSideBySideBenchmark \
 *     -p n=8,10000 -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff lb-benchmarks/target/grpc.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GrpcSideBySideBenchmark {

    static final String GRPC = "grpc-round-robin";
    /**
     * gRPC's {@code round_robin} under its outlier detection with the failure-percentage rule, and
     * each pick's call closed OK through the stream tracer the picker hands out: the gRPC set-up
     * that counts every call per endpoint, as lb4j's default balancer does.
     */
    static final String GRPC_COUNTED = "grpc-round-robin-outlier-detection";
    static final String BASELINE = "baseline-counter";
    /**
     * Two reads of lb4j's default ticker ({@code System.nanoTime()}) around a plain array load: what
     * timing one call costs on its own, the floor of any strategy that measures latency
     * (peak-EWMA reads the ticker at pick and at completion).
     */
    static final String CLOCK = "two-ticker-reads";
    /**
     * Least-connections with every endpoint busy: before timing, calls are picked through the
     * balancer's own strategy and held open until every endpoint has at least one, so that both
     * samples of each timed pick have calls in flight and are compared; the timed calls complete
     * as usual. Plain {@code least-connections}, whose sequential calls leave every
     * endpoint idle, shows the light-load path, where an idle first sample wins at once.
     */
    static final String LC_BUSY = "least-connections-busy";

    @Param({GRPC, GRPC_COUNTED, BASELINE, CLOCK, "round-robin", "random", "weighted-round-robin", "weighted-random",
            "least-connections", LC_BUSY, "peak-ewma", "consistent-hash", "maglev"})
    public String strategy;

    @Param({"8", "1000", "10000"})
    public int n;

    Target target;
    final PickContext[] contexts = new PickContext[PickBenchmark.KEYS];

    @Setup
    public void setUp() {
        for (int k = 0; k < contexts.length; k++) {
            contexts[k] = PickContext.ofHashKey("user-" + k);
        }
        List<Endpoint> endpoints = PickBenchmark.endpoints(n, 0);
        switch (strategy) {
            case GRPC:
                target = new GrpcTarget(n, false);
                break;
            case GRPC_COUNTED:
                target = new GrpcTarget(n, true);
                break;
            case BASELINE:
                target = new CounterTarget(endpoints);
                break;
            case CLOCK:
                target = new ClockTarget(endpoints);
                break;
            case LC_BUSY:
                target = new BalancerTarget("least-connections", endpoints, true);
                break;
            default:
                if (!Strategies.names().contains(strategy)) {
                    // "maglev" arrives with issue 13's Maglev work; until then this combination is skipped
                    throw new IllegalStateException("strategy '" + strategy + "' is not in this build's Strategies.names() "
                            + Strategies.names() + ": skipped");
                }
                target = new BalancerTarget(strategy, endpoints);
        }
    }

    @TearDown
    public void tearDown() {
        target.close();
    }

    @Benchmark
    @Threads(1)
    public Object pick(PickBenchmark.Keys keys) {
        return target.pick(keys.next(contexts));
    }

    @Benchmark
    @Threads(2)
    public Object pickTwoThreads(PickBenchmark.Keys keys) {
        return target.pick(keys.next(contexts));
    }

    /** One contender; each fork sees one implementation only, so the call is monomorphic. */
    interface Target {
        Object pick(PickContext context);

        default void close() {
        }
    }

    /** The same baseline as {@link PickBenchmark}'s, without the Picker interface around it. */
    static final class CounterTarget implements Target {
        private final Endpoint[] array;
        private final AtomicInteger counter = new AtomicInteger();

        CounterTarget(List<Endpoint> endpoints) {
            array = endpoints.toArray(new Endpoint[0]);
        }

        @Override
        public Object pick(PickContext context) {
            return array[(counter.getAndIncrement() & Integer.MAX_VALUE) % array.length];
        }
    }

    /** {@link #CLOCK}: a call timed with two ticker reads, nothing else shared. */
    static final class ClockTarget implements Target {
        private final Endpoint[] array;
        private final Ticker ticker = Ticker.system();
        private int next;

        ClockTarget(List<Endpoint> endpoints) {
            array = endpoints.toArray(new Endpoint[0]);
        }

        @Override
        public Object pick(PickContext context) {
            long start = ticker.read();
            int i = next;
            next = i + 1 == array.length ? 0 : i + 1; // racy at 2 threads, which only shares the rotation
            Endpoint e = array[i];
            // both readings used, so neither can be dropped
            return ticker.read() - start < 0 ? null : e;
        }
    }

    /** What a user calls: {@code pick} and {@code success}, the {@code Selection} kept local. */
    static final class BalancerTarget implements Target {
        private final Balancer balancer;
        private final boolean hashed;

        BalancerTarget(String strategy, List<Endpoint> endpoints) {
            this(strategy, endpoints, false);
        }

        BalancerTarget(String strategy, List<Endpoint> endpoints, boolean busy) {
            balancer = Balancer.builder("bench").endpoints(endpoints).strategy(Strategies.named(strategy)).build();
            hashed = strategy.equals("consistent-hash") || strategy.equals("maglev");
            if (strategy.equals("peak-ewma")) {
                PickBenchmark.warmLatencies(balancer, endpoints.size());
            }
            if (busy) {
                holdOneCallPerEndpoint(endpoints.size());
            }
        }

        /** Picks and keeps open calls until every endpoint has one in flight (never completed). */
        private void holdOneCallPerEndpoint(int n) {
            Set<Endpoint> busy = new HashSet<>();
            for (int i = 0; i < 100 * n && busy.size() < n; i++) {
                busy.add(balancer.pick().endpoint());
            }
            if (busy.size() < n) {
                throw new IllegalStateException("only " + busy.size() + " of " + n + " endpoints got a call in flight");
            }
        }

        @Override
        public Object pick(PickContext context) {
            Selection s = hashed ? balancer.pick(context) : balancer.pick();
            s.success();
            return s.endpoint();
        }

        @Override
        public void close() {
            balancer.close();
        }
    }

    /** gRPC-java's {@code round_robin} over n fake READY subchannels. */
    static final class GrpcTarget implements Target {
        private final FakeHelper helper = new FakeHelper();
        private final LoadBalancer lb;
        private final LoadBalancer.SubchannelPicker picker;
        private final LoadBalancer.PickSubchannelArgs args = new FixedArgs();

        private final boolean counted;
        private final ClientStreamTracer.StreamInfo info =
                ClientStreamTracer.StreamInfo.newBuilder().setCallOptions(CallOptions.DEFAULT).build();
        private final Metadata headers = new Metadata();

        GrpcTarget(int n, boolean counted) {
            this.counted = counted;
            String policy = counted ? "outlier_detection_experimental" : "round_robin";
            LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider(policy);
            if (provider == null) {
                throw new IllegalStateException("gRPC has no load-balancing policy '" + policy + "' on the class path");
            }
            Object parsedConfig = null;
            if (counted) {
                // gRPC counts calls only when an ejection rule is configured; the rule's defaults otherwise
                NameResolver.ConfigOrError parsed = provider.parseLoadBalancingPolicyConfig(Map.of(
                        "failurePercentageEjection", Map.of(),
                        "childPolicy", List.of(Map.of("round_robin", Map.of()))));
                if (parsed.getError() != null) {
                    throw new IllegalStateException("outlier detection refused its config: " + parsed.getError());
                }
                parsedConfig = parsed.getConfig();
            }
            Object config = parsedConfig;
            lb = provider.newLoadBalancer(helper);
            List<EquivalentAddressGroup> groups = new ArrayList<>(n);
            for (Endpoint e : PickBenchmark.endpoints(n, 0)) {
                groups.add(new EquivalentAddressGroup(InetSocketAddress.createUnresolved(e.host(), e.port())));
            }
            helper.sync.execute(() -> {
                Status status = lb.acceptResolvedAddresses(LoadBalancer.ResolvedAddresses.newBuilder()
                        .setAddresses(groups).setLoadBalancingPolicyConfig(config).build());
                if (!status.isOk()) {
                    throw new IllegalStateException(policy + " refused the addresses: " + status);
                }
                // children may create (and start) subchannels lazily, on requestConnection: loop until none is left
                for (int i = 0; i < helper.subchannels.size(); i++) {
                    helper.subchannels.get(i).ready();
                }
            });
            if (helper.subchannels.size() != n) {
                throw new IllegalStateException(policy + " created " + helper.subchannels.size()
                        + " subchannels for " + n + " addresses");
            }
            if (helper.state != ConnectivityState.READY || helper.picker == null) {
                throw new IllegalStateException(policy + " is " + helper.state + " after all subchannels were READY");
            }
            picker = helper.picker;
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < n; i++) {
                LoadBalancer.PickResult r = picker.pickSubchannel(args);
                if (r.getSubchannel() == null) {
                    throw new IllegalStateException(policy + "'s READY picker gave no subchannel: " + r);
                }
                if (counted != (r.getStreamTracerFactory() != null)) {
                    throw new IllegalStateException(policy + "'s pick " + (counted ? "has no" : "has a")
                            + " stream tracer to count the call: " + r);
                }
                seen.add(r.getSubchannel());
            }
            if (seen.size() != n) {
                throw new IllegalStateException(policy + "'s picker hit " + seen.size() + " of " + n
                        + " subchannels in " + n + " picks");
            }
        }

        @Override
        public Object pick(PickContext context) {
            LoadBalancer.PickResult r = picker.pickSubchannel(args);
            if (counted) {
                // what gRPC's transport does for a call that ends OK
                r.getStreamTracerFactory().newClientStreamTracer(info, headers).streamClosed(Status.OK);
            }
            return r;
        }

        @Override
        public void close() {
            helper.sync.execute(lb::shutdown);
            helper.scheduler.shutdownNow();
        }
    }

    /** A channel's side of the policy, reduced to what round_robin and pick_first call. */
    static final class FakeHelper extends LoadBalancer.Helper {
        final SynchronizationContext sync = new SynchronizationContext((t, e) -> {
            throw new IllegalStateException("uncaught in the synchronization context", e);
        });
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grpc-bench-scheduler");
            t.setDaemon(true);
            return t;
        });
        final List<FakeSubchannel> subchannels = new ArrayList<>();
        ConnectivityState state;
        LoadBalancer.SubchannelPicker picker;

        @Override
        public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
            FakeSubchannel s = new FakeSubchannel(args);
            subchannels.add(s);
            return s;
        }

        @Override
        public void updateBalancingState(ConnectivityState newState, LoadBalancer.SubchannelPicker newPicker) {
            state = newState;
            picker = newPicker;
        }

        @Override
        public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
            throw new UnsupportedOperationException("no OOB channels in the benchmark");
        }

        @Override
        public String getAuthority() {
            return "bench";
        }

        @Override
        public SynchronizationContext getSynchronizationContext() {
            return sync;
        }

        @Override
        public ScheduledExecutorService getScheduledExecutorService() {
            return scheduler;
        }

        @Override
        public ChannelLogger getChannelLogger() {
            return SilentLogger.INSTANCE;
        }
    }

    /** A subchannel that connects when told to: CONNECTING then READY, through the captured listener. */
    static final class FakeSubchannel extends LoadBalancer.Subchannel {
        private final LoadBalancer.CreateSubchannelArgs args;
        private LoadBalancer.SubchannelStateListener listener;
        private boolean ready;

        FakeSubchannel(LoadBalancer.CreateSubchannelArgs args) {
            this.args = args;
        }

        void ready() {
            if (listener == null) {
                throw new IllegalStateException("subchannel " + args.getAddresses() + " was never started");
            }
            if (!ready) {
                ready = true;
                listener.onSubchannelState(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
                listener.onSubchannelState(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
            }
        }

        @Override
        public void start(LoadBalancer.SubchannelStateListener l) {
            this.listener = l;
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void requestConnection() {
        }

        @Override
        public List<EquivalentAddressGroup> getAllAddresses() {
            return args.getAddresses();
        }

        @Override
        public Attributes getAttributes() {
            return args.getAttributes();
        }

        @Override
        public ChannelLogger getChannelLogger() {
            return SilentLogger.INSTANCE;
        }
    }

    /** The arguments of one call, built once: a unary method, default options, no headers. */
    static final class FixedArgs extends LoadBalancer.PickSubchannelArgs {
        private static final MethodDescriptor.Marshaller<Object> NONE = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Object value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object parse(InputStream stream) {
                throw new UnsupportedOperationException();
            }
        };
        private final MethodDescriptor<Object, Object> method = MethodDescriptor.<Object, Object>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("bench.Service/Call")
                .setRequestMarshaller(NONE)
                .setResponseMarshaller(NONE)
                .build();
        private final Metadata headers = new Metadata();

        @Override
        public CallOptions getCallOptions() {
            return CallOptions.DEFAULT;
        }

        @Override
        public Metadata getHeaders() {
            return headers;
        }

        @Override
        public MethodDescriptor<?, ?> getMethodDescriptor() {
            return method;
        }
    }

    static final class SilentLogger extends ChannelLogger {
        static final SilentLogger INSTANCE = new SilentLogger();

        @Override
        public void log(ChannelLogLevel level, String message) {
        }

        @Override
        public void log(ChannelLogLevel level, String messageFormat, Object... args) {
        }
    }
}
