package io.lb4j.examples;

import io.lb4j.strategies.Strategies;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo: five loopback backends with different troubles, a fixed GET load through
 * {@code LoadBalancedHttpClient} with health checks and outlier detection on, once per strategy;
 * a table per strategy, a verdict, and a self-contained HTML report.
 *
 * <pre>
 * java -jar lb-examples/target/lb4j-demo.jar [--strategies a,b] [--requests N] [--concurrency N] [--out FILE]
 * </pre>
 */
public final class Demo {

    static final List<String> DEFAULT_STRATEGIES =
            List.of("round-robin", "random", "weighted-round-robin", "least-connections", "peak-ewma");

    /**
     * Service time of the normal backends. Long enough that latency shows the backends, not the
     * scheduling noise of 16 callers and 5 servers sharing two cores.
     */
    static final long SERVICE_MICROS = 4_000;
    static final long SLOW_MICROS = 10 * SERVICE_MICROS;

    private Demo() {}

    /** Command-line options, validated. */
    static final class Options {
        List<String> strategies = DEFAULT_STRATEGIES;
        int requests = 20_000;
        int concurrency = 16;
        Path out = Path.of("lb4j-report.html");
        boolean help;

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--strategies" -> {
                        String v = value != null ? value : arg(args, ++i, a);
                        List<String> list = new ArrayList<>();
                        for (String s : v.split(",")) {
                            if (!s.isBlank()) {
                                list.add(s.trim());
                            }
                        }
                        if (list.isEmpty()) {
                            throw new IllegalArgumentException("--strategies: '" + v + "' (expected: a comma-separated list of names)");
                        }
                        for (String s : list) {
                            Strategies.named(s); // an unknown name fails here, listing the known ones
                        }
                        o.strategies = list;
                    }
                    case "--requests" -> o.requests = positiveInt(value != null ? value : arg(args, ++i, a), a, 100, 10_000_000);
                    case "--concurrency" -> o.concurrency = positiveInt(value != null ? value : arg(args, ++i, a), a, 1, 1024);
                    case "--out" -> o.out = Path.of(value != null ? value : arg(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option: '" + args[i] + "' (see --help)");
                }
            }
            return o;
        }

        private static String arg(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + ": missing value");
            }
            return args[i];
        }

        private static int positiveInt(String v, String option, int min, int max) {
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + v + "' (expected: a whole number)");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + ": " + n + " (expected: " + min + "-" + max + ")");
            }
            return n;
        }
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar lb4j-demo.jar [options]",
            "",
            "Starts 5 loopback backends (normal, slow = 10x service time, flaky = 503 for a stretch,",
            "crashy = killed and restarted, heavy = weight 2) and sends the same GET load through",
            "lb4j's LoadBalancedHttpClient once per strategy, with health checks and outlier detection on.",
            "",
            "  --strategies LIST   comma-separated, default " + String.join(",", DEFAULT_STRATEGIES),
            "                      (also: weighted-random, consistent-hash)",
            "  --requests N        requests per strategy, default 20000",
            "  --concurrency N     callers in parallel, default 16",
            "  --out FILE          the HTML report, default ./lb4j-report.html",
            "  --help              this text",
            "",
            "Exit code: 0 when every caller got an answer, 1 when callers saw errors, 2 on bad options,",
            "3 when the demo itself failed.");

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("lb4j demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        try {
            int errors = run(options, System.out);
            System.exit(errors == 0 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("lb4j demo failed: " + e);
            e.printStackTrace();
            System.exit(3);
        }
    }

    /** Runs every phase, prints the tables and writes the report; returns caller-visible errors. */
    static int run(Options options, PrintStream out) throws Exception {
        List<DemoBackend> backends = new ArrayList<>();
        try {
            DemoBackend normal = DemoBackend.start("normal", 1, SERVICE_MICROS);
            DemoBackend slow = DemoBackend.start("slow", 1, SLOW_MICROS);
            DemoBackend flaky = DemoBackend.start("flaky", 1, SERVICE_MICROS);
            DemoBackend crashy = DemoBackend.start("crashy", 1, SERVICE_MICROS);
            DemoBackend heavy = DemoBackend.start("heavy", 2, SERVICE_MICROS);
            backends.addAll(List.of(normal, slow, flaky, crashy, heavy));
            List<String> names = backends.stream().map(DemoBackend::name).toList();
            int n = options.requests;
            List<LoadRun.Event> events = List.of(
                    new LoadRun.Event(n / 5, "flaky starts answering 503", () -> flaky.failing(true)),
                    new LoadRun.Event(n * 9 / 20, "flaky recovers", () -> flaky.failing(false)),
                    new LoadRun.Event(n / 2, "crashy is killed", crashy::kill),
                    new LoadRun.Event(n * 3 / 4, "crashy restarts", () -> {
                        try {
                            crashy.restart();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
            out.printf("lb4j demo: %d backends on 127.0.0.1, %d requests per strategy at concurrency %d%n",
                    backends.size(), n, options.concurrency);
            for (DemoBackend b : backends) {
                out.printf("  %-7s %s%n", b.name(), describe(b));
            }
            List<Scenario.Phase> phases = new ArrayList<>();
            // one shared HttpClient for every phase: connection reuse, as in a real service
            HttpClient delegate = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            for (String strategy : options.strategies) {
                for (DemoBackend b : backends) {
                    b.failing(false);
                    b.restart();
                    b.resetCount();
                }
                phases.add(Scenario.run(strategy, backends, delegate, options.requests, options.concurrency, events,
                        (d, seconds) -> out.printf(Locale.ROOT, "  [%-20s] %6d/%d requests, %5.1f s%n", strategy, d, n, seconds)));
            }
            printTable(out, phases, names);
            String verdict = verdict(phases);
            out.println();
            out.println(verdict);
            Path report = options.out.toAbsolutePath();
            Files.writeString(report, HtmlReport.render(options, phases, names, events, verdict), StandardCharsets.UTF_8);
            out.println("report: " + report);
            return phases.stream().mapToInt(p -> p.result.errors).sum();
        } finally {
            backends.forEach(DemoBackend::close);
        }
    }

    private static String describe(DemoBackend b) {
        return switch (b.name()) {
            case "slow" -> "service time " + SLOW_MICROS / 1000 + " ms (10x the others)";
            case "flaky" -> "answers 503 from 20% to 45% of each run, service time " + SERVICE_MICROS / 1000 + " ms";
            case "crashy" -> "killed at 50% of each run, restarted at 75%, service time " + SERVICE_MICROS / 1000 + " ms";
            case "heavy" -> "weight 2, service time " + SERVICE_MICROS / 1000 + " ms";
            default -> "service time " + SERVICE_MICROS / 1000 + " ms";
        };
    }

    static void printTable(PrintStream out, List<Scenario.Phase> phases, List<String> names) {
        out.println();
        StringBuilder head = new StringBuilder(String.format("%-21s", "strategy"));
        for (String b : names) {
            head.append(String.format("%8s", b));
        }
        head.append(String.format("%8s%8s%8s%8s%8s%8s%8s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "retries", "ejects"));
        out.println(head);
        for (Scenario.Phase p : phases) {
            Map<String, Integer> per = p.result.perBackend();
            StringBuilder row = new StringBuilder(String.format("%-21s", p.strategy));
            for (String b : names) {
                row.append(String.format("%8d", per.getOrDefault(b, 0)));
            }
            row.append(String.format(Locale.ROOT, "%8.1f%8.1f%8.1f%8.1f%8d%8d%8d",
                    p.result.percentileMillis(50), p.result.percentileMillis(95), p.result.percentileMillis(99),
                    p.result.percentileMillis(100), p.result.errors, p.retries, p.ejections));
            out.println(row);
        }
        for (Scenario.Phase p : phases) {
            if (!p.result.errorSamples.isEmpty()) {
                out.println("errors seen by callers with " + p.strategy + ", e.g.: " + p.result.errorSamples);
            }
        }
    }

    /**
     * Orders phases by tail latency: p99, unless two p99s are within 5 % of each other (noise on a
     * shared machine), then p95.
     */
    static int compareTail(Scenario.Phase a, Scenario.Phase b) {
        double p99a = a.percentileMillis(99);
        double p99b = b.percentileMillis(99);
        if (Math.abs(p99a - p99b) > 0.05 * Math.max(p99a, p99b)) {
            return Double.compare(p99a, p99b);
        }
        return Double.compare(a.percentileMillis(95), b.percentileMillis(95));
    }

    static String verdict(List<Scenario.Phase> phases) {
        Scenario.Phase best = phases.stream().min(Demo::compareTail).orElseThrow();
        Scenario.Phase worst = phases.stream().max(Demo::compareTail).orElseThrow();
        if (phases.size() == 1) {
            return String.format(Locale.ROOT, "verdict: %s, p95 %.1f ms, p99 %.1f ms", best.strategy,
                    best.percentileMillis(95), best.percentileMillis(99));
        }
        return String.format(Locale.ROOT,
                "verdict: best tail latency with %s (p95 %.1f ms, p99 %.1f ms); worst %s (p95 %.1f ms, p99 %.1f ms)",
                best.strategy, best.percentileMillis(95), best.percentileMillis(99),
                worst.strategy, worst.percentileMillis(95), worst.percentileMillis(99));
    }

}
