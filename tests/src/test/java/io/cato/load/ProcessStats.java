package io.cato.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process on this machine, read from {@code /proc}. */
final class ProcessStats {
    private ProcessStats() {
    }

    /** User and system CPU time of a process (a pid, or "self") in milliseconds; -1 when unknown. */
    static long cpuMillis(String pid) {
        if (pid == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name, in clock ticks.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A field of {@code /proc/PID/status} in megabytes (VmRSS, VmHWM); -1 when unknown. */
    static long statusMegabytes(String pid, String field) {
        if (pid == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.split("\\s+")[1]) / 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak and current resident set as a JSON object, or null when the process is unknown. */
    static String rssJson(String pid) {
        long peak = statusMegabytes(pid, "VmHWM");
        long now = statusMegabytes(pid, "VmRSS");
        return peak < 0 || now < 0 ? "null" : "{\"peak_rss_mb\":" + peak + ",\"rss_mb\":" + now + "}";
    }
}
