package io.cato.routing.training;

import java.util.HashMap;
import java.util.Map;

/** Minimal {@code --name value} flag parsing for the command-line tools. */
final class CommandLine {

    private CommandLine() {
    }

    static Map<String, String> flags(String[] args, int from) {
        Map<String, String> flags = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value, got " + args[i]);
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        return flags;
    }
}
