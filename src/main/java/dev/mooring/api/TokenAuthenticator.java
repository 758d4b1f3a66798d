package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.sandbox.SandboxMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Bearer tokens from {@code mooring.api.tokens} (full access) and {@code
 * mooring.api.readonly-tokens}. Tokens are kept only as SHA-256 digests and compared in constant
 * time; a token's name (from "name:token") is the user recorded in operations and history.
 */
@ApplicationScoped
public class TokenAuthenticator {
  private record Token(String name, byte[] digest, Access.Level level) {}

  private final List<Token> tokens = new ArrayList<>();

  /** Approvers of the sandbox when no tokens are configured; never on a real cluster. */
  static final String SANDBOX_TOKENS = "alice:sandbox-alice,bob:sandbox-bob,carol:sandbox-carol";

  private final Access.Level anonymous;

  public TokenAuthenticator(MooringConfig config, SandboxMode sandbox) {
    config.api().tokens().ifPresent(t -> add(t, Access.Level.ADMIN));
    config.api().readonlyTokens().ifPresent(t -> add(t, Access.Level.READ));
    if (sandbox.active() && tokens.isEmpty()) {
      // the in-memory sandbox only: named tokens to try the pipeline approvals with
      add(SANDBOX_TOKENS, Access.Level.ADMIN);
    }
    Access.Level fallback = sandbox.active() ? Access.Level.ADMIN : Access.Level.READ;
    this.anonymous = Access.Level.parse(config.api().anonymous().orElse(null), fallback);
  }

  private void add(String list, Access.Level level) {
    for (String entry : list.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.indexOf(':');
      String name;
      String secret;
      if (colon > 0 && e.substring(0, colon).matches("[A-Za-z0-9._@-]+")) {
        name = e.substring(0, colon);
        secret = e.substring(colon + 1);
      } else {
        secret = e;
        name = "token-" + HexFormat.of().formatHex(digest(secret)).substring(0, 8);
      }
      tokens.add(new Token(name, digest(secret), level));
    }
  }

  /**
   * The access of a request: its bearer token's, or anonymous when it has none. An unknown token is
   * NONE, whatever anonymous may do, so that a typo is noticed.
   */
  public Access authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return new Access(anonymous, "anonymous");
    }
    String value = authorization.trim();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Access(Access.Level.NONE, null);
    }
    byte[] presented = digest(value.substring(7).trim());
    Token match = null;
    for (Token t : tokens) {
      // compare against every token so timing does not depend on which one matched
      if (MessageDigest.isEqual(t.digest(), presented) && match == null) {
        match = t;
      }
    }
    return match == null
        ? new Access(Access.Level.NONE, null)
        : new Access(match.level(), match.name());
  }

  public Access.Level anonymous() {
    return anonymous;
  }

  private static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
