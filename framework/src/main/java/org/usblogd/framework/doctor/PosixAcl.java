package org.usblogd.framework.doctor;

import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file's POSIX access ACL as getfacl prints it, and whether it lets a user read and write the file, decided
 * in the kernel's order: the owner by the owner's entry alone; a named user by that entry, limited by the
 * mask; else the owning group's entry and the named groups' entries the user belongs to, each limited by the
 * mask, where one that allows is enough and any that matches ends the search; else the others' entry. A file
 * without extended entries has the minimal ACL its mode is.
 */
public record PosixAcl(List<Entry> entries) {
    private static final Pattern PERMS = Pattern.compile("[r-][w-][x-]");

    /** One line of getfacl's output: "user::rw-", "group:usblogd:rw-", "mask::rw-", "other::r--". */
    public record Entry(String tag, String qualifier, String perms) {
        boolean readWrite() {
            return perms.charAt(0) == 'r' && perms.charAt(1) == 'w';
        }

        boolean named() {
            return !qualifier.isEmpty();
        }

        @Override
        public String toString() {
            return tag + ":" + qualifier + ":" + perms;
        }
    }

    /** Which entry decided and whether it allows reading and writing. */
    public record Decision(boolean readWrite, Entry entry) {
    }

    public PosixAcl {
        entries = List.copyOf(entries);
        for (String tag : List.of("user", "group", "other")) {
            if (entries.stream().noneMatch(e -> e.tag().equals(tag) && !e.named())) {
                throw new IllegalArgumentException("an ACL without its " + tag + ":: entry");
            }
        }
    }

    /** The entries of getfacl's output without header; default entries and "#effective" comments are left out. */
    public static PosixAcl parse(String getfaclOutput) {
        List<Entry> entries = new ArrayList<>();
        for (String line : getfaclOutput.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("default:")) {
                continue;
            }
            String[] f = line.split("\\s+", 2)[0].split(":", -1);
            if (f.length != 3 || !Set.of("user", "group", "mask", "other").contains(f[0])
                    || !PERMS.matcher(f[2]).matches()) {
                throw new IllegalArgumentException("not an ACL entry: " + line);
            }
            entries.add(new Entry(f[0], f[1], f[2]));
        }
        return new PosixAcl(entries);
    }

    /** The minimal ACL a mode is, for a file whose ACL cannot be read. */
    public static PosixAcl ofMode(Set<PosixFilePermission> mode) {
        return new PosixAcl(List.of(
                new Entry("user", "", perms(mode, PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)),
                new Entry("group", "", perms(mode, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE)),
                new Entry("other", "", perms(mode, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE))));
    }

    private static String perms(Set<PosixFilePermission> mode, PosixFilePermission read, PosixFilePermission write) {
        return (mode.contains(read) ? "r" : "-") + (mode.contains(write) ? "w" : "-") + "-";
    }

    /** Whether the ACL has entries beyond those of the mode (named users and groups, the mask). */
    public boolean extended() {
        return entries.stream().anyMatch(e -> e.named() || e.tag().equals("mask"));
    }

    /** The entries the mode does not show: the owning group's (its group bits show the mask), named ones, the mask. */
    public List<Entry> beyondMode() {
        return entries.stream().filter(e -> e.tag().equals("group") || e.named() || e.tag().equals("mask")).toList();
    }

    /** Whether user, a member of groups, may read and write a file of owner and owningGroup with this ACL. */
    public Decision decide(String user, Set<String> groups, String owner, String owningGroup) {
        if (user.equals(owner)) {
            Entry e = find("user", "");
            return new Decision(e.readWrite(), e);
        }
        boolean maskAllows = entries.stream().filter(e -> e.tag().equals("mask")).allMatch(Entry::readWrite);
        for (Entry e : entries) {
            if (e.tag().equals("user") && e.qualifier().equals(user)) {
                return new Decision(e.readWrite() && maskAllows, e);
            }
        }
        Entry matched = null;
        for (Entry e : entries) {
            boolean member = e.tag().equals("group") && groups.contains(e.named() ? e.qualifier() : owningGroup);
            if (member && e.readWrite() && maskAllows) {
                return new Decision(true, e);
            }
            if (member && matched == null) {
                matched = e;
            }
        }
        if (matched != null) {
            return new Decision(false, matched);
        }
        Entry other = find("other", "");
        return new Decision(other.readWrite(), other);
    }

    private Entry find(String tag, String qualifier) {
        return entries.stream().filter(e -> e.tag().equals(tag) && e.qualifier().equals(qualifier)).findFirst()
                .orElseThrow();
    }
}
