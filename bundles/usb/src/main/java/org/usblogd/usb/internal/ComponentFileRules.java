package org.usblogd.usb.internal;

import java.util.List;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;
import org.usblogd.api.config.ConfigRules;

/** The rules of a component's one file when its {@link ConfigCheck} is all of them. */
public abstract class ComponentFileRules implements ConfigRules {
    private final String pid;
    private final ConfigCheck<?> check;

    protected ComponentFileRules(String pid, ConfigCheck<?> check) {
        this.pid = pid;
        this.check = check;
    }

    @Override
    public String pid() {
        return pid;
    }

    @Override
    public boolean factory() {
        return false;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        return check.check(properties).problems().stream().map(ConfigProblem::toString).toList();
    }
}
