package io.lb4j.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, each in its own PKCS12 key store, made by the JDK's
 * {@code keytool} once per JVM (in parallel: 1-4 s) in a temporary directory that is deleted at
 * exit. Every key store and key has the password {@link #PASSWORD}.
 *
 * <table>
 *   <caption>The certificates</caption>
 *   <tr><th>name</th><th>subject alternative names</th><th>in {@link #trustStore()}</th></tr>
 *   <tr><td>{@code users}</td><td>DNS:users.internal</td><td>yes</td></tr>
 *   <tr><td>{@code wildcard}</td><td>DNS:*.internal</td><td>yes</td></tr>
 *   <tr><td>{@code other}</td><td>DNS:other.internal</td><td>yes</td></tr>
 *   <tr><td>{@code other-ip}</td><td>DNS:other.internal, IP:127.0.0.1</td><td>yes</td></tr>
 *   <tr><td>{@code untrusted}</td><td>DNS:users.internal</td><td>no</td></tr>
 *   <tr><td>{@code client}</td><td>DNS:client.internal (a client certificate)</td><td>yes</td></tr>
 *   <tr><td>{@code localhost}</td><td>DNS:localhost</td><td>yes</td></tr>
 * </table>
 * Thread-safe.
 */
public final class TestCertificates {
    /** The password of every key store and key. */
    public static final String PASSWORD = "changeit";
    /** The system property by which a child JVM is given its parent's {@link #directory()}, to skip making them again. */
    public static final String DIRECTORY_PROPERTY = "lb4j.test.certificates";

    private static final Map<String, String> SANS = new LinkedHashMap<>();

    static {
        SANS.put("users", "dns:users.internal");
        SANS.put("wildcard", "dns:*.internal");
        SANS.put("other", "dns:other.internal");
        SANS.put("other-ip", "dns:other.internal,ip:127.0.0.1");
        SANS.put("untrusted", "dns:users.internal");
        SANS.put("client", "dns:client.internal");
        SANS.put("localhost", "dns:localhost");
    }

    private static TestCertificates instance;

    private final Path dir;
    private final Map<String, KeyStore> keyStores = new LinkedHashMap<>();
    private final KeyStore trustStore;
    private final Path trustStoreFile;

    private TestCertificates(Path dir, boolean generate) throws IOException, GeneralSecurityException, InterruptedException {
        this.dir = dir;
        List<Process> keytools = new ArrayList<>();
        for (Map.Entry<String, String> e : generate ? SANS.entrySet() : Map.<String, String>of().entrySet()) {
            keytools.add(keytool("-genkeypair", "-alias", e.getKey(), "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + e.getKey() + ".internal", "-ext", "SAN=" + e.getValue(), "-validity", "7",
                    "-storetype", "PKCS12", "-keystore", keyStoreFile(e.getKey()).toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD));
        }
        for (Process p : keytools) {
            awaitSuccess(p);
        }
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        for (String name : SANS.keySet()) {
            KeyStore ks = load(keyStoreFile(name));
            keyStores.put(name, ks);
            if (!name.equals("untrusted")) {
                trustStore.setCertificateEntry(name, ks.getCertificate(name));
            }
        }
        trustStoreFile = dir.resolve("truststore.p12");
        try (var out = Files.newOutputStream(trustStoreFile)) {
            trustStore.store(out, PASSWORD.toCharArray());
        }
    }

    /**
     * The certificates, made on the first call; in a JVM started with
     * {@code -D}{@value #DIRECTORY_PROPERTY}{@code =}{@link #directory()} of another, that one's.
     *
     * @return the one instance of this JVM
     */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                String given = System.getProperty(DIRECTORY_PROPERTY);
                if (given != null) {
                    instance = new TestCertificates(Paths.get(given), false);
                    return instance;
                }
                Path dir = Files.createTempDirectory("lb4j-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "lb4j-test-certificates-cleanup"));
                instance = new TestCertificates(dir, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while keytool ran", e);
            }
        }
        return instance;
    }

    /**
     * Where the files are; deleted when the JVM that made them exits.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * The PKCS12 file holding the key and certificate of {@code name} (alias {@code name}).
     *
     * @param name a certificate name of the class table
     * @return the file
     */
    public Path keyStoreFile(String name) {
        return dir.resolve(name + ".p12");
    }

    /**
     * A PKCS12 trust store file of every certificate but {@code untrusted}, as
     * {@code keytool -importcert} makes it.
     *
     * @return the file
     */
    public Path trustStoreFile() {
        return trustStoreFile;
    }

    /**
     * The certificate of {@code name}.
     *
     * @param name a certificate name of the class table
     * @return the certificate
     */
    public Certificate certificate(String name) {
        try {
            return keyStore(name).getCertificate(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A server's context: presents {@code name}'s certificate and trusts {@link #trustStoreFile()}
     * (for client certificates).
     *
     * @param name a certificate name of the class table
     * @return a new context
     */
    public SSLContext serverContext(String name) {
        return context(name);
    }

    /**
     * A client's context trusting {@link #trustStoreFile()}, with no certificate of its own.
     *
     * @return a new context
     */
    public SSLContext clientContext() {
        return context(null);
    }

    /**
     * A client's context trusting {@link #trustStoreFile()} that presents {@code name}'s certificate when asked.
     *
     * @param name a certificate name of the class table
     * @return a new context
     */
    public SSLContext clientContext(String name) {
        return context(name);
    }

    /**
     * Writes {@code name}'s certificate and key as PEM ({@code name.crt}, PKCS#8 {@code name.key}), as nginx reads them.
     *
     * @param name a certificate name of the class table
     * @param target the directory to write into
     * @throws IOException if writing fails
     */
    public void writePem(String name, Path target) throws IOException {
        try {
            KeyStore ks = keyStore(name);
            Files.writeString(target.resolve(name + ".crt"), pem("CERTIFICATE", ks.getCertificate(name).getEncoded()));
            Files.writeString(target.resolve(name + ".key"), pem("PRIVATE KEY",
                    ks.getKey(name, PASSWORD.toCharArray()).getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyStore keyStore(String name) {
        KeyStore ks = keyStores.get(name);
        if (ks == null) {
            throw new IllegalArgumentException("certificate: '" + name + "' (expected: one of " + SANS.keySet() + ")");
        }
        return ks;
    }

    private SSLContext context(String keyName) {
        try {
            KeyManagerFactory kmf = null;
            if (keyName != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(keyName), PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * Runs the JDK's keytool with {@code args}, waiting for it.
     *
     * @param args keytool's arguments
     * @throws IOException if it cannot start or fails, with its output
     * @throws InterruptedException if interrupted while waiting
     */
    public static void runKeytool(String... args) throws IOException, InterruptedException {
        awaitSuccess(keytool(args));
    }

    private static Process keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM: C1 only and the serial collector halve keytool's time on a busy machine
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void awaitSuccess(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish in 60 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + output);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
