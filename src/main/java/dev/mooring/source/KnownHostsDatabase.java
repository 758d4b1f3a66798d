package dev.mooring.source;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Accepts exactly the SSH host keys listed in a Secret's {@code knownHosts} (OpenSSH known_hosts
 * format, hashed host names included). Never asks, never learns: an unknown or changed host key is
 * refused, which is the only safe answer for an unattended controller.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {

  private final List<KnownHostEntry> entries;

  private KnownHostsDatabase(List<KnownHostEntry> entries) {
    this.entries = entries;
  }

  static KnownHostsDatabase parse(String knownHosts) throws SourceException {
    if (knownHosts == null || knownHosts.isBlank()) {
      return new KnownHostsDatabase(List.of());
    }
    try {
      List<KnownHostEntry> parsed =
          KnownHostEntry.readKnownHostEntries(new StringReader(knownHosts), true);
      return new KnownHostsDatabase(parsed == null ? List.of() : List.copyOf(parsed));
    } catch (IOException | RuntimeException e) {
      throw new SourceException(
          SourceException.Reason.Invalid, "knownHosts in the repository Secret cannot be parsed");
    }
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    String host = hostOf(connectAddress);
    int port = remoteAddress == null ? 22 : remoteAddress.getPort();
    List<PublicKey> keys = new ArrayList<>();
    for (KnownHostEntry entry : entries) {
      // @revoked and @cert-authority lines are not trust anchors for a plain key.
      if (entry.getMarker() != null || !entry.isHostMatch(host, port)) {
        continue;
      }
      try {
        PublicKey key =
            entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.IGNORING);
        if (key != null) {
          keys.add(key);
        }
      } catch (IOException | GeneralSecurityException e) {
        // A line with an unknown key type cannot match; skip it like OpenSSH does.
      }
    }
    return keys;
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    for (PublicKey known : lookup(connectAddress, remoteAddress, config)) {
      if (KeyUtils.compareKeys(known, serverKey)) {
        return true;
      }
    }
    return false;
  }

  /** "host", "[host]:port" or "host:port" to the bare host name. */
  private static String hostOf(String connectAddress) {
    if (connectAddress.startsWith("[")) {
      int end = connectAddress.indexOf(']');
      return end > 0 ? connectAddress.substring(1, end) : connectAddress;
    }
    int colon = connectAddress.lastIndexOf(':');
    return colon > 0 && connectAddress.indexOf(':') == colon
        ? connectAddress.substring(0, colon)
        : connectAddress;
  }
}
