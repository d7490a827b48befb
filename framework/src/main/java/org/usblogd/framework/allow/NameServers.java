package org.usblogd.framework.allow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code nameserver} lines of resolv.conf: the daemon looks an output's host up itself each time it
 * connects, so these must be reachable from inside its address filter too.
 */
public final class NameServers {
    private NameServers() {
    }

    /** Each name server's address as written, without an IPv6 zone ({@code %eth0}), which IPAddressAllow= refuses. */
    public static List<String> read(Path resolvConf) throws IOException {
        List<String> servers = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        for (String line : lines) {
            String l = line.strip();
            int comment = indexOfComment(l);
            if (comment >= 0) {
                l = l.substring(0, comment).strip();
            }
            String[] words = l.split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                String address = words[1];
                int zone = address.indexOf('%');
                servers.add(zone < 0 ? address : address.substring(0, zone));
            }
        }
        return List.copyOf(servers);
    }

    private static int indexOfComment(String line) {
        int hash = line.indexOf('#');
        int semicolon = line.indexOf(';');
        return hash < 0 ? semicolon : semicolon < 0 ? hash : Math.min(hash, semicolon);
    }
}
