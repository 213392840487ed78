package org.careloop.server;

import org.careloop.adapters.smart.SmartKeys;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * careloop's public keys as a JWK Set at {@code /.well-known/jwks.json}: the URL an EHR (Epic's
 * backend apps, any SMART Backend Services server) is given to check careloop's client assertions.
 * Public halves only, of every practice's keys not retired; open to anyone, as a JWKS must be.
 */
@RestController
public class JwksController {
  private final Careloop careloop;

  public JwksController(Careloop careloop) {
    this.careloop = careloop;
  }

  @GetMapping(path = "/.well-known/jwks.json")
  ResponseEntity<String> jwks() {
    var keys = careloop.store().inTransaction(tx -> tx.publishedKeys());
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        // EHRs fetch it again when they meet a kid they do not know; a short cache is enough.
        .header("Cache-Control", "public, max-age=300")
        .body(SmartKeys.jwks(keys));
  }
}
