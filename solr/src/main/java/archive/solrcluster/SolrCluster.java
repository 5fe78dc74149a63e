package archive.solrcluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.noggit.JSONUtil;
import org.noggit.ObjectBuilder;

/**
 * Supervisor of a test SolrCloud cluster on loopback: an embedded ZooKeeper (in this JVM) plus N
 * Solr nodes, each a separate JVM ({@link SolrNode}) so that a test can kill -9 one and start it
 * again.
 *
 * <p>{@code SolrCluster --dir DIR}. Settings come from the environment (all optional):
 * SOLR_CLUSTER_NODES (3), SOLR_CLUSTER_ZK_PORT, SOLR_CLUSTER_PORTS (comma list, one per node),
 * SOLR_CLUSTER_CONTROL_PORT, SOLR_CLUSTER_TIMEOUT (seconds, 180), SOLR_NODE_HEAP (512m),
 * SOLR_NODE_JAVA_OPTS, SOLR_ZK_CLIENT_TIMEOUT (ms, 15000), SOLR_LOG_LEVEL (WARN).
 *
 * <p>Once CLUSTERSTATUS on every node lists all N live nodes it writes DIR/status.json; it keeps
 * that file current while nodes are killed or started, and deletes it on shutdown (SIGTERM or POST
 * /shutdown). A control channel on 127.0.0.1 (URL in DIR/control.url and in status.json):
 * GET /status, GET /urls, GET /nodes/I/pid, POST /nodes/I/kill|stop|start, POST /shutdown.
 */
public final class SolrCluster {

  static final String SOLR_VERSION = "9.10.1";

  final Path dir;
  final int numNodes;
  final int timeoutSec;
  final String heap;
  final String extraJavaOpts;
  final String zkClientTimeout;
  final String logLevel;
  final Path classesDir; // where log4j2.xml and the configsets are found
  final Path repoSolrDir; // solr/ folder (for configsets/minimal)

  final ReentrantLock lock = new ReentrantLock();
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();

  ServerCnxnFactory zkFactory;
  ZooKeeperServer zkServer;
  int zkPort;
  HttpServer control;
  String controlUrl;
  final List<Node> nodes = new ArrayList<>();
  volatile boolean up = false;
  boolean argFileWritten = false;
  volatile boolean shuttingDown = false;
  Instant startedAt;
  double startupSeconds;

  static final class Node {
    final int index;
    final int port;
    final Path home;
    final Path log;
    volatile Process process;
    volatile Integer lastExitCode;

    Node(int index, int port, Path home, Path log) {
      this.index = index;
      this.port = port;
      this.home = home;
      this.log = log;
    }

    String baseUrl() {
      return "http://127.0.0.1:" + port + "/solr";
    }

    String nodeName() {
      return "127.0.0.1:" + port + "_solr";
    }

    boolean running() {
      Process p = process;
      return p != null && p.isAlive();
    }
  }

