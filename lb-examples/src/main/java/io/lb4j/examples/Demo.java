package io.lb4j.examples;

/** Placeholder until the demo lands. */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        System.out.println("lb4j demo: coming in the next commit");
    }
}
