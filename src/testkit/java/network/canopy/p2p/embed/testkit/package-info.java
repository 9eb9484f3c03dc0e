/**
 * Test kit for applications' JUnit 5 suites (jar classifier {@code testkit}): real nodes in one
 * Vert.x, connected, with links to cut and nodes to restart. Public API, like {@code
 * network.canopy.p2p.embed}.
 */
package network.canopy.p2p.embed.testkit;
