package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * How Healthie signs a webhook: {@code Content-Digest} carries the SHA-256 of the body ({@code
 * sha-256=} and the digest), and {@code Signature} ({@code sig1=} and lower-case hex) the
 * HMAC-SHA256, under the webhook's shared secret, of {@code "{method} {path} {query} {digest}
 * {content-type} {content-length}"}: the method in lower case, the path and query the request was
 * sent to (the query without its {@code ?}, empty when none), the digest as the header gives it,
 * the content type and the body's length in bytes.
 *
 * <p>A request proves itself when its digest is its body's (hex or base64, as RFC 9530 writes it or
 * bare) and its signature is that string's. What Healthie documents leaves two things open, so both
 * readings are tried, each needing the secret: the content type as sent or {@code application/json}
 * (Healthie's own sample signs that), and a base64 digest with or without its padding (a reader
 * that splits the header at {@code =} drops it). Every candidate is computed before any is
 * compared, and compared in constant time.
 */
public final class HealthieSignature {
  /** The content type Healthie sends and its sample code signs. */
  public static final String JSON = "application/json";

  private static final java.util.regex.Pattern COMMA = java.util.regex.Pattern.compile(",");
  private final SecretKeySpec key;

  public HealthieSignature(String secret) {
    if (secret.isEmpty())
      throw new IllegalArgumentException("the Healthie webhook secret is empty");
    this.key = HubSignature.key(secret);
  }

  /**
   * A webhook request as received.
   *
   * @param path the path it was sent to, as sent (not decoded)
   * @param query the query without {@code ?}, empty when none
   * @param contentType the {@code Content-Type} header as sent, when sent
   */
  @SuppressWarnings("ArrayRecordComponent") // the bytes as received, never compared as a record
  public record Request(
      String method, String path, String query, Optional<String> contentType, byte[] body) {}

  /** The headers Healthie would send with {@code request}, by name. */
  public java.util.Map<String, String> sign(Request request) {
    String digest = HexFormat.of().formatHex(sha256(request.body()));
    String type = request.contentType().orElse(JSON);
    return java.util.Map.of(
        "Content-Digest",
        "sha-256=" + digest,
        "Signature-Input",
        "sig1=(\"@method\" \"@path\" \"@query\" \"content-digest\" \"content-type\""
            + " \"content-length\")",
        "Signature",
        "sig1=" + hmac(signed(request, digest, type)));
  }

  /**
   * Whether the request carries Healthie's proof.
   *
   * @param contentDigest the {@code Content-Digest} header, null when absent
   * @param signature the {@code Signature} header, null when absent
   */
  public boolean verifies(
      Request request, @Nullable String contentDigest, @Nullable String signature) {
    if (contentDigest == null || signature == null) return false;
    var digest = digestToken(contentDigest);
    var given = signatureValue(signature);
    if (digest.isEmpty() || given.isEmpty()) return false;
    // The digest must be this body's, whichever encoding the sender chose.
    byte[] actual = sha256(request.body());
    var decoded = decode(digest.get());
    boolean bodyMatches = decoded.isPresent() && MessageDigest.isEqual(actual, decoded.get());
    var tokens = new LinkedHashSet<String>();
    tokens.add(digest.get());
    tokens.add(stripPadding(digest.get()));
    var types = new LinkedHashSet<String>();
    request.contentType().map(String::strip).ifPresent(types::add);
    types.add(JSON);
    var expected = new ArrayList<byte[]>();
    for (String token : tokens)
      for (String type : types)
        expected.add(hmac(signed(request, token, type)).getBytes(StandardCharsets.US_ASCII));
    byte[] sent = given.get().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    boolean any = false;
    for (byte[] e : expected) any |= MessageDigest.isEqual(e, sent);
    return bodyMatches && any;
  }

  private static String signed(Request r, String digest, String contentType) {
    return r.method().toLowerCase(Locale.ROOT)
        + " "
        + r.path()
        + " "
        + r.query()
        + " "
        + digest
        + " "
        + contentType
        + " "
        + r.body().length;
  }

  /** The sha-256 member of a Content-Digest header ({@code sha-256=:b64:} or {@code sha-256=v}). */
  static Optional<String> digestToken(String header) {
    for (String member : COMMA.split(header, -1)) {
      String m = member.strip();
      int eq = m.indexOf('=');
      if (eq < 0 || !m.substring(0, eq).strip().equalsIgnoreCase("sha-256")) continue;
      String value = m.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith(":") && value.endsWith(":"))
        value = value.substring(1, value.length() - 1);
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
    return Optional.empty();
  }

  /** The value of a Signature header's first member ({@code sig1=hex} or {@code sig1=:hex:}). */
  static Optional<String> signatureValue(String header) {
    String first = COMMA.split(header, 2)[0].strip();
    int eq = first.indexOf('=');
    if (eq < 0) return Optional.empty();
    String value = first.substring(eq + 1).strip();
    if (value.length() >= 2 && value.startsWith(":") && value.endsWith(":"))
      value = value.substring(1, value.length() - 1);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** A SHA-256 digest written as 64 hex digits or as base64 (padded or not). */
  private static Optional<byte[]> decode(String token) {
    if (token.length() == 64 && token.chars().allMatch(c -> Character.digit(c, 16) >= 0))
      return Optional.of(HexFormat.of().parseHex(token));
    try {
      byte[] b = Base64.getDecoder().decode(padded(token));
      return b.length == 32 ? Optional.of(b) : Optional.empty();
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  private static String padded(String b64) {
    String s = stripPadding(b64);
    return s + "=".repeat((4 - s.length() % 4) % 4);
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') end--;
    return s.substring(0, end);
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private String hmac(String data) {
    return HubSignature.hex(key, data.getBytes(StandardCharsets.UTF_8));
  }
}
