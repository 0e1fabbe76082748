package io.lb4j.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code Balancer.pick()} then {@code Selection.success()} of this build's lb-core against a
 * baseline build's, <em>at the same time</em>: one thread drives each, on a balancer of 8
 * endpoints with the default round-robin strategy, so that both see the same machine load at
 * every moment (on a shared machine sequential runs differ by more than the code does). Each
 * lb-core is loaded in a class loader of its own and called through the same method handles.
 * {@code mode} sets up the current build's balancer: {@code plain}, {@code view} (a view was
 * taken) or {@code meters} (a MeterRegistry with per-endpoint meters); the baseline is plain.
 *
 * <p>Run, with a baseline lb-core jar built from another checkout (e.g. the main branch):
 * <pre>
 * git worktree add /tmp/lb4j-baseline main &amp;&amp; (cd /tmp/lb4j-baseline &amp;&amp; mvn -B -q -pl lb-core -DskipTests package)
 * mvn -B -q -pl lb-benchmarks -am -DskipTests package
 * flock /tmp/jmh.lock java -Dlb4j.baseline=/tmp/lb4j-baseline/lb-core/target/lb-core-0.1.0-SNAPSHOT.jar \
 *     -jar lb-benchmarks/target/benchmarks.jar SelectionSideBySideBenchmark -f 3 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelectionSideBySideBenchmark {

    @Param({"plain", "view", "meters"})
    public String mode;

    Driver baseline;
    Driver current;

    @Setup
    public void setUp() throws Exception {
        String path = System.getProperty("lb4j.baseline");
        if (path == null) {
            throw new IllegalStateException("-Dlb4j.baseline=<lb-core jar of the baseline build> is required");
        }
        List<URL> urls = new ArrayList<>();
        for (String p : path.split(java.io.File.pathSeparator)) {
            urls.add(Path.of(p).toUri().toURL());
        }
        URL self = SelectionSideBySideBenchmark.class.getProtectionDomain().getCodeSource().getLocation();
        urls.add(self); // slf4j-api for the baseline (its own lb-core classes come first)
        baseline = new Driver(new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader()), "plain");
        current = new Driver(new URLClassLoader(new URL[] {self}, ClassLoader.getPlatformClassLoader()), mode);
        if (baseline.location.equals(current.location)) {
            throw new IllegalStateException("the baseline's lb-core is this build's: " + baseline.location);
        }
    }

    @TearDown
    public void tearDown() throws Throwable {
        baseline.close();
        current.close();
    }

    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public boolean baseline() throws Throwable {
        return baseline.call();
    }

    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public boolean current() throws Throwable {
        return current.call();
    }

    /** One lb-core build's balancer, driven through method handles. */
    static final class Driver {
        private final URLClassLoader loader;
        private final Object balancer;
        private final MethodHandle pick;
        private final MethodHandle success;
        private final MethodHandle close;
        final URL location;

        Driver(URLClassLoader loader, String mode) throws Exception {
            this.loader = loader;
            Class<?> balancerType = loader.loadClass("io.lb4j.core.Balancer");
            Class<?> builderType = loader.loadClass("io.lb4j.core.BalancerBuilder");
            Class<?> selectionType = loader.loadClass("io.lb4j.core.Selection");
            this.location = balancerType.getProtectionDomain().getCodeSource().getLocation();
            Object builder = balancerType.getMethod("builder", String.class).invoke(null, "bench");
            String[] endpoints = new String[8];
            for (int i = 0; i < endpoints.length; i++) {
                endpoints[i] = "10.0.0." + (i + 1) + ":8080";
            }
            builderType.getMethod("endpoints", String[].class).invoke(builder, (Object) endpoints);
            if (mode.equals("meters")) {
                Class<?> registryType = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
                Object registry = loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
                        .getConstructor().newInstance();
                builderType.getMethod("meterRegistry", registryType).invoke(builder, registry);
                builderType.getMethod("perEndpointMeters", int.class).invoke(builder, endpoints.length);
            }
            this.balancer = builderType.getMethod("build").invoke(builder);
            if (mode.equals("view")) {
                balancerType.getMethod("view").invoke(balancer);
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            this.pick = lookup.findVirtual(balancerType, "pick", MethodType.methodType(selectionType))
                    .asType(MethodType.methodType(Object.class, Object.class));
            this.success = lookup.findVirtual(selectionType, "success", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            this.close = lookup.findVirtual(balancerType, "close", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
        }

        boolean call() throws Throwable {
            Object selection = (Object) pick.invokeExact(balancer);
            return (boolean) success.invokeExact(selection);
        }

        void close() throws Throwable {
            close.invokeExact(balancer);
            loader.close();
        }
    }
}
