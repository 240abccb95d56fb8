package journeykg;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Throwaway Neo4j for tests: embedded DBMS with Bolt on loopback only and auth off.
 * Usage: Neo4jLauncher HOME_DIR PORT [PLUGIN_DIR]. Runs until SIGTERM.
 *
 * <p>PLUGIN_DIR is Neo4j's plugins directory (server.directories.plugins): the jars there
 * are loaded as a standalone server loads them, so tests run journeykg's procedures
 * (tools/neo4j/plugin) the way a production server would.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: Neo4jLauncher HOME_DIR PORT [PLUGIN_DIR]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path plugins = args.length == 3 ? Path.of(args[2]).toAbsolutePath() : null;
        long t0 = System.nanoTime();

        DatabaseManagementService dbms;
        try {
            dbms = start(home, port, plugins);
        } catch (RuntimeException e) {
            // Exit explicitly: threads Neo4j already started could otherwise keep the JVM alive.
            e.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(TimeUnit.MINUTES.toMillis(3))) {
            System.err.println("neo4j: default database did not become available");
            System.exit(1);
        }
        System.out.printf("neo4j ready bolt://127.0.0.1:%d in %.2f s%n", port, (System.nanoTime() - t0) / 1e9);
        System.out.flush();

        stopped.await();
    }

    /** Page cache size from JOURNEYKG_NEO4J_PAGECACHE_MB (set by neo4j-server), 256 MiB if unset. */
    private static long pageCacheBytes() {
        String mb = System.getenv("JOURNEYKG_NEO4J_PAGECACHE_MB");
        return (mb == null || mb.isBlank() ? 256L : Long.parseLong(mb.trim())) * 1024 * 1024;
    }

    private static DatabaseManagementService start(Path home, int port, Path plugins) {
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (plugins != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins);
        }
        return builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes())
                // Data is discarded after each run; skip preallocating 250 MB transaction logs.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty's default 5 s quiet period, paid once per Bolt connector, made stop take ~10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
    }
}
