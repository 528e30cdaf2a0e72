import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;

/**
 * Writes one Log4j2Plugins.dat listing the plugins of every jar on the classpath (log4j-core's appenders, the JSON
 * template layout and its resolvers, Powertools' resolver). A Lambda artifact is a single jar where only one file of
 * that name can exist; without the merged list, log4j2 would not find the JSON layout. Run by each function's build
 * (exec-maven-plugin, prepare-package) with the function's runtime classpath; the argument is the file to write.
 */
public final class MergeLog4jPlugins {
    public static void main(String[] args) throws Exception {
        PluginCache cache = new PluginCache();
        cache.loadCacheFiles(MergeLog4jPlugins.class.getClassLoader().getResources(PluginProcessor.PLUGIN_CACHE_FILE));
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        try (OutputStream file = Files.newOutputStream(out)) {
            cache.writeCache(file);
        }
        System.out.println("log4j2 plugins merged into " + out + ": " + cache.size() + " categories");
    }
}
