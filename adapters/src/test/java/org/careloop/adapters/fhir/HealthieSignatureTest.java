package org.careloop.adapters.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Healthie's webhook signature, against vectors made outside careloop from Healthie's definition
 * (Python's hashlib and hmac: the SHA-256 of the body; the hex HMAC-SHA256 under the secret of
 * "{method} {path} {query} {digest} {content-type} {content-length}"), since Healthie publishes
 * none: a hex digest; an RFC 9530 base64 digest with a query; a bare base64 digest signed without
 * its padding and a content type with a charset signed as application/json. Anything changed (body,
 * path, query, method, secret) or missing does not verify.
 */
class HealthieSignatureTest {
  static final String SECRET = "whsec-careloop-test-7f3a";
  static final String PATH = "/ehr/default/healthie/notifications";
  static final String UPDATED =
      "{\"resource_id\":\"1234\",\"resource_id_type\":\"Appointment\",\"event_type\":"
          + "\"appointment.updated\",\"changed_fields\":[\"date\",\"pm_status\"]}";
  static final String CREATED =
      "{\"resource_id\":\"88\",\"resource_id_type\":\"Appointment\",\"event_type\":"
          + "\"appointment.created\"}";

  record Vector(
      String name,
      String query,
      String contentType,
      String body,
      String contentDigest,
      String signature) {
    HealthieSignature.Request request() {
      return new HealthieSignature.Request(
          "POST", PATH, query, Optional.of(contentType), body.getBytes(StandardCharsets.UTF_8));
    }
  }

  static java.util.List<Vector> vectors() {
    return java.util.List.of(
        new Vector(
            "hex digest",
            "",
            "application/json",
            UPDATED,
            "sha-256=1d35cb961c76f7844cb529a3b84f8d572caba1ed8e5e7832612d3efee6230308",
            "sig1=81f8691baa315f23fbb8cb4c452bff86388c642683b7e36b4d06798f6e310361"),
        new Vector(
            "RFC 9530 base64 digest, with a query",
            "source=healthie",
            "application/json",
            UPDATED,
            "sha-256=:HTXLlhx294RMtSmjuE+NVyyroe2OXngyYS0+/uYjAwg=:",
            "sig1=ce5b6bcd52805efe9ebc611a7f11a7f50813501db6814b07b1cf473a3befd1a8"),
        new Vector(
            "bare base64 digest signed without its padding, charset in the content type",
            "",
            "application/json; charset=utf-8",
            CREATED,
            "sha-256=prHTTmhr/cFTgzYFpElSSZ/fEaCiukJBUisMXrhLXTc=",
            "sig1=b8dd20167f267f490c011ae808565661df2590eb96f85f6ea546eb39d66186d4"));
  }

  final HealthieSignature healthie = new HealthieSignature(SECRET);

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void healthiesVectors_verify(Vector v) {
    assertThat(healthie.verifies(v.request(), v.contentDigest(), v.signature())).isTrue();
    // Headers are read as sent, spaces and the signature's case aside.
    assertThat(
            healthie.verifies(
                v.request(), " " + v.contentDigest() + " ", v.signature().toUpperCase()))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void anythingChanged_doesNotVerify(Vector v) {
    var r = v.request();
    byte[] tampered = v.body().replace("\"1", "\"2").replace("\"8", "\"9").getBytes();
    assertThat(tampered).isNotEqualTo(r.body());
    assertThat(
            healthie.verifies(
                new HealthieSignature.Request(
                    r.method(), r.path(), r.query(), r.contentType(), tampered),
                v.contentDigest(),
                v.signature()))
        .as("another body under the same headers")
        .isFalse();
    assertThat(
            healthie.verifies(
                new HealthieSignature.Request(
                    r.method(),
                    "/ehr/lakeside/healthie/notifications",
                    r.query(),
                    r.contentType(),
                    r.body()),
                v.contentDigest(),
                v.signature()))
        .as("another path")
        .isFalse();
    assertThat(
            healthie.verifies(
                new HealthieSignature.Request(
                    r.method(), r.path(), r.query() + "x=1", r.contentType(), r.body()),
                v.contentDigest(),
                v.signature()))
        .as("another query")
        .isFalse();
    assertThat(
            healthie.verifies(
                new HealthieSignature.Request(
                    "PUT", r.path(), r.query(), r.contentType(), r.body()),
                v.contentDigest(),
                v.signature()))
        .as("another method")
        .isFalse();
    assertThat(
            new HealthieSignature("another-secret").verifies(r, v.contentDigest(), v.signature()))
        .as("another secret")
        .isFalse();
    assertThat(healthie.verifies(r, null, v.signature())).as("no digest").isFalse();
    assertThat(healthie.verifies(r, v.contentDigest(), null)).as("no signature").isFalse();
    assertThat(healthie.verifies(r, "sha-512=" + v.contentDigest().substring(8), v.signature()))
        .as("only another algorithm's digest")
        .isFalse();
    assertThat(healthie.verifies(r, v.contentDigest(), "sig1=")).as("an empty signature").isFalse();
  }

  /** A digest that is not the body's fails even when the signature was made over it. */
  @Test
  void aSignatureOverAnotherBodysDigest_doesNotVerify() {
    var other = new Vector("", "", "application/json", CREATED, "", "");
    var signed = healthie.sign(other.request());
    var r = vectors().get(0).request();
    assertThat(healthie.verifies(r, signed.get("Content-Digest"), signed.get("Signature")))
        .isFalse();
    assertThat(
            healthie.verifies(
                other.request(), signed.get("Content-Digest"), signed.get("Signature")))
        .isTrue();
  }

  /** What careloop signs (for its tests and bench) is what the outside vectors say. */
  @Test
  void signing_givesTheVectorsHeaders() {
    var v = vectors().get(0);
    var signed = healthie.sign(v.request());
    assertThat(signed.get("Content-Digest")).isEqualTo(v.contentDigest());
    assertThat(signed.get("Signature")).isEqualTo(v.signature());
    assertThat(signed.get("Signature-Input")).startsWith("sig1=(");
    assertThatThrownBy(() -> new HealthieSignature("")).hasMessageContaining("empty");
  }
}
