package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The {@code X-Hub-Signature} an EHR signs each notification with (WebSub; athenahealth's Event
 * Subscription Platform): {@code sha256=} and the lower-case hex HMAC-SHA256 of the raw body under
 * the secret given when subscribing. Compared in constant time, on the bytes as received.
 */
public final class HubSignature {
  private static final String PREFIX = "sha256=";
  private final SecretKeySpec key;

  public HubSignature(String secret) {
    if (secret.isEmpty()) throw new IllegalArgumentException("the hub secret is empty");
    this.key = key(secret);
  }

  /** The header's value for {@code body}. */
  public String sign(byte[] body) {
    return PREFIX + hex(key, body);
  }

  /** A shared secret as an HMAC-SHA256 key (its UTF-8 bytes). */
  static SecretKeySpec key(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** The lower-case hex HMAC-SHA256 of {@code data} under {@code key}. */
  static String hex(SecretKeySpec key, byte[] data) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Whether {@code header} is this body's signature (absent or another scheme: no). */
  public boolean verifies(byte[] body, @Nullable String header) {
    if (header == null || !header.strip().toLowerCase(Locale.ROOT).startsWith(PREFIX)) return false;
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = header.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }
}
