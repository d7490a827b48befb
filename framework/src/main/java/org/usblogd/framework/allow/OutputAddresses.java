package org.usblogd.framework.allow;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.usblogd.framework.check.ConfFile;

/**
 * The addresses the daemon must reach for its outputs, as IPAddressAllow= entries: every address each output
 * file's hosts resolve to, and the name servers when a host is a name. IPAddressAllow= takes no names, and the
 * daemon cannot look them up for itself from behind its filter, so they are resolved here, as root.
 */
public final class OutputAddresses {
    /** FileInstall's factory PID of the output files, {@code org.usblogd.output-NAME.cfg}. */
    static final String PID = "org.usblogd.output";
    /** IPAddressAllow='s word for 127.0.0.0/8 and ::1, which the unit always allows. */
    public static final String LOCALHOST = "localhost";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String RETRIED = "the service tries again when a file there changes and every hour";

    /** A host's addresses, as InetAddress.getAllByName gives them. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * @param allow IPAddressAllow= entries, {@code localhost} first, each once
     * @param said a line per output (and one for the name servers) saying which addresses were allowed for what
     * @param problems a line per output file, url or host left out: what, which file, what to do
     */
    public record Result(List<String> allow, List<String> said, List<String> problems) {
    }

    private final Resolver resolver;
    private final Path resolvConf;

    public OutputAddresses(Resolver resolver, Path resolvConf) {
        this.resolver = resolver;
        this.resolvConf = resolvConf;
    }

    public Result compute(Path confDir) throws IOException {
        Set<String> allow = new LinkedHashSet<>(List.of(LOCALHOST));
        List<String> said = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean names = false;
        for (ConfFile f : ConfFile.list(confDir)) {
            if (!f.factory() || !f.pid().equals(PID)) {
                continue;
            }
            String file = f.path().getFileName().toString();
            String label = "output " + file.substring(PID.length() + 1, file.length() - ".cfg".length()) + " ("
                    + f.path() + ")";
            if (f.unreadable() != null) {
                problems.add(label + ": cannot be read (" + f.unreadable() + "): nothing allowed for it; correct the"
                        + " file");
                continue;
            }
            Object url = f.properties().get("url");
            if (url == null || url.toString().isBlank()) {
                problems.add(label + ": url is not set: nothing allowed for it; set url in that file");
                continue;
            }
            List<String> hosts;
            try {
                hosts = OutputHosts.of(url.toString());
            } catch (IllegalArgumentException e) {
                problems.add(label + ": " + e.getMessage() + ": nothing allowed for it; correct url in that file");
                continue;
            }
            List<String> allowedHosts = new ArrayList<>();
            for (String host : hosts) {
                boolean literal = IPV4.matcher(host).matches() || host.contains(":");
                names |= !literal && !host.equalsIgnoreCase(LOCALHOST);
                try {
                    Set<String> addresses = addresses(host, literal);
                    allow.addAll(addresses);
                    allowedHosts.add(host + " -> " + String.join(" ", addresses));
                } catch (UnknownHostException e) {
                    problems.add(label + ": host " + host + (literal ? " is not an IP address" : " does not resolve")
                            + " (" + e.getMessage() + "): not allowed; correct url in that file"
                            + (literal ? "" : " or make the name resolve here (" + RETRIED + ")"));
                }
            }
            if (!allowedHosts.isEmpty()) {
                said.add(label + ": " + String.join("; ", allowedHosts));
            }
        }
        if (names) {
            Set<String> servers = new LinkedHashSet<>();
            for (String server : NameServers.read(resolvConf)) {
                try {
                    servers.add(entry(InetAddress.getByName(literalOnly(server))));
                } catch (UnknownHostException e) {
                    problems.add(resolvConf + ": nameserver " + server + " is not an IP address: not allowed; correct"
                            + " it there");
                }
            }
            if (!servers.isEmpty()) {
                allow.addAll(servers);
                said.add("name servers (" + resolvConf + "): " + String.join(" ", servers));
            }
        }
        return new Result(List.copyOf(allow), List.copyOf(said), List.copyOf(problems));
    }

    private Set<String> addresses(String host, boolean literal) throws UnknownHostException {
        InetAddress[] found = literal ? new InetAddress[] { InetAddress.getByName(literalOnly(host)) }
                : resolver.resolve(host);
        Set<String> entries = new LinkedHashSet<>();
        for (InetAddress a : found) {
            entries.add(entry(a));
        }
        if (entries.isEmpty()) {
            throw new UnknownHostException("no address");
        }
        return entries;
    }

    /**
     * The text itself when it is an IP literal; an IPv4-looking one with a part over 255 refused here, as
     * InetAddress would look it up as a name.
     */
    private static String literalOnly(String text) throws UnknownHostException {
        if (IPV4.matcher(text).matches()) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new UnknownHostException(text + ": a part is over 255");
                }
            }
            return text;
        }
        if (!text.contains(":")) {
            throw new UnknownHostException(text + ": no IP address");
        }
        // with a colon InetAddress parses an IPv6 literal or refuses it, never looks it up
        return text;
    }

    /** The IPAddressAllow= entry for an address: loopback is {@code localhost}; IPv6 short and without its zone. */
    static String entry(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return LOCALHOST;
        }
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
