package network.canopy.p2p.book;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import network.canopy.p2p.config.AtomicFile;
import network.canopy.p2p.config.PeerAddress;

/**
 * {@code <dataDir>/anchors.json}: the outbound peers connected at shutdown, dialled first at the
 * next start so a restart does not hand every slot to whoever filled the book meanwhile (an eclipse
 * attacker waits for exactly that). Read once and deleted, so a node that keeps crashing does not
 * keep returning to the same peers. Written atomically; blocking: call it from a worker.
 */
final class AnchorStore {

  static final String FILE_NAME = "anchors.json";

  /** How many outbound peers are kept as anchors. */
  static final int ANCHORS = 2;

  private final Path file;
  private final Path temporary;

  AnchorStore(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
    this.temporary = dataDir.resolve(FILE_NAME + ".tmp");
  }

  /** The saved anchors (none when missing or unreadable), and the file is gone. */
  List<PeerAddress> take() throws IOException {
    Files.deleteIfExists(temporary);
    List<PeerAddress> anchors = new ArrayList<>();
    try {
      JsonArray saved =
          new JsonObject(Files.readString(file)).getJsonArray("anchors", new JsonArray());
      for (Object item : saved) {
        if (anchors.size() < ANCHORS) {
          anchors.add(PeerAddress.parse(String.valueOf(item)));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      anchors.clear(); // a bad anchors file only costs the anchors
    }
    Files.deleteIfExists(file);
    return anchors;
  }

  void save(List<PeerAddress> anchors) throws IOException {
    JsonArray array = new JsonArray();
    anchors.stream().limit(ANCHORS).forEach(a -> array.add(a.toString()));
    AtomicFile.write(file, temporary, new JsonObject().put("anchors", array).toBuffer());
  }
}
