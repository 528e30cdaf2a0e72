package io.cato.e2e;

import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.local.LocalCato;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Starts the embedded default on a free port with the given environment, as `./cato serve` does. */
final class RunningCato {
    static final String ADMIN_TOKEN = "e2e-admin-token";

    private RunningCato() {
    }

    static LocalCato start(Path dataDir, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CATO_PORT", "0");
        all.put("CATO_DATA_DIR", dataDir.toString());
        all.putIfAbsent("CATO_ADMIN_TOKEN", ADMIN_TOKEN);
        Settings settings = new SettingsLoader(all).load(Optional.empty());
        return LocalCato.start(settings, "127.0.0.1");
    }
}
