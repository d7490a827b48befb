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
        List<String> lines = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        try {
            OutputSettings.parse(properties, warnings::add, p -> lines.add(p.toString()));
        } catch (IllegalArgumentException e) {
            lines.add(0, e.getMessage());
        }
        warnings.forEach(w -> lines.add(w.toString()));
        return lines;
    }
}
