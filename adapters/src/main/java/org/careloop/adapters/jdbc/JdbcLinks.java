package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.Store;

/** The Links port on JDBC. */
interface JdbcLinks extends Store.Links, JdbcAccess {
  @Override
  default String trackedLink(
      String outboxKey, Optional<String> planId, String purpose, String target, Instant now) {
    String code = cipher().sign("link:" + purpose + ":" + outboxKey).substring(0, 12);
    if (one("select code from tracked_link where code = ?", rs -> rs.getString(1), code)
        .isEmpty()) {
      update(
          "insert into tracked_link (code, outbox_key, plan_id, purpose, target, created_at, clicks) values (?, ?, ?, ?, ?, ?, 0)",
          code,
          outboxKey,
          planId.orElse(null),
          purpose,
          target,
          now);
    }
    return code;
  }

  @Override
  default String signedToken(String data) {
    return data + "." + cipher().sign("token:" + data);
  }

  @Override
  default Optional<String> verifiedToken(String token) {
    int dot = token.lastIndexOf('.');
    if (dot <= 0) return Optional.empty();
    String data = token.substring(0, dot);
    return cipher().verify("token:" + data, token.substring(dot + 1))
        ? Optional.of(data)
        : Optional.empty();
  }

  @Override
  default Optional<org.careloop.app.TrackedLink> clickLink(String code, boolean pixel, Instant at) {
    var link =
        one(
            "select * from tracked_link where code = ? and purpose "
                + (pixel ? "=" : "<>")
                + " ? for update",
            rs ->
                new org.careloop.app.TrackedLink(
                    rs.getString("code"),
                    rs.getString("outbox_key"),
                    Optional.ofNullable(rs.getString("plan_id")),
                    rs.getString("purpose"),
                    rs.getString("target"),
                    rs.getObject("first_click_at") == null),
            code,
            org.careloop.app.messaging.Links.OPEN);
    link.ifPresent(l ->
        update(
            "update tracked_link set clicks = clicks + 1, first_click_at = coalesce(first_click_at, ?) where code = ?",
            at,
            code));
    return link;
  }
}
