package archive.solrcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * One SolrCloud node in its own JVM: Solr's {@link JettySolrRunner} (the same embedded Jetty that
 * Solr's MiniSolrCloudCluster uses) bound to 127.0.0.1:PORT with context /solr, Solr home HOME
 * (solr.xml written there by {@link SolrCluster}) and ZooKeeper at ZK.
 *
 * <p>Started by {@link SolrCluster}, never by hand:
 * {@code SolrNode --port P --zk 127.0.0.1:Z --home DIR --parent-pid PID}. SIGTERM stops it cleanly
 * (cores closed, live node removed from ZooKeeper); SIGKILL is the crash test. If the supervisor
 * (PID) disappears, the node halts within a second or two, so no orphan outlives its cluster.
 */
public final class SolrNode {

  private SolrNode() {}

  public static void main(String[] args) throws Exception {
    int port = -1;
    String zk = null;
    Path home = null;
    long parentPid = -1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--zk" -> zk = args[i + 1];
        case "--home" -> home = Path.of(args[i + 1]).toAbsolutePath();
        case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (port <= 0 || zk == null || home == null) {
      System.err.println("usage: SolrNode --port P --zk HOST:PORT --home DIR [--parent-pid PID]");
      System.exit(2);
    }
    Files.createDirectories(home);

    Properties nodeProps = new Properties();
    nodeProps.setProperty("zkHost", zk);
    JettyConfig config =
        JettyConfig.builder().setContext("/solr").setPort(port).stopAtShutdown(false).build();
    JettySolrRunner jetty = new JettySolrRunner(home.toString(), nodeProps, config);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    System.out.println("SolrNode: stopping port " + jetty.getLocalPort());
                    jetty.stop();
                  } catch (Throwable t) {
                    t.printStackTrace();
                  }
                },
                "solr-node-shutdown"));

    jetty.start();
    if (!jetty.isRunning() || jetty.getCoreContainer() == null) {
      System.err.println("SolrNode: Solr did not start on port " + port + " (see log above)");
      Runtime.getRuntime().halt(1);
    }
    System.out.println("SolrNode: up at " + jetty.getBaseUrl() + " zk=" + zk + " home=" + home);

    // Watchdog: the supervisor hosts ZooKeeper; without it this node is useless, so don't linger.
    var parent = parentPid > 0 ? ProcessHandle.of(parentPid) : java.util.Optional.<ProcessHandle>empty();
    while (true) {
      Thread.sleep(1000);
      if (parentPid > 0 && (parent.isEmpty() || !parent.get().isAlive())) {
        System.err.println("SolrNode: supervisor " + parentPid + " is gone, halting");
        Runtime.getRuntime().halt(3);
      }
    }
  }
}
