/**
 * TLS test fixtures of lb-http, shared with lb-health through lb-http's test-jar: certificates
 * made by keytool ({@link io.lb4j.http.testing.TestCertificates}) and a real HTTP/HTTPS server
 * on 127.0.0.1 that records what each request looked like ({@link io.lb4j.http.testing.RecordingServer}).
 */
package io.lb4j.http.testing;
