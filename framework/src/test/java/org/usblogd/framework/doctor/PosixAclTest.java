package org.usblogd.framework.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The ACL decision on samples of `getfacl --omit-header --absolute-names` output, copied from real files. */
class PosixAclTest {
    /** A file without extended entries: rw-r--r--. */
    private static final String MINIMAL = "user::rw-\ngroup::r--\nother::r--\n\n";
    /** A root:plugdev 0660 node after the seat's uaccess (user:nobody) and the usblogd rule. */
    private static final String SEAT_AND_RULE = """
            user::rw-
            user:nobody:rw-
            group::rw-
            group:usblogd:rw-
            mask::rw-
            other::---

            """;
    /** After chmod g=r on a file with named entries: the mask is r--, getfacl adds what is effective. */
    private static final String MASK_READ_ONLY = """
            user::rw-
            user:nobody:r--
            group::rw-\t#effective:r--
            group:usblogd:r--
            group:nogroup:rw-\t#effective:r--
            mask::r--
            other::r--

            """;
    /** The usblogd rule on a root:root 0664 node: the group bits show the mask. */
    private static final String RULE_ON_ROOT_NODE = """
            user::rw-
            group::r--
            group:usblogd:rw-
            mask::rw-
            other::r--

            """;

    @Test
    void withoutExtendedEntriesTheModeDecidesForOwnerGroupAndOthers() {
        PosixAcl acl = PosixAcl.parse(MINIMAL);

        assertThat(acl.extended()).isFalse();
        assertThat(acl.decide("root", Set.of(), "root", "plugdev").readWrite()).isTrue();
        assertThat(acl.decide("usblogd", Set.of("usblogd", "plugdev"), "root", "plugdev").readWrite()).isFalse();
        assertThat(acl.decide("usblogd", Set.of("usblogd"), "root", "plugdev").readWrite()).isFalse();
        assertThat(acl).isEqualTo(PosixAcl.ofMode(PosixFilePermissions.fromString("rw-r--r--")));
    }

    @Test
    void theRulesGroupEntryLetsTheDaemonUserInThatGroupReadAndWriteANodeWhoseModeSaysNo() {
        PosixAcl acl = PosixAcl.parse(RULE_ON_ROOT_NODE);

        PosixAcl.Decision d = acl.decide("usblogd", Set.of("usblogd"), "root", "root");

        assertThat(d.readWrite()).isTrue();
        assertThat(d.entry()).hasToString("group:usblogd:rw-");
        assertThat(acl.extended()).isTrue();
        assertThat(acl.decide("alice", Set.of("alice", "plugdev"), "root", "root").readWrite()).isFalse();
    }

    @Test
    void aDaemonUserInSeveralGroupsIsAllowedByAnyOfItsGroupEntriesThatAllows() {
        PosixAcl acl = PosixAcl.parse(SEAT_AND_RULE);

        assertThat(acl.decide("usblogd", Set.of("usblogd", "dialout"), "root", "plugdev").entry())
                .hasToString("group:usblogd:rw-");
        assertThat(acl.decide("usblogd", Set.of("dialout", "plugdev"), "root", "plugdev").entry())
                .hasToString("group::rw-");
        assertThat(acl.decide("usblogd", Set.of("dialout"), "root", "plugdev").readWrite()).isFalse();
    }

    @Test
    void aNamedUserEntryDecidesForThatUserAndItsGroupsAreNotAsked() {
        PosixAcl acl = PosixAcl.parse(MASK_READ_ONLY);

        PosixAcl.Decision d = acl.decide("nobody", Set.of("nogroup", "plugdev"), "root", "plugdev");

        assertThat(d.readWrite()).isFalse();
        assertThat(d.entry()).hasToString("user:nobody:r--");
    }

    @Test
    void theMaskLimitsNamedAndOwningGroupEntriesButNotTheOwner() {
        PosixAcl acl = PosixAcl.parse(MASK_READ_ONLY);

        assertThat(acl.decide("usblogd", Set.of("nogroup"), "root", "plugdev").readWrite()).isFalse();
        assertThat(acl.decide("usblogd", Set.of("plugdev"), "root", "plugdev").readWrite()).isFalse();
        assertThat(acl.decide("usblogd", Set.of("usblogd"), "usblogd", "plugdev").readWrite()).isTrue();
    }

    @Test
    void aGroupEntryThatMatchesButDeniesEndsTheSearchEvenWhenOthersMayWrite() {
        // chmod 606: the kernel refuses a member of the owning group what it gives everyone else
        PosixAcl acl = PosixAcl.parse("user::rw-\ngroup::---\nother::rw-\n\n");

        assertThat(acl.decide("usblogd", Set.of("plugdev"), "root", "plugdev").readWrite()).isFalse();
        assertThat(acl.decide("usblogd", Set.of("usblogd"), "root", "plugdev").readWrite()).isTrue();
    }

    @Test
    void aDirectorysDefaultEntriesAreNotItsAccess() {
        PosixAcl acl = PosixAcl.parse("""
                user::rwx
                group::r-x
                other::r-x
                default:user::rwx
                default:group::r-x
                default:group:plugdev:rw-
                default:mask::rwx
                default:other::r-x

                """);

        assertThat(acl.extended()).isFalse();
        assertThat(acl.decide("usblogd", Set.of("plugdev"), "root", "root").readWrite()).isFalse();
    }

    @Test
    void outputThatIsNotAnAclIsRefused() {
        assertThatThrownBy(() -> PosixAcl.parse("getfacl: Removing leading '/' from absolute path names\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ACL entry");
        assertThatThrownBy(() -> PosixAcl.parse("group::r--\nother::r--\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user::");
    }

    @Test
    void aMissingGetfaclIsSaidAndReadsNoAcl() throws Exception {
        Getfacl missing = new Getfacl("getfacl-not-installed-here");

        assertThat(missing.installed()).isFalse();
        assertThat(missing.read(Path.of("/"))).isEmpty();
    }
}
