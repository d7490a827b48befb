package org.usblogd.framework.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The account the daemon runs as and whether it may open a device node. Worked out from the node's owner,
 * group and ACL rather than by trying, because the doctor usually runs as root, who may open anything.
 */
public record DaemonUser(String name, Set<String> groups) {

    /** The user and its groups as the system's name service (`id`) knows them; empty when there is none. */
    public static java.util.Optional<DaemonUser> lookup(String name) {
        try {
            Process p = new ProcessBuilder("id", "-Gn", name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new DaemonUser(name, Set.copyOf(List.of(out.split("\\s+")))));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * Why this user can or cannot open the node for reading and writing, as "ok" or a problem. Judged from
     * the node's owner, group and ACL (the mode alone when getfacl is missing): the udev rules grant the
     * daemon's group by an ACL entry.
     */
    public Verdict access(Path node, Getfacl getfacl) throws IOException {
        if (!Files.exists(node, LinkOption.NOFOLLOW_LINKS)) {
            return new Verdict(false, node + " does not exist (is /dev mounted, or did the device just leave?)");
        }
        PosixFileAttributes a = Files.readAttributes(node, PosixFileAttributes.class);
        String owner = a.owner().getName();
        String group = a.group().getName();
        String shown = PosixFilePermissions.toString(a.permissions()) + " " + owner + ":" + group;
        PosixAcl acl;
        try {
            acl = getfacl.read(node).orElse(PosixAcl.ofMode(a.permissions()));
        } catch (IOException e) {
            return new Verdict(false, "its ACL cannot be read (" + e.getMessage() + ")");
        }
        if (acl.extended()) {
            shown += ", ACL " + String.join(" ", acl.beyondMode().stream().map(PosixAcl.Entry::toString).toList());
        }
        if ("root".equals(name)) {
            return new Verdict(true, name + " can open it (" + shown + ")");
        }
        PosixAcl.Decision d = acl.decide(name, groups, owner, group);
        if (!d.readWrite()) {
            return new Verdict(false, name + " cannot open it for reading and writing (" + shown + ")");
        }
        return new Verdict(true, name + " can open it" + (d.entry().named() ? " through the ACL entry " + d.entry()
                : "") + " (" + shown + ")");
    }

    public record Verdict(boolean ok, String detail) {
    }
}
