package org.careloop.adapters;

import java.util.List;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.Protocols;
import org.careloop.core.Protocol;

/** The programs careloop ships, read from their files as the running engine reads them. */
final class Shipped {

  private Shipped() {}

  /** The default program, the treatment-plan follow-up. */
  static final String DEFAULT = ProtocolLibrary.DEFAULT_PROTOCOL;

  static Protocol treatmentPlan() {
    return ProtocolLibrary.shippedProtocol("treatment-plan-follow-up.v1.yaml");
  }

  /** An engine's protocols holding the default program alone. */
  static Protocols protocols() {
    return new Protocols(List.of(treatmentPlan()));
  }
}
