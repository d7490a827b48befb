package org.usblogd.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;
import org.usblogd.api.config.ConfigRules;

/** The rules of {@code conf/org.usblogd.http.cfg}, for {@link HttpServer} and {@code usblogd check}. */
public final class HttpConfigRules implements ConfigRules {
    /** The checks the server, the access filter and {@code usblogd check} apply. */
    static final ConfigCheck<HttpConfig> CHECK = ConfigCheck.of(HttpConfig.class);

    @Override
    public String pid() {
        return HttpConfig.PID;
    }

    @Override
    public boolean factory() {
        return false;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        ConfigCheck.Checked<HttpConfig> checked = CHECK.check(properties);
        List<String> lines = new ArrayList<>(checked.problems().stream().map(ConfigProblem::toString).toList());
        if (checked.valid()) {
            ListenPlan.of(checked.config(), properties).problem().ifPresent(lines::add);
        }
        return lines;
    }
}