  SolrCluster(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.numNodes = Integer.parseInt(env("SOLR_CLUSTER_NODES", "3"));
    this.timeoutSec = Integer.parseInt(env("SOLR_CLUSTER_TIMEOUT", "180"));
    this.heap = env("SOLR_NODE_HEAP", "512m");
    this.extraJavaOpts = env("SOLR_NODE_JAVA_OPTS", "");
    this.zkClientTimeout = env("SOLR_ZK_CLIENT_TIMEOUT", "15000");
    this.logLevel = env("SOLR_LOG_LEVEL", "WARN");
    try {
      this.classesDir =
          Path.of(SolrCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // classesDir = solr/target/classes
    this.repoSolrDir = classesDir.getParent().getParent();
    if (numNodes < 1) throw new IllegalArgumentException("SOLR_CLUSTER_NODES must be >= 1");
  }

  static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  static void log(String msg) {
    System.out.println(Instant.now() + " SolrCluster: " + msg);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--dir") && i + 1 < args.length) dir = Path.of(args[++i]);
      else {
        System.err.println("usage: SolrCluster --dir DIR   (settings: see class comment / README)");
        System.exit(2);
      }
    }
    if (dir == null) {
      System.err.println("usage: SolrCluster --dir DIR");
      System.exit(2);
    }
    SolrCluster c = new SolrCluster(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(c::shutdown, "cluster-shutdown"));
    try {
      c.start();
    } catch (Throwable t) {
      log("START FAILED: " + t);
      t.printStackTrace(System.out);
      System.exit(1); // the shutdown hook cleans up whatever was started
    }
    Thread.currentThread().join(); // serve until SIGTERM or POST /shutdown
  }

  // ---------------------------------------------------------------------------------- start-up

  void start() throws Exception {
    long t0 = System.nanoTime();
    startedAt = Instant.now();
    Files.createDirectories(dir.resolve("logs"));
    Files.deleteIfExists(dir.resolve("status.json"));
    Files.writeString(
        dir.resolve("supervisor.pid"), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);

    int[] ports = choosePorts();
    zkPort = ports[0];
    startZooKeeper();
    log("ZooKeeper up at 127.0.0.1:" + zkPort + " (data " + dir.resolve("zookeeper") + ")");

    for (int i = 1; i <= numNodes; i++) {
      Path home = dir.resolve("node" + i);
      nodes.add(new Node(i, ports[i], home, dir.resolve("logs").resolve("node" + i + ".log")));
    }
    startControl(ports[numNodes + 1]);

    for (Node n : nodes) spawn(n);
    waitLive(nodes, Duration.ofSeconds(timeoutSec));
    startupSeconds = (System.nanoTime() - t0) / 1e9;
    up = true;
    writeStatus();
    log(String.format("cluster up in %.1f s: %d nodes live", startupSeconds, numNodes));
  }

  /** Ports: [zk, node1..nodeN, control]. Fixed by env, else reused from DIR/ports.properties. */
  int[] choosePorts() throws IOException {
    int[] ports = new int[numNodes + 2];
    Set<Integer> taken = new HashSet<>();
    Properties previous = new Properties();
    Path pf = dir.resolve("ports.properties");
    if (Files.exists(pf)) {
      try (var r = Files.newBufferedReader(pf)) {
        previous.load(r);
      }
    }
    String[] fixedNodePorts =
        env("SOLR_CLUSTER_PORTS", "").isEmpty() ? new String[0] : env("SOLR_CLUSTER_PORTS", "").split(",");
    if (fixedNodePorts.length != 0 && fixedNodePorts.length != numNodes) {
      throw new IllegalArgumentException(
          "SOLR_CLUSTER_PORTS has " + fixedNodePorts.length + " ports for " + numNodes + " nodes");
    }
    for (int i = 0; i < ports.length; i++) {
      String key = i == 0 ? "zk" : i == numNodes + 1 ? "control" : "node" + i;
      String fixed =
          i == 0
              ? env("SOLR_CLUSTER_ZK_PORT", "")
              : i == numNodes + 1
                  ? env("SOLR_CLUSTER_CONTROL_PORT", "")
                  : fixedNodePorts.length > 0 ? fixedNodePorts[i - 1].trim() : "";
      int p;
      if (!fixed.isEmpty()) {
        p = Integer.parseInt(fixed);
        if (!isFree(p)) throw new IOException("port " + p + " (" + key + ") is in use");
      } else {
        String prev = previous.getProperty(key);
        if (prev != null && isFree(Integer.parseInt(prev)) && !taken.contains(Integer.parseInt(prev))) {
          p = Integer.parseInt(prev); // same node names as last time, so old cores come back
        } else {
          p = randomFreePort(taken);
        }
      }
      if (!taken.add(p)) throw new IOException("port " + p + " given twice");
      ports[i] = p;
    }
    Properties out = new Properties();
    for (int i = 0; i < ports.length; i++) {
      out.setProperty(
          i == 0 ? "zk" : i == numNodes + 1 ? "control" : "node" + i, Integer.toString(ports[i]));
    }
    try (var w = Files.newBufferedWriter(pf)) {
      out.store(w, "ports of the test SolrCloud cluster in this folder (reused on the next start)");
    }
    return ports;
  }

  /** A free port below the kernel's ephemeral range, so outgoing connections never take it. */
  static int randomFreePort(Set<Integer> taken) throws IOException {
    Random rnd = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = 20000 + rnd.nextInt(12000);
      if (!taken.contains(p) && isFree(p)) return p;
    }
    throw new IOException("no free port found in 20000-31999");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void startZooKeeper() throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.snapshot.trust.empty", "true");
    System.setProperty("4lw.commands.whitelist", "mntr,conf,ruok,stat,srvr");
    File data = dir.resolve("zookeeper").toFile();
    Files.createDirectories(data.toPath());
    zkServer = new ZooKeeperServer(data, data, 2000); // tickTime 2 s: sessions 4 s .. 40 s
    zkFactory =
        ServerCnxnFactory.createFactory(new InetSocketAddress(InetAddress.getLoopbackAddress(), zkPort), 200);
    zkFactory.startup(zkServer);
  }

