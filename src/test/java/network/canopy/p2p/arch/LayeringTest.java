package network.canopy.p2p.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/ARCHITECTURE.md as a test: each package may use only the packages below
 * it, siblings do not use each other unless listed, and there are no cycles. A new package or a new
 * arrow is added here and in that map in the same commit.
 */
class LayeringTest {

  private static final String P = "network.canopy.p2p.";
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("network.canopy.p2p");
  }

  @Test
  void packagesUseOnlyWhatIsBelowThem() {
    layers().check(main);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("network.canopy.p2p.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void cryptoAndWireArePlainJava() {
    noClasses()
        .that()
        .resideInAnyPackage(P + "crypto..", P + "wire..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "io.netty..", "io.micrometer..")
        .check(main);
  }

  @Test
  void vertxInternalsAreReachedFromOneFileOnly() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(P + "conn.VertxInternals")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.vertx.core.internal..", "io.vertx.core.impl..", "io.vertx.core.net.impl..")
        .check(main);
  }

  /**
   * Bottom to top: crypto → wire → config → conn → transport | reputation → book | gossip →
   * gossipsim | peer → admin → node → embed → sim → cli. gossipsim (the discrete-event simulator)
   * uses gossip only. Siblings on one row do not use each other, except book uses reputation.
   */
  static com.tngtech.archunit.library.Architectures.LayeredArchitecture layers() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("crypto")
        .definedBy(P + "crypto..")
        .layer("config")
        .definedBy(P + "config..")
        .layer("wire")
        .definedBy(P + "wire..")
        .layer("conn")
        .definedBy(P + "conn..")
        .layer("transport")
        .definedBy(P + "transport..")
        .layer("reputation")
        .definedBy(P + "reputation..")
        .layer("book")
        .definedBy(P + "book..")
        .layer("gossip")
        .definedBy(P + "gossip..")
        .layer("gossipsim")
        .definedBy(P + "gossipsim..")
        .layer("peer")
        .definedBy(P + "peer..")
        .layer("admin")
        .definedBy(P + "admin..")
        .layer("node")
        .definedBy(P + "node..")
        .layer("embed")
        .definedBy(P + "embed..")
        .layer("sim")
        .definedBy(P + "sim..")
        .layer("cli")
        .definedBy(P + "cli..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("sim")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("embed")
        .mayOnlyBeAccessedByLayers("sim", "cli")
        .whereLayer("node")
        .mayOnlyBeAccessedByLayers("embed", "sim", "cli")
        .whereLayer("admin")
        .mayOnlyBeAccessedByLayers("node", "sim", "cli")
        .whereLayer("peer")
        .mayOnlyBeAccessedByLayers("node", "sim", "cli")
        .whereLayer("gossipsim")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("gossip")
        .mayOnlyBeAccessedByLayers("gossipsim", "peer", "node", "sim", "cli")
        .whereLayer("book")
        .mayOnlyBeAccessedByLayers("peer", "node", "sim", "cli")
        .whereLayer("reputation")
        .mayOnlyBeAccessedByLayers("book", "peer", "node", "sim", "cli")
        .whereLayer("transport")
        .mayOnlyBeAccessedByLayers("node", "sim", "cli")
        .whereLayer("conn")
        .mayOnlyBeAccessedByLayers(
            "transport", "reputation", "book", "gossip", "peer", "node", "sim", "cli")
        .whereLayer("wire")
        .mayOnlyBeAccessedByLayers(
            "config",
            "conn",
            "transport",
            "reputation",
            "book",
            "gossip",
            "peer",
            "node",
            "sim",
            "cli")
        .whereLayer("crypto")
        .mayOnlyBeAccessedByLayers(
            "wire",
            "config",
            "conn",
            "transport",
            "reputation",
            "book",
            "gossip",
            "peer",
            "node",
            "sim",
            "cli")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers(
            "conn",
            "transport",
            "reputation",
            "book",
            "gossip",
            "peer",
            "admin",
            "node",
            "embed",
            "sim",
            "cli");
  }
}
