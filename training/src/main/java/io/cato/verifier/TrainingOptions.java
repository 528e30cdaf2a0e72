package io.cato.verifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool's command line: positional arguments and {@code --name value} options (a flag given last, or followed
 * by another option, is {@code true}). Every option a tool reads is named in its usage; an unknown one is an error.
 */
public record TrainingOptions(List<String> positional, Map<String, String> named) {

    public static TrainingOptions parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
                named.put(args[i].substring(2), flag ? "true" : args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        return new TrainingOptions(List.copyOf(positional), Map.copyOf(named));
    }

    /** Fails on an option none of {@code known} names, so that a misspelt option is not silently ignored. */
    public TrainingOptions allowing(String... known) {
        List<String> allowed = List.of(known);
        named.keySet().stream().filter(name -> !allowed.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known)
                    + ")");
        });
        return this;
    }

    public Optional<String> positional(int index) {
        return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(named.get(name));
    }

    public int integer(String name, int fallback) {
        return text(name).map(Integer::parseInt).orElse(fallback);
    }

    public double decimal(String name, double fallback) {
        return text(name).map(Double::parseDouble).orElse(fallback);
    }

    public boolean flag(String name) {
        return text(name).map(Boolean::parseBoolean).orElse(false);
    }
}
