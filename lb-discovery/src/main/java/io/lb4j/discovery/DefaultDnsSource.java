package io.lb4j.discovery;

import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultDnsSource extends ScheduledSource implements DnsSource {
    private static final Logger log = LoggerFactory.getLogger(DnsSource.class);
    private static final Comparator<Endpoint> BY_ADDRESS =
            Comparator.comparing(Endpoint::host).thenComparingInt(Endpoint::port);

    private final String name;
    private final int port; // 0 for SRV
    private final Hashtable<String, String> env = new Hashtable<>();
    private final String serverText;
    private final boolean ipv6;
    private final Duration interval;
    /** Queries per record type and server: the first and one retry. */
    static final int QUERIES_PER_SERVER = 2;

    // guarded by this: what was last warned about, so that a lasting problem is logged once
    private List<String> warnedUnresolved = List.of();
    private java.util.Set<String> warnedMalformed = java.util.Set.of();

    DefaultDnsSource(DnsSource.Builder b) {
        super(b.scheduler, "lb4j-dns-" + b.name, b.minHosts);
        this.name = b.name;
        this.port = b.port;
        this.ipv6 = b.ipv6;
        this.interval = b.interval != null ? b.interval : DnsSource.Builder.DEFAULT_INTERVAL;
        Duration timeout = b.timeout != null ? b.timeout : DnsSource.Builder.DEFAULT_TIMEOUT;
        this.serverText = b.server == null ? "the system resolver" : b.server.authority();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        // "dns:" alone makes the provider read the system's resolver configuration
        env.put(Context.PROVIDER_URL, b.server == null ? "dns:" : "dns://" + b.server.authority() + "/");
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.max(1, timeout.toMillis())));
        // the JDK counts every query sent, the first included: 2 = one query, then one retry waiting
        // twice as long (1 s + 2 s by default), per server
        env.put("com.sun.jndi.dns.timeout.retries", Integer.toString(QUERIES_PER_SERVER));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    void onStart() {
        every(Duration.ZERO, interval, this::refresh);
    }

    @Override
    public synchronized boolean refresh() {
        if (closed || delivery == null) {
            return false;
        }
        List<Endpoint> endpoints;
        try {
            endpoints = lookup();
        } catch (NamingException | IOException e) {
            String why = e instanceof NameNotFoundException ? "no such name (NXDOMAIN)" : String.valueOf(e);
            delivery.fail(new IOException("DNS " + (port == 0 ? "SRV " : "") + name + " via " + serverText + ": " + why, e));
            return false;
        }
        delivery.deliver(endpoints);
        return true;
    }

    private List<Endpoint> lookup() throws NamingException, IOException {
        DirContext ctx = new InitialDirContext(env);
        try {
            List<Endpoint> result;
            if (port > 0) {
                result = addresses(ctx, name, port, 1);
                if (result.isEmpty()) {
                    throw new IOException("no A" + (ipv6 ? "/AAAA" : "") + " records");
                }
            } else {
                result = srv(ctx);
            }
            result.sort(BY_ADDRESS);
            return result;
        } finally {
            ctx.close();
        }
    }

    /** The addresses of {@code host}, splitting {@code weight} between them (at least 1 each). */
    private List<Endpoint> addresses(DirContext ctx, String host, int port, int weight) throws NamingException, IOException {
        List<String> ips = new ArrayList<>(values(ctx, host, "A"));
        if (ipv6) {
            ips.addAll(values(ctx, host, "AAAA"));
        }
        List<Endpoint> result = new ArrayList<>(ips.size());
        for (String ip : ips) {
            result.add(Endpoint.builder(literal(ip), port).weight(Math.max(1, weight / ips.size())).build());
        }
        return result;
    }

    private static List<String> values(DirContext ctx, String name, String type) throws NamingException {
        Attributes attrs = ctx.getAttributes(name, new String[] {type});
        Attribute a = attrs.get(type);
        List<String> result = new ArrayList<>();
        for (int i = 0; a != null && i < a.size(); i++) {
            result.add(String.valueOf(a.get(i)));
        }
        return result;
    }

    /** Canonical text of an address literal ("::0.0.0.2" -> "0:0:0:0:0:0:0:2"); a literal never causes a lookup. */
    private static String literal(String ip) throws IOException {
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IOException("not an address: " + ip, e);
        }
    }

    private List<Endpoint> srv(DirContext ctx) throws NamingException, IOException {
        TreeMap<Integer, List<String[]>> byPriority = new TreeMap<>();
        java.util.Set<String> malformed = new java.util.TreeSet<>();
        for (String record : values(ctx, name, "SRV")) {
            String[] f = record.trim().split("\\s+"); // priority weight port target
            if (f.length != 4) {
                malformed.add(record);
                continue;
            }
            if (f[3].equals(".")) {
                continue; // "service decidedly not available at this domain"
            }
            byPriority.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(f);
        }
        if (!malformed.isEmpty() && !malformed.equals(warnedMalformed)) {
            log.warn("{}: ignoring malformed SRV records {}", this, malformed);
        }
        warnedMalformed = malformed;
        if (byPriority.isEmpty()) {
            throw new IOException("no SRV records");
        }
        List<String> unresolved = new ArrayList<>();
        for (Map.Entry<Integer, List<String[]>> group : byPriority.entrySet()) {
            Map<Endpoint, Endpoint> merged = new LinkedHashMap<>();
            for (String[] f : group.getValue()) {
                String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                int weight = srvWeight(Integer.parseInt(f[1]));
                List<Endpoint> found;
                try {
                    found = addresses(ctx, target, Integer.parseInt(f[2]), weight);
                } catch (NameNotFoundException e) {
                    found = List.of();
                }
                if (found.isEmpty()) {
                    unresolved.add(target);
                }
                // two records reaching one address: one endpoint with both shares
                for (Endpoint e : found) {
                    merged.merge(e, e, (a, b) -> a.withWeight(Math.min(Endpoint.MAX_WEIGHT, a.weight() + b.weight())));
                }
            }
            if (!merged.isEmpty()) {
                noteUnresolved(unresolved);
                return new ArrayList<>(merged.values());
            }
        }
        throw new IOException("no SRV target has an address: " + unresolved);
    }

    /** Warns when the set of skipped targets changes, not at every refresh; says so when it empties. */
    private void noteUnresolved(List<String> unresolved) {
        if (unresolved.equals(warnedUnresolved)) {
            if (!unresolved.isEmpty()) {
                log.debug("{}: SRV targets without addresses still skipped: {}", this, unresolved);
            }
        } else if (unresolved.isEmpty()) {
            log.info("{}: every SRV target resolves again (skipped before: {})", this, warnedUnresolved);
        } else {
            log.warn("{}: SRV targets without addresses skipped: {}", this, unresolved);
        }
        warnedUnresolved = List.copyOf(unresolved);
    }

    /** SRV weight (0-65535) to endpoint weight: 0 is a small share (1), others 10x so that 0 stays smaller than any. */
    static int srvWeight(int w) {
        return w == 0 ? 1 : 10 * w;
    }

    @Override
    public String toString() {
        return "DnsSource{" + (port == 0 ? "SRV " + name : name + ":" + port) + " via " + serverText + "}";
    }
}
