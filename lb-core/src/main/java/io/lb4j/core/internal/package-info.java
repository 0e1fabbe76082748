/**
 * Implementation helpers shared by the lb4j modules; not API, may change in any release.
 * Argument checks with uniform messages and the default random source live here.
 */
package io.lb4j.core.internal;
