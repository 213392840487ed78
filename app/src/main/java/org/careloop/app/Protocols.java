package org.careloop.app;

import java.util.Map;
import java.util.TreeMap;
import org.careloop.core.Protocol;

/**
 * The protocols the engine knows, by id and version. A running plan is decided with the version it
 * started on.
 */
public final class Protocols {
  private final Map<String, Protocol> byKey = new TreeMap<>();
  private final Map<String, Protocol> latest = new TreeMap<>();

  public Protocols(Iterable<Protocol> protocols) {
    for (var p : protocols) {
      byKey.put(p.id() + "@" + p.version(), p);
      latest.merge(p.id(), p, (a, b) -> a.version() >= b.version() ? a : b);
    }
  }

  /** The shipped defaults. */
  public static Protocols defaults() {
    return new Protocols(java.util.List.of(Protocol.treatmentPlanFollowUp()));
  }

  public Protocol version(String id, int version) {
    var p = byKey.get(id + "@" + version);
    if (p == null)
      throw new IllegalStateException("protocol " + id + " v" + version + " is not loaded");
    return p;
  }

  public Protocol latest(String id) {
    var p = latest.get(id);
    if (p == null) throw new IllegalStateException("protocol " + id + " is not loaded");
    return p;
  }
}
