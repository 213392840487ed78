package org.careloop.core;

/** Clinical flags that make a coordinator look at a plan the moment it starts. */
public record PlanFlags(boolean highRisk, boolean complexComorbidity, boolean interpreterNeeded) {
  public static final PlanFlags NONE = new PlanFlags(false, false, false);

  /** True when any flag is set. */
  public boolean any() {
    return highRisk || complexComorbidity || interpreterNeeded;
  }

  /** The set flags in words, for a task title. */
  public String describe() {
    var words = new java.util.ArrayList<String>();
    if (highRisk) words.add("high risk");
    if (complexComorbidity) words.add("complex comorbidity");
    if (interpreterNeeded) words.add("interpreter needed");
    return String.join(", ", words);
  }
}
