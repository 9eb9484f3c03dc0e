package network.canopy.p2p.node;

import picocli.CommandLine.IVersionProvider;

/** The node's version string, read from the jar manifest (or "dev" when run from classes). */
public final class BuildInfo implements IVersionProvider {

  /** Version of this build; also the {@code version} field of {@code /api/node}. */
  public static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"canopy-p2p " + version()};
  }
}
