package dev.mooring.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Constant-time checks of HMAC signatures and shared tokens. */
final class Signatures {

  private static final String HMAC_SHA256 = "HmacSHA256";

  private Signatures() {}

  /** The lowercase hex HMAC-SHA256 of {@code body} under {@code secret}. */
  static String hmacSha256Hex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      // Every Java runtime ships HmacSHA256; failing here is a broken JDK, not bad input.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * Whether {@code receivedHex} is the HMAC of {@code body} under one of {@code secrets}. Every
   * secret is tried, so the time taken does not tell which one matched.
   */
  static boolean hmacMatches(String receivedHex, byte[] body, List<String> secrets) {
    byte[] received = receivedHex.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (String secret : secrets) {
      byte[] expected = hmacSha256Hex(secret, body).getBytes(StandardCharsets.UTF_8);
      matched |= MessageDigest.isEqual(expected, received);
    }
    return matched;
  }

  /**
   * Whether {@code received} equals one of {@code secrets}. Both sides are hashed first so that
   * neither the comparison time nor an early length mismatch tells how much of a guess was right.
   */
  static boolean tokenMatches(String received, List<String> secrets) {
    byte[] receivedDigest = sha256(received.trim());
    boolean matched = false;
    for (String secret : secrets) {
      matched |= MessageDigest.isEqual(sha256(secret.trim()), receivedDigest);
    }
    return matched;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
