package network.canopy.examples.chat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import network.canopy.p2p.embed.CanopyNode;
import network.canopy.p2p.embed.NodeHandle;
import network.canopy.p2p.embed.NodeOptions;

/** An application verticle with a Canopy node inside: greets every new peer on topic "tx", prints what it hears. */
public class HelloNodeVerticle extends VerticleBase {

  private NodeHandle node;

  @Override
  public Future<?> start() {
    JsonObject conf = config();
    NodeOptions options = new NodeOptions()
        .dataDir(Path.of(conf.getString("dataDir", "data")))       // node.key, peerbook.json
        .listen(conf.getString("listen", "127.0.0.1:0"))            // port 0: any free port
        .admin("127.0.0.1:0")
        .eventBusPrefix(conf.getString("prefix", "p2p"));
    if (conf.containsKey("dial")) {
      options.dial(conf.getString("dial"));                         // ID@HOST:PORT of a known node
    }
    return CanopyNode.deploy(vertx, options).compose(handle -> {
      node = handle;
      vertx.eventBus().<Buffer>consumer(node.topicAddress("tx"), msg ->
          System.out.println(msg.headers().get(CanopyNode.HEADER_PEER) + " says: " + msg.body()));
      return vertx.eventBus().<JsonObject>consumer(node.eventsAddress(), event -> {
        if ("peer.connected".equals(event.body().getString("type"))) {
          String hello = "hello " + event.body().getString("peer") + ", I am " + node.id();
          vertx.eventBus().request(node.broadcastAddress(), Buffer.buffer(hello),
              new DeliveryOptions().addHeader(CanopyNode.HEADER_TOPIC, "tx"));
        }
      }).completion();
    });
  }

  /** The embedded node, once started. */
  public NodeHandle node() {
    return node;
  }

  @Override
  public Future<?> stop() {
    return node == null ? Future.succeededFuture() : node.close();  // goodbyes, peer book saved
  }

  public static void main(String[] args) {
    Vertx.vertx().deployVerticle(new HelloNodeVerticle())
        .onSuccess(id -> System.out.println("node up"))
        .onFailure(err -> System.err.println("cannot start: " + err.getMessage()));
  }
}
