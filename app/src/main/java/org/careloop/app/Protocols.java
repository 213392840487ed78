package org.careloop.app;

import java.util.Map;
import java.util.Optional;
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

  public Protocol version(String id, int version) {
    var p = byKey.get(id + "@" + version);
    if (p == null)
      throw new IllegalStateException("protocol " + id + " v" + version + " is not loaded");
    return p;
  }

  /** The protocol version a plan runs on: the one it started with. */
  public Protocol of(org.careloop.core.PlanState plan) {
    return version(plan.protocolId(), plan.protocolVersion());
  }

  /**
   * The protocol an event starts: the latest version of the one whose triggers name it, {@code
   * preferred} when several do.
   */
  public Optional<Protocol> forTrigger(String event, String preferred) {
    var claiming = latest.values().stream().filter(p -> p.triggers().contains(event)).toList();
    return claiming.stream()
        .filter(p -> p.id().equals(preferred))
        .findFirst()
        .or(() -> claiming.stream().findFirst());
  }

  /** Every protocol's latest version. */
  public java.util.Collection<Protocol> latestVersions() {
    return latest.values();
  }

  public Protocol latest(String id) {
    var p = latest.get(id);
    if (p == null) throw new IllegalStateException("protocol " + id + " is not loaded");
    return p;
  }
}
