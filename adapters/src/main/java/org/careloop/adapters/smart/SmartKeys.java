package org.careloop.adapters.smart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.careloop.app.SigningKeys.SigningKey;

/**
 * careloop's keys for SMART Backend Services, with Nimbus JOSE+JWT: a key pair made (RS384 with
 * 2048-bit RSA, or ES384 on P-384), the JWKS of public halves, and the client assertion a token
 * request carries ({@code iss} = {@code sub} = the client id, {@code aud} = the token endpoint, a
 * fresh {@code jti}, expiring in 5 minutes, the key's {@code kid} in the header).
 */
public final class SmartKeys {
  /** How long an assertion is good for: the most SMART allows. */
  public static final Duration ASSERTION_LIFE = Duration.ofMinutes(5);

  private SmartKeys() {}

  /** A new key of the practice, for {@code alg} RS384 or ES384. */
  public static SigningKey generate(String practiceId, String alg, Instant now) {
    String kid = UUID.randomUUID().toString();
    try {
      JWK key =
          switch (alg) {
            case "RS384" ->
                new RSAKeyGenerator(2048)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS384)
                    .generate();
            case "ES384" ->
                new ECKeyGenerator(Curve.P_384)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384)
                    .generate();
            default ->
                throw new IllegalArgumentException(
                    "--alg '" + alg + "' is not one of RS384, ES384");
          };
      return new SigningKey(
          practiceId,
          kid,
          alg,
          key.toJSONString(),
          key.toPublicJWK().toJSONString(),
          now,
          Optional.empty());
    } catch (JOSEException e) {
      throw new IllegalStateException("the key could not be made", e);
    }
  }

  /** The JWK Set of these public keys, as {@code /.well-known/jwks.json} serves it. */
  public static String jwks(List<String> publicJwks) {
    var keys = new ArrayList<JWK>();
    for (var json : publicJwks)
      try {
        // Parsed, then written public-only: a private part never leaves by mistake.
        keys.add(JWK.parse(json).toPublicJWK());
      } catch (ParseException e) {
        throw new IllegalStateException("a stored public key is not a JWK", e);
      }
    return new JWKSet(keys).toString(true);
  }

  /** A signed client assertion for the token endpoint {@code audience}. */
  public static String assertion(SigningKey key, String clientId, String audience, Instant now) {
    try {
      JWK jwk = JWK.parse(key.privateJwk());
      var claims =
          new JWTClaimsSet.Builder()
              .issuer(clientId)
              .subject(clientId)
              .audience(audience)
              .jwtID(UUID.randomUUID().toString())
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plus(ASSERTION_LIFE)))
              .build();
      var header =
          new JWSHeader.Builder(JWSAlgorithm.parse(key.alg()))
              .keyID(key.kid())
              .type(JOSEObjectType.JWT)
              .build();
      var jwt = new SignedJWT(header, claims);
      jwt.sign(jwk instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) jwk));
      return jwt.serialize();
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the client assertion could not be signed", e);
    }
  }
}
