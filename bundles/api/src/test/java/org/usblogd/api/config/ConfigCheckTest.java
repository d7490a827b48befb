package org.usblogd.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    @interface Sample {
        @Range(min = 10, max = 60_000)
        long visibility_ms() default 200;

        boolean dtr() default true;

        int queue_capacity() default 100;

        @OneOf({ "none", "odd", "even" })
        String parity() default "none";

        String dataSourceFactory_target() default "(x=y)";
    }

    private static final ConfigCheck<Sample> CHECK = ConfigCheck.of(Sample.class, "match.*", "channel.*.unit");
    private static final String FILE = "file:/etc/usblogd/org.usblogd.store.cfg";

    private static ConfigCheck.Checked<Sample> check(String key, Object value) {
        return CHECK.check(Map.of(key, value, "felix.fileinstall.filename", FILE, "service.pid", "x"));
    }

    @interface Secrets {
        String token() default "";

        String password() default "";
    }

    @Test
    void aTokenNeverGoesIntoTheLogWhenItChangesOrIsMisspelt() {
        ConfigCheck<Secrets> check = ConfigCheck.of(Secrets.class);
        ConfigCheck.Checked<Secrets> before = check.check(Map.of("token", "s3cret-one"));
        ConfigCheck.Checked<Secrets> after = check.check(Map.of("token", "s3cret-two", "tokn", "s3cret-three"));

        assertThat(after.changedFrom(before)).containsExactly("token changed");
        assertThat(after.unknownKeys()).extracting(ConfigProblem::toString).singleElement().asString()
                .contains("tokn").contains("(not shown)").doesNotContain("s3cret");
    }

    @Test
    void aNumberThatIsNoNumberIsOneLineNamingFileKeyValueAndWhatWasExpected() {
        ConfigCheck.Checked<Sample> c = check("visibility.ms", "abc");

        assertThat(c.valid()).isFalse();
        assertThat(c.problems()).extracting(ConfigProblem::toString).containsExactly(
                "/etc/usblogd/org.usblogd.store.cfg: visibility.ms = abc is not valid: expected a whole number from"
                        + " 10 to 60000");
        assertThat(c.config().visibility_ms()).as("the default stands in").isEqualTo(200);
    }

    @Test
    void aNumberOutsideItsRangeIsRefused() {
        assertThat(check("visibility.ms", "0").valid()).isFalse();
        assertThat(check("visibility.ms", "60001").valid()).isFalse();
        assertThat(check("visibility.ms", " 50 ").config().visibility_ms()).isEqualTo(50);
        assertThat(check("queue.capacity", "99999999999").valid()).as("beyond an int").isFalse();
    }

    @Test
    void booleansAreTrueOrFalseAndNothingElse() {
        assertThat(check("dtr", "FALSE").config().dtr()).isFalse();
        assertThat(check("dtr", "True").config().dtr()).isTrue();
        ConfigCheck.Checked<Sample> yes = check("dtr", "yes");
        assertThat(yes.valid()).isFalse();
        assertThat(yes.errors().get(0).toString()).endsWith("dtr = yes is not valid: expected true or false");
    }

    @Test
    void anUnknownKeyIsReportedWithTheNearestKnownKeyAndTheRestStillApplies() {
        ConfigCheck.Checked<Sample> c = CHECK.check(Map.of("paritty", "even", "dtr", "false"));

        assertThat(c.valid()).isTrue();
        assertThat(c.unknownKeys()).extracting(ConfigProblem::toString).containsExactly(
                "configuration (no file): unknown key paritty = even is ignored (the nearest known key is parity)");
        assertThat(c.config().dtr()).isFalse();
    }

    @Test
    void keysTheComponentReadsItselfAndTheFrameworksOwnAreNotUnknown() {
        ConfigCheck.Checked<Sample> c = CHECK.check(Map.of("match.vid", "0403", "channel.t.unit", "°C",
                "dataSourceFactory.target", "(a=b)", "component.id", 3L, "service.factoryPid", "p"));

        assertThat(c.problems()).isEmpty();
        assertThat(c.config().dataSourceFactory_target()).isEqualTo("(a=b)");
        assertThat(CHECK.check(Map.of("channel.t.unitt", "x")).unknownKeys()).hasSize(1);
    }

    @Test
    void blankAndMissingValuesTakeTheirDefaults() {
        ConfigCheck.Checked<Sample> c = check("visibility.ms", "  ");

        assertThat(c.valid()).isTrue();
        assertThat(c.config().visibility_ms()).isEqualTo(200);
        assertThat(c.config().parity()).isEqualTo("none");
    }

    @Test
    void aWordOutsideItsListIsRefusedAndNamesTheList() {
        assertThat(check("parity", "EVEN").config().parity()).isEqualTo("EVEN");
        assertThat(check("parity", "sometimes").errors()).extracting(ConfigProblem::toString).containsExactly(
                "/etc/usblogd/org.usblogd.store.cfg: parity = sometimes is not valid: expected one of none, odd, even");
    }

    @Test
    void whatChangedBetweenTwoChecksIsNamedKeyByKey() {
        assertThat(check("visibility.ms", "50").changedFrom(check("visibility.ms", "200")))
                .containsExactly("visibility.ms 200 -> 50");
    }

    @Test
    void methodNamesMapToPropertyNamesAsDeclarativeServicesDoes() {
        assertThat(ConfigCheck.key("visibility_ms")).isEqualTo("visibility.ms");
        assertThat(ConfigCheck.key("a__b")).isEqualTo("a_b");
        assertThat(ConfigCheck.key("a$_$b")).isEqualTo("a-b");
        assertThat(ConfigCheck.key("a$$b")).isEqualTo("a$b");
    }

    @Test
    void theEditDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(ConfigCheck.distance("paritty", "parity")).isEqualTo(1);
        assertThat(ConfigCheck.distance("visibilty.ms", "visibility.ms")).isEqualTo(1);
        assertThat(ConfigCheck.distance("", "abc")).isEqualTo(3);
    }
}
