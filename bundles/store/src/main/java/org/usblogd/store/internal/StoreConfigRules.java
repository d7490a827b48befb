package org.usblogd.store.internal;

import java.util.List;
import java.util.Map;

import org.usblogd.api.config.ConfigProblem;
import org.usblogd.api.config.ConfigRules;

/** The rules of {@code conf/org.usblogd.store.cfg}: those the store applies ({@link StoreConfiguration#check}). */
public final class StoreConfigRules implements ConfigRules {
    @Override
    public String pid() {
        return H2Store.PID;
    }

    @Override
    public boolean factory() {
        return false;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        return StoreConfiguration.check(properties).problems().stream().map(ConfigProblem::toString).toList();
    }
}
