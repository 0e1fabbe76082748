/**
 * The core of lb4j: endpoints, the balancer with its immutable snapshot, selections, and the
 * strategy and endpoint-source SPIs. Start at {@link io.lb4j.core.Balancer#builder(String)}.
 */
@SuppressWarnings("module") // the modules named in the qualified export are built after this one
module io.lb4j.core {
    requires java.net.http; // io.lb4j.core.internal.HttpClients, shared by lb-health and lb-http
    requires org.slf4j;

    exports io.lb4j.core;
    // shared code of the lb4j modules, not API: a module that needs it adds itself here
    exports io.lb4j.core.internal to io.lb4j.strategies, io.lb4j.health, io.lb4j.http, io.lb4j.discovery,
            io.lb4j.zookeeper, io.lb4j.config;
}
