package network.canopy.p2p.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and writes the node's identity key, {@code <dataDir>/node.key}. Blocking file I/O: call it
 * off the event loop.
 *
 * <p><b>Format</b>: one ASCII line, {@code ed25519:} followed by the 32-byte Ed25519 private seed
 * as 64 lowercase hex digits and a newline (73 bytes). The public key and node id are derived from
 * the seed. When loading, trailing whitespace is ignored and hex digits may be either case;
 * anything else (other prefix, other length, a non-hex character, over 1 KiB) is refused as
 * corrupt.
 *
 * <p><b>Permissions</b> (POSIX file systems): the data directory is created {@code rwx------} if
 * missing, and the key file is born {@code rw-------}: it is written to a temporary file created
 * with those permissions, fsynced, then hard-linked into place, which fails rather than replaces if
 * another process got there first. A key file with any group or other permission bit is refused. On
 * non-POSIX file systems the permission steps are skipped.
 *
 * <p>A bad key file is always an error ({@link KeyFileException}), never silently replaced: a node
 * that quietly took a new identity would lose its place in every peer's book.
 */
public final class NodeKeyFile {
  public static final String FILE_NAME = "node.key";
  static final String PREFIX = "ed25519:";
  private static final int MAX_FILE_SIZE = 1024;
  private static final Set<PosixFilePermission> FILE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_PERMISSIONS =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private NodeKeyFile() {}

  /** {@code <dataDir>/node.key}. */
  public static Path path(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * Loads the key, or creates it (and the data directory) when there is none: the start-up and
   * {@code keygen} behaviour.
   */
  public static NodeIdentity loadOrCreate(Path dataDir) throws KeyFileException {
    Path file = path(dataDir);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      NodeIdentity created = tryCreate(dataDir, new SecureRandom());
      if (created != null) {
        return created;
      }
      // Another process created it between our check and our link: use theirs.
    }
    return load(dataDir);
  }

  /** Loads an existing key; a missing file is an error (the {@code id} command). */
  public static NodeIdentity load(Path dataDir) throws KeyFileException {
    Path file = path(dataDir);
    try {
      checkAttributes(file);
      byte[] content = Files.readAllBytes(file);
      return parse(file, content);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file + " does not exist (create it with keygen)", e);
    } catch (KeyFileException e) {
      throw e;
    } catch (IOException e) {
      throw new KeyFileException("cannot read " + file + ": " + describe(e), e);
    }
  }

  /** Creates a new key; an existing file is an error and is left untouched. */
  public static NodeIdentity create(Path dataDir) throws KeyFileException {
    return create(dataDir, new SecureRandom());
  }

  /** {@link #create(Path)} with a given source of randomness. */
  public static NodeIdentity create(Path dataDir, SecureRandom random) throws KeyFileException {
    NodeIdentity identity = tryCreate(dataDir, random);
    if (identity == null) {
      throw new KeyFileException(path(dataDir) + " already exists; refusing to overwrite it");
    }
    return identity;
  }

  /** Writes a new key file; returns null if one already exists. */
  private static NodeIdentity tryCreate(Path dataDir, SecureRandom random) throws KeyFileException {
    Path file = path(dataDir);
    boolean posix = isPosix(dataDir);
    NodeIdentity identity = NodeIdentity.generate(random);
    byte[] content =
        (PREFIX + Hex.encode(identity.seed()) + "\n").getBytes(StandardCharsets.US_ASCII);
    Path temp =
        dataDir.resolve("." + FILE_NAME + "." + Long.toHexString(random.nextLong()) + ".tmp");
    try {
      if (posix) {
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
      } else {
        Files.createDirectories(dataDir);
      }
      writeSynced(temp, content, posix);
      if (!linkInto(temp, file)) {
        return null;
      }
      syncDirectory(dataDir);
      return identity;
    } catch (IOException e) {
      throw new KeyFileException("cannot create " + file + ": " + describe(e), e);
    } finally {
      Arrays.fill(content, (byte) 0);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // A leftover temporary file holds a key nobody uses; not worth failing start-up for.
      }
    }
  }

  private static void writeSynced(Path temp, byte[] content, boolean posix) throws IOException {
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
            : new FileAttribute<?>[0];
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Hard link: unlike rename, it never replaces an existing key file. */
  private static boolean linkInto(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Files.move(temp, file);
      return true;
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some platforms cannot open or sync a directory; the file itself is already synced.
    }
  }

  private static void checkAttributes(Path file) throws IOException {
    BasicFileAttributes basic =
        isPosix(file)
            ? Files.readAttributes(file, PosixFileAttributes.class)
            : Files.readAttributes(file, BasicFileAttributes.class);
    if (!basic.isRegularFile()) {
      throw new KeyFileException(file + " is not a regular file");
    }
    if (basic instanceof PosixFileAttributes posixAttributes
        && !OWNER_ONLY.containsAll(posixAttributes.permissions())) {
      throw new KeyFileException(
          file
              + " has permissions "
              + PosixFilePermissions.toString(posixAttributes.permissions())
              + "; it must be readable by its owner only (chmod 600)");
    }
    if (basic.size() > MAX_FILE_SIZE) {
      throw new KeyFileException(
          file
              + " is corrupt: "
              + basic.size()
              + " bytes, a key file is "
              + (PREFIX.length() + 65)
              + " bytes");
    }
  }

  private static NodeIdentity parse(Path file, byte[] content) throws KeyFileException {
    String text = new String(content, StandardCharsets.US_ASCII).strip();
    if (!text.startsWith(PREFIX)) {
      throw new KeyFileException(file + " is corrupt: it does not start with '" + PREFIX + "'");
    }
    String hex = text.substring(PREFIX.length());
    if (hex.length() != 2 * Ed25519.SEED_LENGTH) {
      throw new KeyFileException(
          file
              + " is corrupt: expected "
              + 2 * Ed25519.SEED_LENGTH
              + " hex digits after '"
              + PREFIX
              + "', found "
              + hex.length()
              + " characters");
    }
    try {
      return NodeIdentity.fromSeed(Hex.decode(hex));
    } catch (IllegalArgumentException e) {
      // Not e.getMessage(): it would quote a character of what may be a real seed.
      throw new KeyFileException(
          file + " is corrupt: the text after '" + PREFIX + "' is not hexadecimal");
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** An I/O failure in words, for an operator: never a Java exception's class name. */
  static String describe(IOException e) {
    String what =
        switch (e) {
          case java.nio.file.AccessDeniedException a -> "permission denied";
          case java.nio.file.FileAlreadyExistsException x -> "exists and is not a directory";
          case java.nio.file.NoSuchFileException n -> "no such file or directory";
          case java.nio.file.NotDirectoryException n -> "not a directory";
          case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
          default -> e.getMessage() == null ? "input/output error" : e.getMessage();
        };
    return e instanceof java.nio.file.FileSystemException f && f.getFile() != null
        ? f.getFile() + ": " + what
        : what;
  }
}