  // ---------------------------------------------------------------------------------- nodes

  void writeSolrXml(Node n) throws IOException {
    Files.createDirectories(n.home);
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8" ?>
        <!-- written by SolrCluster at every node start; edit SolrCluster.java instead -->
        <solr>
          <int name="maxBooleanClauses">${solr.max.booleanClauses:1024}</int>
          <shardHandlerFactory name="shardHandlerFactory" class="HttpShardHandlerFactory">
            <int name="socketTimeout">${socketTimeout:60000}</int>
            <int name="connTimeout">${connTimeout:5000}</int>
          </shardHandlerFactory>
          <solrcloud>
            <str name="host">127.0.0.1</str>
            <int name="hostPort">${hostPort:8983}</int>
            <str name="hostContext">${hostContext:solr}</str>
            <bool name="genericCoreNodeNames">true</bool>
            <int name="zkClientTimeout">${zkClientTimeout:15000}</int>
            <int name="leaderVoteWait">${leaderVoteWait:10000}</int>
            <int name="distribUpdateConnTimeout">${distribUpdateConnTimeout:5000}</int>
            <int name="distribUpdateSoTimeout">${distribUpdateSoTimeout:60000}</int>
          </solrcloud>
        </solr>
        """;
    Files.writeString(n.home.resolve("solr.xml"), xml, StandardCharsets.UTF_8);
  }

  void spawn(Node n) throws IOException {
    writeSolrXml(n);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path argFile = dir.resolve("classpath.args");
    if (!argFileWritten) {
      // keeps `ps` readable: the ~140-jar class path (made absolute) goes in a java @argfile
      List<String> entries = new ArrayList<>();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().normalize().toString());
      }
      String cp = String.join(File.pathSeparator, entries);
      Files.writeString(argFile, "-cp \"" + cp + "\"\n", StandardCharsets.UTF_8);
      argFileWritten = true;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("-Xms64m");
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("-Djava.io.tmpdir=" + n.home);
    cmd.add("-Dlog4j2.configurationFile=" + classesDir.resolve("log4j2.xml"));
    cmd.add("-Dsolr.log.level=" + logLevel);
    cmd.add("-Dsolr.log.dir=" + dir.resolve("logs"));
    cmd.add("-DzkClientTimeout=" + zkClientTimeout);
    // _default configset bootstrapped into ZooKeeper by the first node (a small one of ours)
    cmd.add("-Dsolr.default.confdir=" + repoSolrDir.resolve("configsets/minimal/conf"));
    for (String opt : extraJavaOpts.split("\\s+")) if (!opt.isBlank()) cmd.add(opt);
    cmd.add("@" + argFile);
    cmd.add(SolrNode.class.getName());
    cmd.addAll(
        List.of(
            "--port", Integer.toString(n.port),
            "--zk", "127.0.0.1:" + zkPort,
            "--home", n.home.toString(),
            "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(n.home.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(n.log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Files.writeString(
        n.log,
        "\n==== " + Instant.now() + " starting node " + n.index + " on port " + n.port + " ====\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process p = pb.start();
    n.process = p;
    n.lastExitCode = null;
    log("node " + n.index + " started: pid " + p.pid() + " port " + n.port);
    p.onExit()
        .thenAccept(
            dead -> {
              if (n.process != dead) return;
              n.lastExitCode = dead.exitValue();
              log("node " + n.index + " (pid " + dead.pid() + ") exited with " + dead.exitValue());
              if (up && !shuttingDown) {
                try {
                  writeStatus();
                } catch (Exception e) {
                  log("could not rewrite status: " + e);
                }
              }
            });
  }

  /** Waits until CLUSTERSTATUS on each given node lists every running node of the cluster. */
  void waitLive(List<Node> which, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "";
    while (true) {
      for (Node n : which) {
        if (!n.running()) {
          throw new IllegalStateException(
              "node " + n.index + " exited with " + n.lastExitCode + " during start; see " + n.log);
        }
      }
      Set<String> expected = new HashSet<>();
      for (Node n : nodes) if (n.running()) expected.add(n.nodeName());
      boolean ok = true;
      for (Node n : which) {
        try {
          Set<String> live = liveNodes(n);
          if (!live.containsAll(expected)) {
            ok = false;
            lastProblem = "node " + n.index + " sees live nodes " + live;
          }
        } catch (Exception e) {
          ok = false;
          lastProblem = "node " + n.index + ": " + e;
        }
      }
      if (ok) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "nodes not live within " + timeout.toSeconds() + " s: " + lastProblem);
      }
      Thread.sleep(500);
    }
  }

  Set<String> liveNodes(Node n) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(n.baseUrl() + "/admin/collections?action=CLUSTERSTATUS&wt=json"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) throw new IOException("HTTP " + resp.statusCode());
    Map<?, ?> body = (Map<?, ?>) ObjectBuilder.fromJSON(resp.body());
    Map<?, ?> cluster = (Map<?, ?>) body.get("cluster");
    Set<String> out = new HashSet<>();
    if (cluster != null && cluster.get("live_nodes") instanceof List<?> live) {
      for (Object x : live) out.add(String.valueOf(x));
    }
    return out;
  }

  void stopNode(Node n, boolean force) throws InterruptedException {
    Process p = n.process;
    if (p == null || !p.isAlive()) return;
    if (force) {
      p.destroyForcibly(); // SIGKILL
    } else {
      p.destroy(); // SIGTERM: graceful Solr shutdown
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    p.waitFor(30, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------- status

  Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("state", shuttingDown ? "stopping" : up ? "up" : "starting");
    s.put("solr_version", SOLR_VERSION);
    s.put("dir", dir.toString());
    s.put("zk_host", "127.0.0.1:" + zkPort);
    s.put("zk_port", zkPort);
    s.put("control_url", controlUrl);
    s.put("supervisor_pid", ProcessHandle.current().pid());
    s.put("started_at", startedAt.toString());
    s.put("startup_seconds", Math.round(startupSeconds * 10) / 10.0);
    s.put("node_heap", heap);
    List<Map<String, Object>> ns = new ArrayList<>();
    for (Node n : nodes) {
      Map<String, Object> m = new LinkedHashMap<>();
      Process p = n.process;
      boolean running = n.running();
      m.put("index", n.index);
      m.put("port", n.port);
      m.put("base_url", n.baseUrl());
      m.put("node_name", n.nodeName());
      m.put("pid", running ? p.pid() : null);
      m.put("running", running);
      m.put("home", n.home.toString());
      m.put("log", n.log.toString());
      ns.add(m);
    }
    s.put("nodes", ns);
    return s;
  }

  synchronized void writeStatus() throws IOException {
    Path tmp = dir.resolve("status.json.tmp");
    Files.writeString(tmp, JSONUtil.toJSON(status(), 2) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  // ---------------------------------------------------------------------------------- control

  void startControl(int port) throws IOException {
    control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    control.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "control");
      t.setDaemon(true);
      return t;
    }));
    control.createContext("/", this::handle);
    control.start();
    controlUrl = "http://127.0.0.1:" + port;
    Files.writeString(dir.resolve("control.url"), controlUrl + "\n", StandardCharsets.UTF_8);
    log("control channel at " + controlUrl);
  }

  void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    try {
      if (path.equals("/status") && method.equals("GET")) {
        reply(ex, 200, JSONUtil.toJSON(status(), 2), "application/json");
      } else if (path.equals("/urls") && method.equals("GET")) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) if (n.running()) sb.append(n.baseUrl()).append('\n');
        reply(ex, 200, sb.toString(), "text/plain");
      } else if (path.equals("/shutdown") && method.equals("POST")) {
        reply(ex, 200, "shutting down\n", "text/plain");
        new Thread(() -> System.exit(0), "exit").start();
      } else if (parts.length == 3 && parts[0].equals("nodes")) {
        int idx = Integer.parseInt(parts[1]);
        if (idx < 1 || idx > nodes.size()) {
          reply(ex, 404, "no node " + idx + " (1.." + nodes.size() + ")\n", "text/plain");
          return;
        }
        Node n = nodes.get(idx - 1);
        String op = parts[2];
        if (op.equals("pid") && method.equals("GET")) {
          Process p = n.process;
          reply(ex, 200, (n.running() ? Long.toString(p.pid()) : "") + "\n", "text/plain");
          return;
        }
        if (!method.equals("POST")) {
          reply(ex, 405, "use POST\n", "text/plain");
          return;
        }
        if (!up || shuttingDown) {
          reply(ex, 409, "cluster is not up\n", "text/plain");
          return;
        }
        lock.lock();
        try {
          switch (op) {
            case "kill" -> {
              stopNode(n, true);
              log("node " + idx + " killed (SIGKILL) on request");
            }
            case "stop" -> {
              stopNode(n, false);
              log("node " + idx + " stopped (SIGTERM) on request");
            }
            case "start" -> {
              if (!n.running()) {
                long t0 = System.nanoTime();
                spawn(n);
                waitLive(List.of(n), Duration.ofSeconds(timeoutSec));
                log(String.format("node %d live again in %.1f s", idx, (System.nanoTime() - t0) / 1e9));
              }
            }
            default -> {
              reply(ex, 404, "unknown operation " + op + "\n", "text/plain");
              return;
            }
          }
          writeStatus();
        } finally {
          lock.unlock();
        }
        reply(ex, 200, JSONUtil.toJSON(status(), 2), "application/json");
      } else {
        reply(
            ex,
            404,
            "GET /status | GET /urls | GET /nodes/I/pid | POST /nodes/I/kill|stop|start | POST /shutdown\n",
            "text/plain");
      }
    } catch (Exception e) {
      reply(ex, 500, "error: " + e + "\n", "text/plain");
    }
  }

  static void reply(HttpExchange ex, int code, String body, String type) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  // ---------------------------------------------------------------------------------- shutdown

  void shutdown() {
    shuttingDown = true;
    log("shutting down");
    try {
      Files.deleteIfExists(dir.resolve("status.json"));
    } catch (IOException ignored) {
    }
    if (control != null) control.stop(0);
    // SIGTERM every node at once, then wait; SIGKILL whatever is left after 45 s.
    for (Node n : nodes) {
      Process p = n.process;
      if (p != null && p.isAlive()) p.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    for (Node n : nodes) {
      Process p = n.process;
      if (p == null) continue;
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
          log("node " + n.index + " did not stop in time, SIGKILL");
          p.destroyForcibly();
          p.waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
    if (zkFactory != null) zkFactory.shutdown();
    if (zkServer != null) zkServer.shutdown();
    try {
      Files.deleteIfExists(dir.resolve("control.url"));
      Files.deleteIfExists(dir.resolve("supervisor.pid"));
    } catch (IOException ignored) {
    }
    log("stopped");
  }
}
