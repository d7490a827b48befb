package org.usblogd.testing.counter;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.usblogd.api.driver.Driver;
import org.usblogd.api.driver.DriverSession;
import org.usblogd.api.driver.UsbMatch;
import org.usblogd.api.sample.Channel;
import org.usblogd.api.sample.SampleSink;
import org.usblogd.api.usb.DeviceLink;

/**
 * Reads the counter twin (1209:0010): each report's sequence number becomes a sample. Its configuration
 * ({@code conf/org.usblogd.counter.cfg}) names the channel and can make it misbehave, for the tests of
 * broken plugins.
 */
@Component(immediate = true, configurationPid = "org.usblogd.counter")
@Designate(ocd = CounterDriver.Config.class)
@UsbMatch(driver = "counter", vid = "1209", pid = "0010")
public class CounterDriver implements Driver {

    @ObjectClassDefinition(name = "usblogd counter test driver")
    public @interface Config {
        @AttributeDefinition(description = "Channel the sequence numbers are stored in")
        String channel() default "sequence";

        @AttributeDefinition(description = "none, activate (throw on activation), open (throw when opening a"
                + " session), close-hang (take 20 s to close a session) or stop-framework (stop the whole framework"
                + " once activated, as a bundle that ends the daemon by itself would)")
        String fault() default "none";
    }

    private final String channel;
    private final String fault;
    /** Lets hung closes go when the component goes, so that a test run does not leak them forever. */
    private final CountDownLatch deactivated = new CountDownLatch(1);

    @Activate
    public CounterDriver(Config config, BundleContext context) throws BundleException {
        this.channel = config.channel();
        this.fault = config.fault();
        if ("activate".equals(fault)) {
            throw new IllegalStateException("counter driver configured to fail on activation");
        }
        if ("stop-framework".equals(fault)) {
            System.out.println("counter test driver: stopping the framework");
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop(); // returns at once; the framework stops on a thread of its own
        }
    }

    @Deactivate
    void deactivate() {
        deactivated.countDown();
    }

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public DriverSession open(DeviceLink link, SampleSink sink) throws Exception {
        if ("open".equals(fault)) {
            throw new IllegalStateException("counter driver configured to fail when opening a session");
        }
        link.claim(0);
        sink.declare(new Channel(channel, "1", "count"));
        byte[] report = new byte[8];
        return new DriverSession() {
            @Override
            public void poll() throws Exception {
                int n = link.interrupt(0x81, report, report.length, 500);
                if (n == 8) {
                    sink.accept(channel, sink.now(), ByteBuffer.wrap(report).getLong());
                }
            }

            @Override
            public void close() {
                if ("close-hang".equals(fault)) {
                    try {
                        // Hangs well past the core's stop timeout, but not forever: tests must not leak it.
                        deactivated.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        Thread.sleep(20_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }
}
