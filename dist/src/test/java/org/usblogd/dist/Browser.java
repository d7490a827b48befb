package org.usblogd.dist;

import java.time.Duration;

/**
 * A real browser, headless, as the web page's tests use it: load a page, evaluate JavaScript in it, size its
 * window, take a screenshot. Chromium is driven through chromedriver; Firefox through the WebDriver BiDi it
 * serves itself (Debian packages no geckodriver).
 */
interface Browser extends AutoCloseable {

    /** Loads the address and waits for the page's load event, for at most {@code limit}. */
    void open(String address, Duration limit) throws Exception;

    /**
     * The value of a JavaScript expression in the page: a String, a Number, a Boolean, or null for null and
     * undefined.
     */
    Object eval(String expression) throws Exception;

    /** Sizes the page's viewport, as a phone's screen would. */
    void resize(int width, int height) throws Exception;

    /** The page as it is drawn now. */
    byte[] screenshotPng() throws Exception;

    String name();

    /** What the browser's driver last said, for a test that failed on it. */
    default String diagnosis() {
        return "";
    }

    @Override
    void close();

    /** Evaluates the expression until it is true, at most {@code limit}. */
    default void await(String what, String expression, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            last = eval(expression);
            if (Boolean.TRUE.equals(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name() + ": " + what + " not within " + limit.toSeconds() + " s (" + expression
                + " was " + last + ")");
    }

    /** A number the page computes. */
    default long number(String expression) throws Exception {
        return ((Number) eval(expression)).longValue();
    }
}
