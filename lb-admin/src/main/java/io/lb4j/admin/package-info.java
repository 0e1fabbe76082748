/**
 * Seeing what lb4j balancers decide: {@link io.lb4j.admin.AdminJson} writes balancer views as
 * JSON, and {@link io.lb4j.admin.AdminHandler} serves them and a live HTML page on the JDK's
 * {@code com.sun.net.httpserver}. Start at {@link io.lb4j.admin.AdminHandler#of}.
 */
package io.lb4j.admin;
