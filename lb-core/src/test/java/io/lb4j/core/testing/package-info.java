/**
 * Test fixtures shared by every lb4j module through lb-core's test-jar: a fake ticker and
 * scheduler, a scripted random source and a real loopback HTTP backend.
 */
package io.lb4j.core.testing;
