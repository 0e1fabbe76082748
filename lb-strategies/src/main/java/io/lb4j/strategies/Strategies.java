package io.lb4j.strategies;

import static io.lb4j.core.internal.Checks.notNull;

import io.lb4j.core.Strategy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load-balancing strategies of lb4j, by factory method or by name.
 *
 * <table>
 * <caption>Strategies</caption>
 * <tr><th>name</th><th>factory</th><th>picks</th></tr>
 * <tr><td>round-robin</td><td>{@link #roundRobin()}</td><td>each endpoint in turn, ignoring weights (the default)</td></tr>
 * <tr><td>random</td><td>{@link #random()}</td><td>uniformly at random, ignoring weights</td></tr>
 * <tr><td>weighted-round-robin</td><td>{@link #weightedRoundRobin()}</td><td>in turn, in proportion to weight, smoothly interleaved</td></tr>
 * <tr><td>weighted-random</td><td>{@link #weightedRandom()}</td><td>at random, in proportion to weight</td></tr>
 * <tr><td>least-connections</td><td>{@link #leastConnections()}</td><td>the less busy of two random endpoints</td></tr>
 * <tr><td>peak-ewma</td><td>{@link #peakEwma()}</td><td>the faster-and-less-busy of two random endpoints</td></tr>
 * <tr><td>load-weighted</td><td>{@link #loadWeighted()}</td><td>in turn, in proportion to the load each endpoint reports (gRPC's weighted_round_robin)</td></tr>
 * <tr><td>consistent-hash</td><td>{@link #consistentHash()}</td><td>by {@link io.lb4j.core.PickContext#hashKey() hash key} on a ring, stable across list changes</td></tr>
 * <tr><td>maglev</td><td>{@link #maglev()}</td><td>by hash key in a Maglev lookup table: O(1) per pick, even key shares</td></tr>
 * </table>
 *
 * <p>Every picker is lock-free and allocates nothing per pick; all randomness comes from the
 * balancer's random source and all time from its ticker. Strategies are immutable and may be
 * shared between balancers; switching a balancer's strategy keeps each endpoint's in-flight
 * count and latency average, which live in the balancer.
 * <pre>{@code
 * Balancer b = Balancer.builder("users").endpoints("10.0.0.1:8080", "10.0.0.2:8080")
 *         .strategy(Strategies.leastConnections()).build();
 * b.strategy(Strategies.named("peak-ewma"));
 * }</pre>
 * This class is thread-safe.
 */
public final class Strategies {
    private static final Logger log = LoggerFactory.getLogger(Strategies.class);

    private static final Map<String, Supplier<Strategy>> BUILT_IN = builtIn();

    private Strategies() {}

    private static Map<String, Supplier<Strategy>> builtIn() {
        Map<String, Supplier<Strategy>> m = new LinkedHashMap<>();
        m.put("round-robin", Strategies::roundRobin);
        m.put(RandomStrategy.NAME, Strategies::random);
        m.put(WeightedStrategy.ROUND_ROBIN, Strategies::weightedRoundRobin);
        m.put(WeightedStrategy.RANDOM, Strategies::weightedRandom);
        m.put(ChoiceStrategy.LEAST_CONNECTIONS, Strategies::leastConnections);
        m.put(ChoiceStrategy.PEAK_EWMA, Strategies::peakEwma);
        m.put(ConsistentHashStrategy.NAME, Strategies::consistentHash);
        m.put(MaglevStrategy.NAME, Strategies::maglev);
        m.put(LoadWeightedStrategy.NAME, Strategies::loadWeighted);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Round-robin over the eligible endpoints, ignoring weights; the same strategy as
     * {@link Strategy#roundRobin()}, the balancer's default. Only first attempts step the
     * sequence; a retry (a pick that avoids endpoints) is a random draw, so a failing endpoint
     * gets exactly 1/n of first attempts.
     *
     * @return the shared round-robin strategy
     */
    public static Strategy roundRobin() {
        return Strategy.roundRobin();
    }

    /** {@return a strategy uniformly random over the eligible endpoints, ignoring weights} */
    public static Strategy random() {
        return RandomStrategy.INSTANCE;
    }

    /**
     * Weighted round-robin: a deterministic order in which each endpoint appears in proportion to
     * its weight, spread out rather than bunched (weights 3 and 1 give {@code a a a b a a a b ...},
     * never two {@code b} in a row). Costs O(1) per pick whatever the count and the weights. The
     * order continues across list changes from where it was. Only first attempts step it; a
     * retry is a weighted random draw, so a failing endpoint keeps exactly its weighted share of
     * first attempts. Without slow start; see {@link #weightedRoundRobinBuilder()}.
     *
     * @return the shared default weighted round-robin strategy
     */
    public static Strategy weightedRoundRobin() {
        return WeightedStrategy.ROUND_ROBIN_DEFAULT;
    }

    /** {@return a builder for weighted round-robin (slow start)} */
    public static WeightedBuilder weightedRoundRobinBuilder() {
        return new WeightedBuilder(true);
    }

    /**
     * Weighted random: each pick independent, endpoint {@code i} with probability
     * {@code weight_i / sum of weights}; O(1) per pick (an alias table). Without slow start; see
     * {@link #weightedRandomBuilder()}.
     *
     * @return the weighted random strategy
     */
    public static Strategy weightedRandom() {
        return WeightedStrategy.RANDOM_DEFAULT;
    }

    /** {@return a builder for weighted random (slow start)} */
    public static WeightedBuilder weightedRandomBuilder() {
        return new WeightedBuilder(false);
    }

    /**
     * Least-connections by the power of two choices: samples two distinct endpoints and takes the
     * less busy; a tie goes to the first sample, which is itself random. With equal weights the
     * samples are uniform and the lower in-flight count wins. With unequal weights the samples
     * are drawn in proportion to weight and the lower {@code inFlight / weight} wins: at light
     * load (nothing in flight) each endpoint gets exactly its weighted share, under load the
     * in-flight counts settle in proportion to weight, and an idle endpoint beats a busy one.
     * Nearly as good as scanning all endpoints, in O(1), and without the herd that a full scan
     * causes when many clients see the same idle endpoint. See {@link #leastConnectionsBuilder()}
     * for more choices and slow start.
     *
     * @return the shared default least-connections strategy
     */
    public static Strategy leastConnections() {
        return ChoiceStrategy.LEAST_CONNECTIONS_DEFAULT;
    }

    /**
     * Configures least-connections (choice count, slow start).
     *
     * @return a new builder with the defaults of {@link #leastConnections()}
     */
    public static ChoiceBuilder leastConnectionsBuilder() {
        return new ChoiceBuilder(false);
    }

    /**
     * Latency-aware power of two choices (Finagle's P2C peak-EWMA): samples two distinct
     * endpoints and takes the lower {@code latencyEwma * (inFlight + 1) / weight}, with the
     * peak-sensitive latency average of {@link io.lb4j.core.EndpointState#latencyEwmaNanos}.
     * An endpoint without a latency sample costs nothing while idle, so it gets a probe call,
     * and a prohibitive penalty while that probe is out. Averages decay with the balancer's
     * {@link io.lb4j.core.BalancerBuilder#latencyDecay latencyDecay} (default 10 s), set on the
     * balancer and not here because the averages must survive a strategy switch.
     *
     * <p>Hard to fool: a failure raises an endpoint's load by the
     * {@linkplain ChoiceBuilder#failurePenalty failure penalty}, so one that fails fast does not
     * look fast; an endpoint whose latest sample is older than a tenth of the decay is sent one
     * call to re-measure it ({@link io.lb4j.core.EndpointState#claimRemeasure}), and that answer
     * replaces the stale estimate, so a recovered endpoint is back within about a second while
     * one still slow only gets those re-measurements. See {@link #peakEwmaBuilder()} for more
     * choices, slow start and the failure penalty.
     *
     * @return the shared default peak-EWMA strategy
     */
    public static Strategy peakEwma() {
        return ChoiceStrategy.PEAK_EWMA_DEFAULT;
    }

    /**
     * Configures peak-EWMA (choice count, slow start, failure penalty).
     *
     * @return a new builder with the defaults of {@link #peakEwma()}
     */
    public static ChoiceBuilder peakEwmaBuilder() {
        return new ChoiceBuilder(true);
    }

    /**
     * Consistent hashing on {@link io.lb4j.core.PickContext#hashKey()}: the same key goes to the
     * same endpoint while it is pickable, and a list change moves only the keys of endpoints that
     * came or went. A ring of virtual nodes (1024 for the heaviest endpoint, the others in
     * proportion to weight): removing an endpoint moves exactly its own keys, at the cost of a
     * binary search per pick ({@link #maglev()} is one table read). A pick without a hash key
     * goes to a random point of the ring, which makes it a weighted random pick. Retries that
     * avoid an endpoint go to the next endpoint on the ring. See {@link #consistentHashBuilder()}
     * for bounded load and ring size.
     *
     * @return the consistent-hash strategy
     */
    public static Strategy consistentHash() {
        return ConsistentHashStrategy.DEFAULT;
    }

    /** {@return a builder for consistent hashing (bounded load, balance factor, virtual nodes)} */
    public static ConsistentHashBuilder consistentHashBuilder() {
        return new ConsistentHashBuilder();
    }

    /**
     * Consistent hashing on {@link io.lb4j.core.PickContext#hashKey()} by a Maglev lookup table
     * (Google's Maglev, Envoy's {@code MAGLEV}): the same key goes to the same endpoint while the
     * list stays, a pick is one table read whatever the endpoint count, and key shares follow
     * weights closely. The table has a prime number of slots, at least 100 per endpoint
     * (1,048,583 slots, 4 MiB, for 10,000 endpoints), capped at
     * {@value MaglevBuilder#MAX_TABLE_SIZE} slots (16 MiB). Against {@link #consistentHash()}: a
     * list change moves the keys of endpoints that came or went plus a small share of the others
     * (and nearly all keys where the table size steps, see
     * {@link MaglevBuilder#tableSizeFactor}), and each list change refills the table (tens of
     * milliseconds at 10,000 endpoints, on the balancer's control path). A pick without a hash key goes to a random slot, a weighted
     * random pick; retries that avoid an endpoint go to the endpoints of the key's next slots.
     * See {@link #maglevBuilder()} for bounded load and table size.
     *
     * @return the Maglev strategy
     */
    public static Strategy maglev() {
        return MaglevStrategy.DEFAULT;
    }

    /** {@return a builder for Maglev consistent hashing (bounded load, balance factor, table size)} */
    public static MaglevBuilder maglevBuilder() {
        return new MaglevBuilder();
    }

    /**
     * Weighted round-robin by the load each endpoint reports about itself, gRPC's
     * {@code weighted_round_robin} (gRFC A58): an endpoint weighs
     * {@code rps / (utilization + errorPenalty * eps / rps)} from the latest
     * {@link io.lb4j.core.LoadReport} its answers carried ({@code LoadBalancedHttpClient} reads
     * the {@code endpoint-load-metrics} response header; utilisation is the application
     * utilisation when reported, else the CPU utilisation). A weight is used once the endpoint has
     * reported for a blackout of 10 s and dropped when its reports are older than 3 min;
     * endpoints without one get the mean weight, and with fewer than two weights all endpoints
     * weigh the same (round-robin). Configured endpoint weights are not used. The weights are
     * recomputed every second by a picker rebuild on the balancer's control executor: a pick
     * costs what a weighted round-robin pick costs. See {@link #loadWeightedBuilder()}.
     *
     * @return the strategy with A58's defaults
     */
    public static Strategy loadWeighted() {
        return LoadWeightedStrategy.DEFAULT;
    }

    /**
     * Configures {@link #loadWeighted()} (blackout, expiration, update period, error penalty).
     *
     * @return a new builder
     */
    public static LoadWeightedBuilder loadWeightedBuilder() {
        return new LoadWeightedBuilder();
    }

    /**
     * The strategy of that name with its defaults: a built-in name ({@code round-robin},
     * {@code random}, {@code weighted-round-robin}, {@code weighted-random},
     * {@code least-connections}, {@code peak-ewma}, {@code consistent-hash}, {@code maglev},
     * {@code load-weighted}) or the name of a
     * {@link StrategyProvider} on the class path of the thread's context class loader.
     *
     * @param name the strategy's name
     * @return the strategy
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws NullPointerException if name is null
     */
    public static Strategy named(String name) {
        notNull(name, "name");
        Supplier<Strategy> builtIn = BUILT_IN.get(name);
        if (builtIn != null) {
            return builtIn.get();
        }
        Map<String, StrategyProvider> providers = providers();
        StrategyProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("strategy: '" + name + "' (expected one of: "
                    + String.join(", ", names(providers)) + ")");
        }
        Strategy strategy = provider.create();
        if (strategy == null) {
            throw new IllegalStateException("strategy provider " + provider.getClass().getName()
                    + " for '" + name + "' returned null");
        }
        return strategy;
    }

    /** {@return every name {@link #named} accepts: the built-in ones and those of providers, sorted} */
    public static Set<String> names() {
        return names(providers());
    }

    private static Set<String> names(Map<String, StrategyProvider> providers) {
        Set<String> names = new TreeSet<>(BUILT_IN.keySet());
        names.addAll(providers.keySet());
        return Collections.unmodifiableSet(names);
    }

    private static Map<String, StrategyProvider> providers() {
        Map<String, StrategyProvider> byName = new LinkedHashMap<>();
        ServiceLoader<StrategyProvider> loader = ServiceLoader.load(StrategyProvider.class);
        for (var it = loader.iterator(); ; ) {
            StrategyProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                log.warn("skipping a strategy provider that failed to load: {}", e.toString());
                continue;
            }
            String name = p.name();
            if (name == null || BUILT_IN.containsKey(name)) {
                log.warn("ignoring strategy provider {}: name '{}' is reserved", p.getClass().getName(), name);
            } else if (byName.putIfAbsent(name, p) != null) {
                log.warn("ignoring strategy provider {}: '{}' is already provided by {}",
                        p.getClass().getName(), name, byName.get(name).getClass().getName());
            }
        }
        return byName;
    }
}
