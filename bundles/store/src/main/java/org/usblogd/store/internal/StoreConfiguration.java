package org.usblogd.store.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;
import org.usblogd.api.health.HealthCheck;

/**
 * The store's configuration file, checked before the store applies it: a value the store cannot use is one
 * log line (file, key, value, what it takes), never a store that closes. Which changes apply while the store
 * runs and which need the database opened again.
 */
final class StoreConfiguration {
    private static final Logger log = LoggerFactory.getLogger(H2Store.class);
    private static final ConfigCheck<H2Store.Config> CHECK = ConfigCheck.of(H2Store.Config.class, HealthCheck.PART);
    /**
     * Keys whose change needs the database, the pool or the writer's memory made anew: the store closes and
     * opens again with them. (A change of dataSourceFactory.target that no longer matches the bound driver
     * makes Declarative Services do so itself.)
     */
    static final Set<String> AT_START = Set.of("url", "user", "password", "queue.capacity", "block.samples",
            "block.minutes", "memory.mb", "compact.interval.ms", "dataSourceFactory.target");

    private StoreConfiguration() {
    }

    /** The annotation's checks, and the retention overrides, whose syntax the store parses itself. */
    static ConfigCheck.Checked<H2Store.Config> check(Map<String, ?> properties) {
        ConfigCheck.Checked<H2Store.Config> checked = CHECK.check(properties);
        String overrides = checked.config().retention_raw_overrides();
        try {
            RetentionPolicy.parseOverrides(overrides);
            return checked;
        } catch (IllegalArgumentException e) {
            List<ConfigProblem> errors = new ArrayList<>(checked.errors());
            errors.add(new ConfigProblem(ConfigCheck.file(properties), "retention.raw.overrides", overrides,
                    "DEVICE DAYS or DEVICE/CHANNEL DAYS, separated by commas (" + e.getMessage() + ")", false));
            return new ConfigCheck.Checked<>(checked.config(), checked.values(), errors, checked.unknownKeys());
        }
    }

    /** One line per problem, saying what the store does about it. */
    static void report(ConfigCheck.Checked<H2Store.Config> checked, String whatIsDone) {
        checked.errors().forEach(p -> log.error("{}; {}", p, whatIsDone));
        checked.unknownKeys().forEach(p -> log.warn("{}", p));
    }

    /** Of the changed keys ("key old -> new"), those that need the store opened again. */
    static List<String> atStart(List<String> changes) {
        return changes.stream().map(c -> c.substring(0, c.indexOf(' '))).filter(AT_START::contains).toList();
    }
}
