package network.canopy.p2p.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import network.canopy.p2p.crypto.ClusterCertificates;
import network.canopy.p2p.crypto.ClusterCertificates.Issued;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cluster-cert}: makes (or reuses) a small CA in DIR and member certificates signed by it,
 * the PEM files {@code cluster.tls} reads. Never overwrites: an existing member's files are an
 * error.
 */
@Command(
    name = "cluster-cert",
    mixinStandardHelpOptions = true,
    description =
        "Create DIR/ca.pem + DIR/ca.key (unless present) and, per --member NAME, DIR/NAME.pem + "
            + "DIR/NAME.key signed by that CA, for cluster.tls. Never overwrites a file.")
final class ClusterCertCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      required = true,
      description = "Directory of the CA and member files")
  Path dir;

  @Option(
      names = "--member",
      paramLabel = "NAME",
      description = "Member to issue a certificate for; repeatable")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "825",
      description =
          "Validity of new certificates in days (default: ${DEFAULT-VALUE}; the CA gets 10 times that)")
  int days;

  @Override
  public Integer call() {
    List<String> bad =
        members.stream().filter(m -> !NAME.matcher(m).matches() || m.equals("ca")).toList();
    if (!bad.isEmpty() || days < 1) {
      System.err.println(
          "error: member names are 1-64 characters of A-Z a-z 0-9 _ . - and not 'ca' "
              + "(got "
              + bad
              + "); --days must be >= 1");
      return 2;
    }
    try {
      Files.createDirectories(dir);
      Issued ca = authority();
      for (String member : members) {
        Issued issued = ClusterCertificates.issueMember(ca, member, Duration.ofDays(days));
        write(dir.resolve(member + ".key"), issued.keyPem(), true);
        write(dir.resolve(member + ".pem"), issued.certificatePem(), false);
        System.out.println(
            "member "
                + member
                + ": cluster.tls.key="
                + dir.resolve(member + ".key")
                + " cluster.tls.certificate="
                + dir.resolve(member + ".pem"));
      }
      System.out.println(
          "cluster.tls.ca="
              + dir.resolve("ca.pem")
              + " (keep "
              + dir.resolve("ca.key")
              + " off the members' machines)");
      return 0;
    } catch (FileAlreadyExistsException e) {
      System.err.println("error: " + e.getFile() + " exists; choose another member name");
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private Issued authority() throws IOException {
    Path cert = dir.resolve("ca.pem");
    Path key = dir.resolve("ca.key");
    if (Files.exists(cert) && Files.exists(key)) {
      System.out.println("using the CA in " + cert);
      return ClusterCertificates.read(Files.readString(cert), Files.readString(key));
    }
    if (Files.exists(cert) || Files.exists(key)) {
      throw new IOException(
          "only one of " + cert + " and " + key + " exists; move it away or restore the other");
    }
    Issued ca = ClusterCertificates.newAuthority("canopy cluster CA", Duration.ofDays(10L * days));
    write(key, ca.keyPem(), true);
    write(cert, ca.certificatePem(), false);
    System.out.println("new CA: " + cert);
    return ca;
  }

  /** Written to a temporary file (owner-only for keys) and moved into place, never over a file. */
  private static void write(Path target, String pem, boolean secret) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret && target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
