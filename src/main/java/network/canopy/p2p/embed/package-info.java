/**
 * The public API for applications that run a Canopy node inside their own Vert.x instance: {@link
 * network.canopy.p2p.embed.CanopyNode}, {@link network.canopy.p2p.embed.NodeOptions}, {@link
 * network.canopy.p2p.embed.NodeHandle}. With the test kit ({@code
 * network.canopy.p2p.embed.testkit}, jar classifier {@code testkit}), the event-bus addresses, the
 * config keys and the admin HTTP surface, this is what embedders may rely on; every other package
 * of {@code network.canopy.p2p} is internal and may change in any release.
 */
package network.canopy.p2p.embed;
