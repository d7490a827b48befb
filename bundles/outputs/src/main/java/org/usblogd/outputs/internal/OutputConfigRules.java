package org.usblogd.outputs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.usblogd.api.config.ConfigCheck;
import org.usblogd.api.config.ConfigProblem;
import org.usblogd.api.config.ConfigRules;

/** The rules of {@code conf/org.usblogd.output-NAME.cfg}, for {@link OutputComponent} and {@code usblogd check}. */
public final class OutputConfigRules implements ConfigRules {
    static final ConfigCheck<OutputConfig> CHECK = ConfigCheck.of(OutputConfig.class);

    @Override
    public String pid() {
        return OutputConfig.PID;
    }

    @Override
    public boolean factory() {
        return true;
    }

    @Override
    public List<String> problems(Map<String, ?> properties) {
        ConfigCheck.Checked<OutputConfig> checked = CHECK.check(properties);
        List<String> lines = new ArrayList<>(checked.errors().stream().map(ConfigProblem::toString).toList());
        OutputSettings.problem(properties).ifPresent(lines::add);
        checked.unknownKeys().forEach(p -> lines.add(p.toString()));
        return lines;
    }
}
