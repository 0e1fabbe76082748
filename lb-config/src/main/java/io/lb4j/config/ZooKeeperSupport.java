package io.lb4j.config;

import java.util.Optional;

/**
 * Whether lb-zookeeper can be used, asked without loading any of its classes: it is an optional
 * dependency, and a configuration that does not name ZooKeeper must run without it. Only
 * {@link ZooKeeperWiring} names ZooKeeper types, and it is loaded only after this said yes.
 */
final class ZooKeeperSupport {
    static final String MODULE = "io.lb4j.zookeeper";
    static final String ARTIFACT = "io.lb4j:lb-zookeeper";

    private ZooKeeperSupport() {}

    /**
     * What is missing for ZooKeeper, as the rule of a configuration problem.
     *
     * @return null when lb-zookeeper and the ZooKeeper client can be loaded, else e.g.
     *         {@code needs io.lb4j:lb-zookeeper on the class path}
     */
    static String missing() {
        Module self = ZooKeeperSupport.class.getModule();
        ClassLoader loader;
        if (self.isNamed()) {
            // on the module path a `requires static` module is read only when something resolved it
            Optional<Module> zk = self.getLayer() == null ? Optional.empty() : self.getLayer().findModule(MODULE);
            if (zk.isEmpty() || !self.canRead(zk.get())) {
                return "needs " + ARTIFACT + " in the module graph (on the module path: requires " + MODULE
                        + " in the application's module-info, or --add-modules " + MODULE + ")";
            }
            loader = zk.get().getClassLoader();
        } else {
            loader = ZooKeeperSupport.class.getClassLoader();
            if (!loadable("io.lb4j.zookeeper.ZooKeeperSource", loader)) {
                return "needs " + ARTIFACT + " on the class path";
            }
        }
        if (!loadable("org.apache.zookeeper.ZooKeeper", loader)) {
            return "needs org.apache.zookeeper:zookeeper on the " + (self.isNamed() ? "module" : "class") + " path (a dependency of "
                    + ARTIFACT + ")";
        }
        return null;
    }

    private static boolean loadable(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
