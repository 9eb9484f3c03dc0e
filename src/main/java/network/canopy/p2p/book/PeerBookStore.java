package network.canopy.p2p.book;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import network.canopy.p2p.config.AtomicFile;

/**
 * Reads and writes {@code <dataDir>/peerbook.json}. A save goes to a temporary file that is fsynced
 * and then atomically renamed over the book (and the directory fsynced), so a crash at any moment
 * leaves either the old book or the new one, never a mix. Blocking: call it from a worker.
 */
final class PeerBookStore {

  static final String FILE_NAME = "peerbook.json";

  /**
   * Version 2 adds the bucket key and each entry's table (a version-1 book loads with a fresh key);
   * version 3 each entry's signed address record (older books load without records).
   */
  static final int FORMAT_VERSION = 3;

  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  /**
   * What a load found: the bucket key (null when none was saved), the entries, how many were
   * skipped as malformed, and where a corrupt file went.
   */
  record Loaded(byte[] key, List<BookEntry> entries, int skipped, Optional<Path> setAside) {}

  private final Path file;
  private final Path temporary;

  PeerBookStore(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
    this.temporary = dataDir.resolve(FILE_NAME + ".tmp");
  }

  Path file() {
    return file;
  }

  /**
   * A missing file is an empty book. A file that cannot be read as a book is renamed to {@code
   * peerbook.json.corrupt-<time>} and the book starts empty: a bad book never stops a node. Single
   * malformed entries are skipped. A temporary file left by a crash mid-save is deleted.
   */
  Loaded load() throws IOException {
    Files.deleteIfExists(temporary);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(null, List.of(), 0, Optional.empty());
    }
    JsonArray array;
    JsonObject doc;
    try {
      doc = Buffer.buffer(bytes).toJsonObject();
      int version = doc.getInteger("version", -1);
      if (version < 1 || version > FORMAT_VERSION) {
        throw new DecodeException("unknown version " + doc.getValue("version"));
      }
      array = doc.getJsonArray("entries");
      if (array == null) {
        throw new DecodeException("no entries array");
      }
    } catch (DecodeException | ClassCastException e) {
      return new Loaded(null, List.of(), 0, Optional.of(setAside()));
    }
    List<BookEntry> entries = new ArrayList<>(array.size());
    int skipped = 0;
    for (Object item : array) {
      try {
        entries.add(BookEntry.fromJson((JsonObject) item));
      } catch (ClassCastException | IllegalArgumentException e) {
        skipped++;
      }
    }
    return new Loaded(key(doc), entries, skipped, Optional.empty());
  }

  /** The saved bucket key, or null when there is none or it is not 32 bytes of base64. */
  static byte[] key(JsonObject doc) {
    try {
      String text = doc.getString("key");
      byte[] key = text == null ? null : Base64.getDecoder().decode(text);
      return key != null && key.length == AddressTables.KEY_BYTES ? key : null;
    } catch (IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  /** The document {@link #save} writes, built on the owner's context from its own state. */
  static Buffer encode(Iterable<BookEntry> entries, byte[] key, long savedAt) {
    JsonArray array = new JsonArray();
    entries.forEach(e -> array.add(e.toJson()));
    return new JsonObject()
        .put("version", FORMAT_VERSION)
        .put("savedAt", savedAt)
        .put("key", Base64.getEncoder().encodeToString(key))
        .put("entries", array)
        .toBuffer();
  }

  /** Replaces the book on disk with {@code document}, atomically and durably. */
  void save(Buffer document) throws IOException {
    AtomicFile.write(file, temporary, document);
  }

  private Path setAside() throws IOException {
    Path aside =
        file.resolveSibling(FILE_NAME + ".corrupt-" + LocalDateTime.now().format(ASIDE_TIME));
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    return aside;
  }
}
