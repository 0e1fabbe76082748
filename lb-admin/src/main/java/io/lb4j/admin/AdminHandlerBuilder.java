package io.lb4j.admin;

import io.lb4j.core.Balancer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link AdminHandler}. Not thread-safe; {@link #build()} gives an independent handler
 * each time.
 *
 * <p>Defaults: no balancers (add them here or later with {@link AdminHandler#register}); the page
 * polls every {@value #DEFAULT_REFRESH_MILLIS} ms.
 * <pre>{@code
 * AdminHandler admin = AdminHandler.builder().balancers(List.of(users, orders))
 *         .refreshInterval(Duration.ofSeconds(1)).build();
 * }</pre>
 */
public final class AdminHandlerBuilder {

    /** How often the page polls by default, in milliseconds. */
    public static final int DEFAULT_REFRESH_MILLIS = 2000;

    final List<Balancer> balancers = new ArrayList<>();
    Duration refreshInterval = Duration.ofMillis(DEFAULT_REFRESH_MILLIS);

    AdminHandlerBuilder() {}

    /**
     * Adds a balancer to show.
     *
     * @param balancer the balancer
     * @return this builder
     * @throws NullPointerException if the balancer is null
     */
    public AdminHandlerBuilder balancer(Balancer balancer) {
        balancers.add(Objects.requireNonNull(balancer, "balancer"));
        return this;
    }

    /**
     * Adds balancers to show.
     *
     * @param balancers the balancers
     * @return this builder
     * @throws NullPointerException if the collection or an element is null
     */
    public AdminHandlerBuilder balancers(Collection<? extends Balancer> balancers) {
        for (Balancer b : Objects.requireNonNull(balancers, "balancers")) {
            balancer(b);
        }
        return this;
    }

    /**
     * How often the page asks for fresh JSON.
     *
     * @param interval the polling interval, 250 ms to 1 minute
     * @return this builder
     * @throws IllegalArgumentException if the interval is out of range
     * @throws NullPointerException if the interval is null
     */
    public AdminHandlerBuilder refreshInterval(Duration interval) {
        Objects.requireNonNull(interval, "refreshInterval");
        if (interval.compareTo(Duration.ofMillis(250)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("refreshInterval: " + interval + " (expected: PT0.25S-PT1M)");
        }
        this.refreshInterval = interval;
        return this;
    }

    /**
     * A handler showing the balancers added so far.
     *
     * @return a new handler
     */
    public AdminHandler build() {
        return new DefaultAdminHandler(this);
    }
}
