package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import org.careloop.adapters.Secrets;
import org.careloop.app.EhrConnection;
import org.jspecify.annotations.Nullable;

/**
 * Whether a notification is the EHR's: the header its subscription was told to send carries the
 * connection's secret (as the whole value, or after {@code Bearer}), or its {@code X-Hub-Signature}
 * is the HMAC of the body under the secret. Compared in constant time; the secret is read when
 * used.
 */
public final class NotificationProof {
  private NotificationProof() {}

  /** The header a connection's notifications are checked by. */
  public static String header(EhrConnection.Notifications n) {
    return switch (n.check()) {
      case HUB_SIGNATURE -> "X-Hub-Signature";
      case HEALTHIE -> "Signature";
      case HEADER -> n.header();
    };
  }

  /**
   * A notification as received.
   *
   * @param method the request's method
   * @param paths the paths it may have been sent to, as sent: the public address's (what the EHR
   *     was given, before any proxy) and the one careloop received
   * @param query the query without {@code ?}, empty when none
   * @param headers a request header's value by name, null when absent
   */
  @SuppressWarnings("ArrayRecordComponent") // the bytes as received, never compared as a record
  public record Received(
      String method,
      java.util.List<String> paths,
      String query,
      byte[] body,
      Function<String, @Nullable String> headers) {}

  /**
   * Whether the notification proves itself.
   *
   * @throws IllegalArgumentException when the secret cannot be read (the installation's fault, not
   *     the sender's)
   */
  public static boolean verifies(EhrConnection.Notifications n, Received r) {
    String secret = Secrets.read(java.util.Optional.of(n.secretRef()), "the notification secret");
    var headers = r.headers();
    byte[] body = r.body();
    String given = headers.apply(header(n));
    return switch (n.check()) {
      case HUB_SIGNATURE -> new HubSignature(secret).verifies(body, given);
      case HEALTHIE -> {
        var signature = new HealthieSignature(secret);
        var type = java.util.Optional.ofNullable(headers.apply("Content-Type"));
        boolean any = false;
        // Every path tried, so the time taken says nothing of which matched.
        for (String path : new java.util.LinkedHashSet<>(r.paths()))
          any |=
              signature.verifies(
                  new HealthieSignature.Request(r.method(), path, r.query(), type, body),
                  headers.apply("Content-Digest"),
                  given);
        yield any;
      }
      case HEADER -> {
        if (given == null) yield false;
        String value = given.strip();
        // Both forms computed before either is used: the time taken says nothing of which matched.
        boolean whole = same(value, secret);
        boolean bearer =
            value.regionMatches(true, 0, "Bearer ", 0, 7)
                && same(value.substring(7).strip(), secret);
        yield whole || bearer;
      }
    };
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
