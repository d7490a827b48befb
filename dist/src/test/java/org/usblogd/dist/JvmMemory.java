package org.usblogd.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running JVM's live heap and metaspace, through the JDK's jcmd. */
final class JvmMemory {
    private static final Pattern HEAP = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private JvmMemory() {
    }

    /** {heap used, metaspace used} in kB after a full collection; null when jcmd is missing or says otherwise. */
    static long[] afterFullGc(long pid) throws InterruptedException {
        try {
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            Matcher heap = HEAP.matcher(info);
            Matcher meta = METASPACE.matcher(info);
            if (!heap.find() || !meta.find()) {
                return null;
            }
            return new long[] { Long.parseLong(heap.group(1)), Long.parseLong(meta.group(1)) };
        } catch (IOException e) {
            return null;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return out;
    }
}
