package org.careloop.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A secret read where a connection says it is ({@code env:NAME} or {@code file:PATH}) at the moment
 * it is needed: careloop never stores one. Errors name where it was looked for, never its value.
 */
public final class Secrets {
  private Secrets() {}

  /** Checks that {@code ref} says where a secret is, without reading it. */
  public static String where(String ref) {
    if (ref.startsWith("env:") && ref.length() > 4) return ref;
    if (ref.startsWith("file:") && ref.length() > 5) return ref;
    throw new IllegalArgumentException(
        "a secret is read from env:NAME or file:PATH, not '" + ref + "'");
  }

  /** Reads the secret {@code ref} names; {@code what} says what it is for an error. */
  public static String read(Optional<String> ref, String what) {
    var r = ref.orElseThrow(() -> new IllegalArgumentException("no place is given for " + what));
    String value;
    if (where(r).startsWith("env:")) {
      String name = r.substring(4);
      value = System.getenv(name);
      if (value == null) value = System.getProperty(name);
    } else {
      try {
        value = Files.readString(Path.of(r.substring(5)));
      } catch (IOException e) {
        throw new IllegalArgumentException(what + " cannot be read from " + r, e);
      }
    }
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(what + " is not set at " + r);
    return value.strip();
  }
}
