package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The practices' keys for signing SMART Backend Services client assertions (part of {@link
 * Store.Tx}). The private key is stored encrypted.
 */
public interface SigningKeys {
  /**
   * One key.
   *
   * @param kid its id, in the JWKS and in each assertion's header
   * @param alg RS384 or ES384
   * @param privateJwk the key pair as a JWK (stored encrypted)
   * @param publicJwk the public half as a JWK, as the JWKS publishes it
   */
  record SigningKey(
      String practiceId,
      String kid,
      String alg,
      String privateJwk,
      String publicJwk,
      Instant createdAt,
      Optional<Instant> retiredAt) {}

  void saveKey(SigningKey key);

  /** The practice's keys, newest first, retired ones too. */
  List<SigningKey> keys(String practiceId);

  /**
   * The public halves of every practice's keys not retired: what {@code /.well-known/jwks.json}
   * publishes (one URL for the installation; public keys only).
   */
  List<String> publishedKeys();

  /** Stops signing with the key and takes it out of the JWKS; false when there is no such key. */
  boolean retireKey(String practiceId, String kid, Instant at);
}
