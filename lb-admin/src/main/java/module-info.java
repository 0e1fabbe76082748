/**
 * The admin side of lb4j: JSON of balancer views ({@link io.lb4j.admin.AdminJson}), a JDK
 * {@code HttpHandler} serving {@code /lb4j} and a live page ({@link io.lb4j.admin.AdminHandler}).
 */
module io.lb4j.admin {
    requires transitive io.lb4j.core;
    requires transitive jdk.httpserver;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.lb4j.admin;
}
