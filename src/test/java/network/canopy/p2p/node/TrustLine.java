package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;

/**
 * Real nodes on loopback for the trust tests: started with their own config, wired with {@code
 * p2p.dial} (discovery off, so links are only the ones asked for), and an application on each node
 * that records every payload of the topics it listens to.
 */
final class TrustLine implements AutoCloseable {

  final TestNodes nodes;
  private final Path root;
  private final Map<String, String> ids = new LinkedHashMap<>();
  private final Map<String, String> deployments = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
  private final Map<String, String> listen = new LinkedHashMap<>();

  /** prefix + "/" + topic → payloads received there, in order. */
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();

  /** prefix + "/" + topic → the headers of each received message. */
  private final Map<String, List<Map<String, String>>> headers = new ConcurrentHashMap<>();

  TrustLine(Path root) {
    this(root, new TestNodes());
  }

  TrustLine(Path root, TestNodes nodes) {
    this.root = root;
    this.nodes = nodes;
  }

  /**
   * Starts node {@code prefix} with {@code extra} config, dialling the nodes named in {@code
   * dials}, and listening on {@code topics}; returns its id once its links are up.
   */
  String start(String prefix, Map<String, String> extra, List<String> dials, String... topics)
      throws Exception {
    for (String topic : topics) {
      String key = prefix + "/" + topic;
      received.put(key, new CopyOnWriteArrayList<>());
      headers.put(key, new CopyOnWriteArrayList<>());
      await(
          nodes
              .vertx
              .eventBus()
              .<Buffer>consumer(
                  new Addresses(prefix).topic(topic),
                  m -> {
                    Map<String, String> h = new LinkedHashMap<>();
                    m.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
                    headers.get(key).add(h);
                    received.get(key).add(m.body().toString());
                  })
              .completion());
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put("p2p.discovery", "false");
    config.put("p2p.maxPerIp", "100");
    List<String> dialList = new ArrayList<>();
    for (String d : dials) {
      dialList.add(ids.get(d) + "@" + nodes.listenAddress(d));
    }
    if (!dialList.isEmpty()) {
      config.put("p2p.dial", String.join(",", dialList));
    }
    config.putAll(extra);
    configs.put(prefix, config);
    deployments.put(prefix, nodes.start(nodes.config(root.resolve(prefix), prefix, config)));
    listen.put(prefix, nodes.listenAddress(prefix));
    String id = nodes.id(prefix);
    ids.put(prefix, id);
    for (String d : dials) {
      awaitLinked(prefix, d);
    }
    return id;
  }

  /** Stops a node the way the run command does (goodbyes, saves). */
  void stop(String prefix) throws Exception {
    nodes.stop(deployments.remove(prefix));
  }

  /**
   * Starts a stopped node again with the same config, data dir (so the same id) and listen port (so
   * the peers that dial it find it).
   */
  void restart(String prefix) throws Exception {
    Map<String, String> config = new LinkedHashMap<>(configs.get(prefix));
    config.put("p2p.listen", listen.get(prefix));
    deployments.put(prefix, nodes.start(nodes.config(root.resolve(prefix), prefix, config)));
  }

  Path dataDir(String prefix) {
    return root.resolve(prefix);
  }

  String id(String prefix) {
    return ids.get(prefix);
  }

  List<String> received(String prefix, String topic) {
    return received.get(prefix + "/" + topic);
  }

  List<Map<String, String>> headers(String prefix, String topic) {
    return headers.get(prefix + "/" + topic);
  }

  void awaitLinked(String a, String b) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> peer(a, ids.get(b)) != null);
  }

  /** Node {@code at}'s /api/peers entry for {@code peerId}, or null when not connected. */
  JsonObject peer(String at, String peerId) throws Exception {
    JsonArray peers =
        await(nodes.vertx.eventBus().<JsonArray>request(new Addresses(at).peers(), null)).body();
    return peers.stream()
        .map(JsonObject.class::cast)
        .filter(p -> peerId.equals(p.getString("id")))
        .findFirst()
        .orElse(null);
  }

  /** Gossips {@code payload} from {@code prefix} on {@code topic}; returns the message id. */
  String broadcast(String prefix, String topic, String payload) throws Exception {
    return await(
            nodes
                .vertx
                .eventBus()
                .<String>request(
                    new Addresses(prefix).broadcast(),
                    Buffer.buffer(payload),
                    new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, topic)))
        .body();
  }

  /** {@code <prefix>.send} to {@code peer} (an id, {@code *}, {@code random}); the reply body. */
  Object send(String prefix, String peer, String topic, String payload) throws Exception {
    Message<Object> reply =
        await(
            nodes
                .vertx
                .eventBus()
                .request(
                    new Addresses(prefix).send(),
                    Buffer.buffer(payload),
                    new DeliveryOptions()
                        .addHeader(Addresses.HEADER_PEER, peer)
                        .addHeader(Addresses.HEADER_TOPIC, topic)));
    return reply.body();
  }

  /** A counter of node {@code prefix} (its metrics carry the first 8 characters of its id). */
  double counter(String prefix, String name, String... tags) {
    List<String> all = new ArrayList<>(List.of("node", ids.get(prefix).substring(0, 8)));
    all.addAll(List.of(tags));
    Counter c = nodes.registry.find(name).tags(all.toArray(String[]::new)).counter();
    return c == null ? 0 : c.count();
  }

  /** A gauge of node {@code prefix}, or -1 when it does not exist. */
  double gauge(String prefix, String name, String... tags) {
    List<String> all = new ArrayList<>(List.of("node", ids.get(prefix).substring(0, 8)));
    all.addAll(List.of(tags));
    Gauge g = nodes.registry.find(name).tags(all.toArray(String[]::new)).gauge();
    return g == null ? -1 : g.value();
  }

  int adminPort(String prefix) throws Exception {
    return nodes.adminPort(prefix);
  }

  @Override
  public void close() {
    for (String deployment : new ArrayList<>(deployments.values())) {
      nodes.stop(deployment);
    }
    nodes.close();
  }
}
