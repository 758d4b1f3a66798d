package dev.mooring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * A real SSH Git server on 127.0.0.1 for tests: Apache MINA SSHD (shipped with JGit's SSH support)
 * accepting one client key and running {@code git upload-pack} for repositories under a root.
 */
public final class GitSshServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;

  private GitSshServer(Path root, PublicKey clientKey) throws IOException {
    hostKey = newKeyPair();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> "git".equals(user) && KeyUtils.compareKeys(key, clientKey));
    server.setCommandFactory((CommandFactory) (channel, command) -> new UploadPack(root, command));
    server.start();
  }

  /** Starts a server that lets in user {@code git} with the given key. */
  public static GitSshServer start(Path root, PublicKey clientKey) throws IOException {
    return new GitSshServer(root, clientKey);
  }

  /** A fresh EC P-256 key pair, e.g. for a client. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key in OpenSSH format, as users put it into a Secret. */
  public static String openSshPrivateKey(KeyPair keyPair) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "test", null, out);
      return out.toString(StandardCharsets.US_ASCII);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code ssh://git@127.0.0.1:port/<repoPath>}. */
  public String url(String repoPath) {
    return "ssh://git@127.0.0.1:" + server.getPort() + "/" + repoPath;
  }

  /** The known_hosts line for this server's host key. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** Runs {@code git upload-pack <root>/<path>} and pipes the channel through it. */
  private static final class UploadPack implements Command {
    private final Path root;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private Process process;

    UploadPack(Path root, String command) {
      this.root = root;
      this.command = command;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      List<String> words = CommandFactory.split(command);
      if (words.size() != 2 || !words.get(0).equals("git-upload-pack")) {
        exit.onExit(1, "only git-upload-pack is served");
        return;
      }
      String path = words.get(1).replace("'", "").replaceFirst("^/+", "");
      ProcessBuilder builder =
          new ProcessBuilder("git", "upload-pack", root.resolve(path).toString());
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      String protocol = env.getEnv().get("GIT_PROTOCOL");
      if (protocol != null) {
        builder.environment().put("GIT_PROTOCOL", protocol);
      }
      process = builder.start();
      daemon(() -> pump(in, process.getOutputStream(), true));
      daemon(
          () -> {
            pump(process.getInputStream(), out, false);
            try {
              exit.onExit(process.waitFor());
            } catch (InterruptedException e) {
              exit.onExit(1);
            }
          });
    }

    private static void daemon(Runnable task) {
      Thread thread = new Thread(task, "git-ssh-pump");
      thread.setDaemon(true);
      thread.start();
    }

    private static void pump(InputStream from, OutputStream to, boolean closeTarget) {
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = from.read(buffer)) >= 0; ) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // the other side went away
      } finally {
        if (closeTarget) {
          try {
            to.close();
          } catch (IOException e) {
            // already closed
          }
        }
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (process != null) {
        process.destroy();
      }
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }
  }
}
