package dev.mooring.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The per-fetch transport configuration for one repository and its credentials.
 *
 * <p>HTTPS: HTTP Basic auth with {@code username} and {@code password}/{@code token}. A token
 * without a username is sent with the user name {@code x-access-token}: GitHub and Gitea accept any
 * user name with a token, GitLab accepts any non-empty one with a personal access token, and
 * Bitbucket users give their own user name. Without credentials, nothing is sent and a server that
 * asks for authentication fails the fetch (there is never a prompt).
 *
 * <p>SSH: a fresh Apache MINA session factory per fetch that reads nothing from {@code ~/.ssh}: the
 * private key is written to a private temporary folder (mode 0700, file 0600) that is deleted on
 * {@link #close()}, and only host keys from {@code knownHosts} are accepted.
 */
final class TransportSetup implements AutoCloseable {

  static final String TOKEN_USER = "x-access-token";

  private final CredentialsProvider credentialsProvider;
  private final SshdSessionFactory sshFactory;
  private final Path sshDir;

  private TransportSetup(
      CredentialsProvider credentialsProvider, SshdSessionFactory sshFactory, Path sshDir) {
    this.credentialsProvider = credentialsProvider;
    this.sshFactory = sshFactory;
    this.sshDir = sshDir;
  }

  static TransportSetup of(RepoUrl url, RepoCredentials credentials) throws SourceException {
    CredentialsProvider http = null;
    if (!url.ssh() && credentials.hasHttpCredentials()) {
      String user = credentials.username() != null ? credentials.username() : TOKEN_USER;
      String password = credentials.password() != null ? credentials.password() : "";
      http = new UsernamePasswordCredentialsProvider(user, password);
    }
    if (!url.ssh()) {
      return new TransportSetup(http, null, null);
    }
    KnownHostsDatabase knownHosts = KnownHostsDatabase.parse(credentials.knownHosts());
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              "mooring-ssh-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      List<Path> identities = List.of();
      if (credentials.hasSshKey()) {
        Path key =
            Files.createFile(
                dir.resolve("identity"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String pem = credentials.sshPrivateKey();
        Files.writeString(key, pem.endsWith("\n") ? pem : pem + "\n", StandardCharsets.UTF_8);
        identities = List.of(key);
      }
      List<Path> keys = identities;
      SshdSessionFactory factory =
          new SshdSessionFactoryBuilder()
              .setHomeDirectory(dir.toFile())
              .setSshDirectory(dir.toFile())
              .setConfigFile(sshDirectory -> null) // no ~/.ssh/config: the Secret says it all
              .setDefaultIdentities(sshDirectory -> keys)
              .setDefaultKnownHostsFiles(sshDirectory -> List.of())
              .setServerKeyDatabase((home, sshDirectory) -> knownHosts)
              .setPreferredAuthentications("publickey")
              .setConnectorFactory(null) // never the host's ssh-agent: only the Secret's key
              .build(null);
      return new TransportSetup(null, factory, dir);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new SourceException(
          SourceException.Reason.Invalid, "cannot prepare the SSH key: " + e.getMessage());
    }
  }

  CredentialsProvider credentialsProvider() {
    return credentialsProvider;
  }

  TransportConfigCallback callback() {
    return transport -> {
      if (transport instanceof SshTransport ssh && sshFactory != null) {
        ssh.setSshSessionFactory(sshFactory);
      }
    };
  }

  @Override
  public void close() {
    if (sshFactory != null) {
      sshFactory.close();
    }
    deleteQuietly(sshDir);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Temp folder cleanup is best effort; the key file is 0600 in a 0700 folder.
    }
  }
}
