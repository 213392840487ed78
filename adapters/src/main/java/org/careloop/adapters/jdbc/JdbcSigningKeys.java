package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.optInstant;

import java.time.Instant;
import java.util.List;
import org.careloop.app.SigningKeys;

/** The SigningKeys port on JDBC: the private key encrypted, keyed by (practice, kid). */
interface JdbcSigningKeys extends SigningKeys, JdbcAccess {
  @Override
  default void saveKey(SigningKey k) {
    update(
        "insert into signing_key (practice_id, kid, alg, private_jwk, public_jwk, created_at)"
            + " values (?, ?, ?, ?, ?, ?)",
        k.practiceId(),
        k.kid(),
        k.alg(),
        cipher().encrypt("signing_key.private_jwk", k.privateJwk()),
        k.publicJwk(),
        k.createdAt());
  }

  @Override
  default List<SigningKey> keys(String practiceId) {
    return query(
        "select * from signing_key where practice_id = ? order by created_at desc, id desc",
        rs ->
            new SigningKey(
                rs.getString("practice_id"),
                rs.getString("kid"),
                rs.getString("alg"),
                cipher().decrypt("signing_key.private_jwk", rs.getString("private_jwk")),
                rs.getString("public_jwk"),
                instant(rs, "created_at"),
                optInstant(rs, "retired_at")),
        practiceId);
  }

  @Override
  default List<String> publishedKeys() {
    return query(
        "select public_jwk from signing_key where retired_at is null order by practice_id, id",
        rs -> rs.getString(1));
  }

  @Override
  default boolean retireKey(String practiceId, String kid, Instant at) {
    return update(
            "update signing_key set retired_at = ? where practice_id = ? and kid = ? and"
                + " retired_at is null",
            at,
            practiceId,
            kid)
        == 1;
  }
}
