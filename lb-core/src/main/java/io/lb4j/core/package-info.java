/**
 * The core of lb4j: {@link io.lb4j.core.Endpoint}, the {@link io.lb4j.core.Balancer} with its
 * immutable {@link io.lb4j.core.Snapshot}, {@link io.lb4j.core.Selection}, and the
 * {@link io.lb4j.core.Strategy}/{@link io.lb4j.core.Picker} and {@link io.lb4j.core.EndpointSource} SPIs.
 * Start at {@link io.lb4j.core.Balancer#builder(String)}.
 */
package io.lb4j.core;
