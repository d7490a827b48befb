package org.usblogd.framework.allow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an apply keeps of the unit's own list: its file and the administrator's drop-ins, not its last apply. */
class UnitAllowListTest {
    @TempDir
    Path root;

    @Test
    void theUnitFileAndTheAdministratorsDropInsAreKeptAndTheLastApplyIsNot() throws Exception {
        Path unit = Files.writeString(root.resolve("usblogd.service"), """
                [Unit]
                Description=usblogd
                # IPAddressAllow=203.0.113.9 in a comment
                [Service]
                IPAddressDeny=any
                IPAddressAllow=localhost
                """);
        Path override = Files.writeString(root.resolve("override.conf"), """
                [Service]
                IPAddressAllow = 192.168.1.0/24 \\
                  10.0.0.0/8
                """);
        Path reset = Files.writeString(root.resolve("reset.conf"),
                "[Service]\nIPAddressAllow=\nIPAddressAllow=localhost link-local\n");
        String show = "FragmentPath=" + unit + "\nDropInPaths="
                + UnitAllowList.RUNTIME_CONTROL.resolve("usblogd.service.d/50-IPAddressAllow.conf") + " " + override
                + "\n";

        assertThat(UnitAllowList.files(show)).containsExactly(unit,
                UnitAllowList.RUNTIME_CONTROL.resolve("usblogd.service.d/50-IPAddressAllow.conf"), override);
        // the runtime drop-in is skipped without being read: it need not exist here
        assertThat(UnitAllowList.read(UnitAllowList.files(show))).containsExactly("localhost", "192.168.1.0/24",
                "10.0.0.0/8");
        assertThat(UnitAllowList.read(List.of(unit, override, reset))).containsExactly("localhost", "link-local");
    }

    @Test
    void aUnitWithoutFilesKeepsNothing() throws Exception {
        assertThat(UnitAllowList.read(UnitAllowList.files("FragmentPath=\nDropInPaths=\n"))).isEmpty();
    }
}
