package network.canopy.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** README's embedding example is this source file, verbatim, and it works: two such verticles greet each other. */
@ExtendWith(VertxExtension.class)
class HelloNodeVerticleTest {

  private static final Path SOURCE =
      Path.of("examples/chat/src/main/java/network/canopy/examples/chat/HelloNodeVerticle.java");

  @Test
  void readmeShowsThisVerticleVerbatim() throws Exception {
    assertThat(Files.readString(Path.of("README.md"))).contains(Files.readString(SOURCE));
  }

  @Test
  void twoEmbeddedNodesConnectAndHearEachOthersHello(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    Checkpoint heard = ctx.checkpoint(2);
    for (String prefix : new String[] {"a", "b"}) {
      vertx.eventBus().<Buffer>consumer(prefix + ".topic.tx", msg -> ctx.verify(() -> {
        assertThat(msg.body().toString()).startsWith("hello ");
        heard.flag();
      }));
    }
    HelloNodeVerticle a = new HelloNodeVerticle();
    vertx.deployVerticle(a, options(dir, "a", null))
        .compose(v -> vertx.deployVerticle(new HelloNodeVerticle(), options(dir, "b", a.node().peerAddress())))
        .onFailure(ctx::failNow);
  }

  private static DeploymentOptions options(Path dir, String prefix, String dial) {
    JsonObject conf = new JsonObject().put("dataDir", dir.resolve(prefix).toString()).put("prefix", prefix);
    if (dial != null) {
      conf.put("dial", dial);
    }
    return new DeploymentOptions().setConfig(conf);
  }
}
