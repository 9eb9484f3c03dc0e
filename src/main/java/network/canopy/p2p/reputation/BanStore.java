package network.canopy.p2p.reputation;

import io.vertx.core.buffer.Buffer;
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

/**
 * Reads and writes {@code <dataDir>/bans.json}: operator bans and reputation bans (with their
 * repeat counts), so both hold after a restart. Written like the peer book: a temporary file,
 * fsynced, atomically renamed over the old one, then the directory fsynced — a crash leaves the old
 * file or the new one. Blocking: call it from a worker.
 */
public final class BanStore {

  public static final String FILE_NAME = "bans.json";
  static final int FORMAT_VERSION = 1;

  /** One saved ban: {@code source} is {@code operator} or {@code reputation}. */
  public record Saved(String source, String peer, String ip, long until, int count, String reason) {

    JsonObject toJson() {
      JsonObject json =
          new JsonObject()
              .put("source", source)
              .put("until", until)
              .put("count", count)
              .put("reason", reason);
      return peer != null ? json.put("peer", peer) : json.put("ip", ip);
    }

    static Saved fromJson(JsonObject json) {
      String peer = json.getString("peer");
      String ip = json.getString("ip");
      if ((peer == null) == (ip == null) || json.getLong("until") == null) {
        throw new IllegalArgumentException("a ban needs peer or ip, and until");
      }
      return new Saved(
          json.getString("source", "operator"),
          peer,
          ip,
          json.getLong("until"),
          json.getInteger("count", 1),
          json.getString("reason", ""));
    }
  }

  private final Path file;
  private final Path temporary;

  public BanStore(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
    this.temporary = dataDir.resolve(FILE_NAME + ".tmp");
  }

  public Path file() {
    return file;
  }

  /**
   * The saved bans; none for a missing file. An unreadable file is an error (the node refuses to
   * start rather than forget who is banned); a single malformed entry is skipped.
   */
  public List<Saved> load() throws IOException {
    Files.deleteIfExists(temporary);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    JsonArray array;
    try {
      JsonObject doc = Buffer.buffer(bytes).toJsonObject();
      array = doc.getInteger("version", -1) == FORMAT_VERSION ? doc.getJsonArray("bans") : null;
    } catch (DecodeException | ClassCastException e) {
      array = null;
    }
    if (array == null) {
      throw new IOException(
          file
              + " is not a version-"
              + FORMAT_VERSION
              + " ban list;"
              + " fix or remove it (the node will not start without knowing its bans)");
    }
    List<Saved> out = new ArrayList<>(array.size());
    for (Object item : array) {
      try {
        out.add(Saved.fromJson((JsonObject) item));
      } catch (ClassCastException | IllegalArgumentException e) {
        // skipped: one bad entry must not cost the others
      }
    }
    return out;
  }

  /** The document {@link #save} writes, built on the owner's context. */
  public static Buffer encode(List<Saved> bans) {
    JsonArray array = new JsonArray();
    bans.forEach(b -> array.add(b.toJson()));
    return new JsonObject().put("version", FORMAT_VERSION).put("bans", array).toBuffer();
  }

  /** Replaces the file with {@code document}, atomically and durably. */
  public void save(Buffer document) throws IOException {
    AtomicFile.write(file, temporary, document);
  }
}
