package org.careloop.adapters.jdbc;

import org.careloop.core.PlanState;
import tools.jackson.databind.json.JsonMapper;

/** Plan state to and from JSON for the {@code plan.state} column. */
public final class StateCodec {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private StateCodec() {}

  public static String write(PlanState state) {
    return JSON.writeValueAsString(state);
  }

  public static PlanState read(String json) {
    return JSON.readValue(json, PlanState.class);
  }
}
