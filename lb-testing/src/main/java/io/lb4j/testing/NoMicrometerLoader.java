package io.lb4j.testing;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A class loader that sees only the given class-path entries (no Micrometer among them) and
 * notes every {@code io.micrometer.*} class it was asked for: tests load a scenario through it
 * to show that a module runs without Micrometer and never even tries to load it.
 * <pre>{@code
 * try (NoMicrometerLoader loader = new NoMicrometerLoader(NoMicrometerLoader.locationOf(Balancer.class), ...)) {
 *     Class<?> scenario = Class.forName(MyScenario.class.getName(), true, loader);
 *     ...
 *     assertThat(loader.micrometerRequests()).isEmpty();
 * }
 * }</pre>
 */
public final class NoMicrometerLoader extends URLClassLoader {
    private final List<String> micrometerRequests = new CopyOnWriteArrayList<>();

    /**
     * A loader of exactly {@code urls}, whose parent is the platform class loader (the JDK's own
     * modules, no application class path).
     *
     * @param urls the class-path entries to load from, e.g. {@link #locationOf} of a class of each module needed
     */
    public NoMicrometerLoader(URL... urls) {
        super(urls, ClassLoader.getPlatformClassLoader());
    }

    /**
     * The class-path entry (jar or directory) a class was loaded from.
     *
     * @param c the class
     * @return its jar or classes directory
     */
    public static URL locationOf(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /**
     * The Micrometer classes asked for so far.
     *
     * @return their names, in the order asked
     */
    public List<String> micrometerRequests() {
        return List.copyOf(micrometerRequests);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("io.micrometer.")) {
            micrometerRequests.add(name);
        }
        return super.loadClass(name, resolve);
    }
}
