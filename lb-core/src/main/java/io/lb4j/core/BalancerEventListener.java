package io.lb4j.core;

/**
 * Receives a balancer's {@link BalancerEvent}s: for users who ship them elsewhere (an audit log,
 * an event bus, a dashboard). Called on the balancer's control executor, one event at a time, in
 * the order the changes were published, after the snapshot that shows them; must be quick and
 * must not throw (a thrown exception is logged and ignored). It may call the balancer; a change
 * it makes is applied after it returns.
 */
@FunctionalInterface
public interface BalancerEventListener {

    /**
     * Called for each event.
     *
     * @param event the event
     */
    void onEvent(BalancerEvent event);
}
