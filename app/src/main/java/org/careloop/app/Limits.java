package org.careloop.app;

/**
 * The longest value careloop takes for each kind of field, from every surface (FHIR, CSV, forms):
 * longer is refused with the field's name and place, never truncated, never stored. The numbers
 * leave room for every real name, address and note while keeping one bad value from filling the
 * database or a person's screen.
 */
public final class Limits {
  /** A given or family name (HL7's own US guidance keeps each under 100 characters). */
  public static final int NAME = 100;

  /** An email address (RFC 5321's longest path). */
  public static final int EMAIL = 254;

  /** A phone number as written, before it is read into E.164. */
  public static final int PHONE = 40;

  /** An identifier from the source (an MRN, a row id, a FHIR id is at most 64). */
  public static final int IDENTIFIER = 200;

  /** A provider's name, a step's name or kind, a case status, a barrier, a short label. */
  public static final int LABEL = 200;

  /** A free-text note (what the patient understood, the next action, why a case is escalated). */
  public static final int NOTE = 2000;

  /** Any other text field of an input. */
  public static final int TEXT = 1000;

  private Limits() {}

  /**
   * {@code value} when it is at most {@code max} characters long.
   *
   * @throws InputRejected naming {@code where} and the limit (never the value)
   */
  public static String check(String value, int max, String where) {
    if (value.length() > max)
      throw new InputRejected(
          where, "is " + value.length() + " characters long; at most " + max + " are taken");
    return value;
  }
}
