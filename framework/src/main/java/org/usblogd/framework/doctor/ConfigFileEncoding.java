package org.usblogd.framework.doctor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds .cfg files that are not UTF-8. The daemon reads them as UTF-8 (as doctor and udev-rules do), so a
 * file saved in another encoding (ISO-8859-1 by an old editor) would give its units and names a
 * replacement character without a word; this says which file and line instead.
 */
public final class ConfigFileEncoding {
    private ConfigFileEncoding() {
    }

    /** One line per .cfg file in {@code confDir} that is not well-formed UTF-8; none for a missing directory. */
    public static List<String> problems(Path confDir) throws IOException {
        if (!Files.isDirectory(confDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(confDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".cfg")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                continue; // unreadable files are reported where they are read
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CoderResult r = decoder.decode(in, CharBuffer.allocate(bytes.length), true);
            if (r.isError()) {
                int at = in.position();
                int line = 1;
                for (int i = 0; i < at; i++) {
                    if (bytes[i] == '\n') {
                        line++;
                    }
                }
                problems.add(f + ": line " + line + " is not UTF-8 (byte 0x" + String.format("%02x", bytes[at] & 0xff)
                        + "), and usblogd reads .cfg files as UTF-8: save the file as UTF-8"
                        + " (iconv -f ISO-8859-1 -t UTF-8)");
            }
        }
        return problems;
    }
}
