package org.careloop.adapters.contact;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The states and territories of the United States as an address writes them (USPS code or name),
 * with the time zones each one keeps: the first is where most of its people live. A patient's state
 * sets the stricter hours some states' laws require (Florida, Oklahoma), and their zone when the
 * practice's own zone is not one the state keeps.
 */
public final class UsStates {
  private UsStates() {}

  private record State(String code, String name, List<String> zones) {}

  private static final List<State> STATES =
      List.of(
          new State("AL", "Alabama", List.of("America/Chicago")),
          new State("AK", "Alaska", List.of("America/Anchorage", "America/Adak")),
          new State("AZ", "Arizona", List.of("America/Phoenix", "America/Denver")),
          new State("AR", "Arkansas", List.of("America/Chicago")),
          new State("CA", "California", List.of("America/Los_Angeles")),
          new State("CO", "Colorado", List.of("America/Denver")),
          new State("CT", "Connecticut", List.of("America/New_York")),
          new State("DE", "Delaware", List.of("America/New_York")),
          new State("DC", "District of Columbia", List.of("America/New_York")),
          new State("FL", "Florida", List.of("America/New_York", "America/Chicago")),
          new State("GA", "Georgia", List.of("America/New_York")),
          new State("HI", "Hawaii", List.of("Pacific/Honolulu")),
          new State("ID", "Idaho", List.of("America/Boise", "America/Los_Angeles")),
          new State("IL", "Illinois", List.of("America/Chicago")),
          new State(
              "IN",
              "Indiana",
              List.of(
                  "America/Indiana/Indianapolis",
                  "America/New_York",
                  "America/Chicago",
                  "America/Indiana/Knox")),
          new State("IA", "Iowa", List.of("America/Chicago")),
          new State("KS", "Kansas", List.of("America/Chicago", "America/Denver")),
          new State(
              "KY",
              "Kentucky",
              List.of("America/New_York", "America/Kentucky/Louisville", "America/Chicago")),
          new State("LA", "Louisiana", List.of("America/Chicago")),
          new State("ME", "Maine", List.of("America/New_York")),
          new State("MD", "Maryland", List.of("America/New_York")),
          new State("MA", "Massachusetts", List.of("America/New_York")),
          new State(
              "MI", "Michigan", List.of("America/Detroit", "America/New_York", "America/Chicago")),
          new State("MN", "Minnesota", List.of("America/Chicago")),
          new State("MS", "Mississippi", List.of("America/Chicago")),
          new State("MO", "Missouri", List.of("America/Chicago")),
          new State("MT", "Montana", List.of("America/Denver")),
          new State("NE", "Nebraska", List.of("America/Chicago", "America/Denver")),
          new State("NV", "Nevada", List.of("America/Los_Angeles")),
          new State("NH", "New Hampshire", List.of("America/New_York")),
          new State("NJ", "New Jersey", List.of("America/New_York")),
          new State("NM", "New Mexico", List.of("America/Denver")),
          new State("NY", "New York", List.of("America/New_York")),
          new State("NC", "North Carolina", List.of("America/New_York")),
          new State("ND", "North Dakota", List.of("America/Chicago", "America/Denver")),
          new State("OH", "Ohio", List.of("America/New_York")),
          new State("OK", "Oklahoma", List.of("America/Chicago")),
          new State("OR", "Oregon", List.of("America/Los_Angeles", "America/Boise")),
          new State("PA", "Pennsylvania", List.of("America/New_York")),
          new State("RI", "Rhode Island", List.of("America/New_York")),
          new State("SC", "South Carolina", List.of("America/New_York")),
          new State("SD", "South Dakota", List.of("America/Chicago", "America/Denver")),
          new State("TN", "Tennessee", List.of("America/Chicago", "America/New_York")),
          new State("TX", "Texas", List.of("America/Chicago", "America/Denver")),
          new State("UT", "Utah", List.of("America/Denver")),
          new State("VT", "Vermont", List.of("America/New_York")),
          new State("VA", "Virginia", List.of("America/New_York")),
          new State("WA", "Washington", List.of("America/Los_Angeles")),
          new State("WV", "West Virginia", List.of("America/New_York")),
          new State("WI", "Wisconsin", List.of("America/Chicago")),
          new State("WY", "Wyoming", List.of("America/Denver")),
          new State("PR", "Puerto Rico", List.of("America/Puerto_Rico")),
          new State("VI", "U.S. Virgin Islands", List.of("America/St_Thomas")),
          new State("GU", "Guam", List.of("Pacific/Guam")),
          new State("AS", "American Samoa", List.of("Pacific/Pago_Pago")),
          new State("MP", "Northern Mariana Islands", List.of("Pacific/Saipan")));

  private static final Map<String, State> BY_WORD = new HashMap<>();

  static {
    for (var s : STATES) {
      BY_WORD.put(norm(s.code()), s);
      BY_WORD.put(norm(s.name()), s);
    }
    BY_WORD.put(norm("Virgin Islands"), BY_WORD.get("vi"));
  }

  private static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
  }

  /**
   * The USPS code of a state as an address writes it ({@code FL}, {@code Florida}, {@code fl.}).
   */
  public static Optional<String> code(String written) {
    return Optional.ofNullable(BY_WORD.get(norm(written))).map(State::code);
  }

  /**
   * The zone a patient of {@code stateCode} lives in: the practice's own zone when the state keeps
   * it (a practice in the Florida panhandle and its patients), else the state's main zone.
   */
  public static Optional<ZoneId> zone(String stateCode, ZoneId practiceZone) {
    var state = BY_WORD.get(norm(stateCode));
    if (state == null) return Optional.empty();
    if (state.zones().contains(practiceZone.getId())) return Optional.of(practiceZone);
    return Optional.of(ZoneId.of(state.zones().get(0)));
  }

  /** The zone of a patient whose state is known (or not): their state's, else the practice's. */
  public static ZoneId zoneOf(Optional<String> stateCode, ZoneId practiceZone) {
    return stateCode.flatMap(s -> zone(s, practiceZone)).orElse(practiceZone);
  }
}
