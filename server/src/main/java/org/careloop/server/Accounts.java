package org.careloop.server;

import java.util.Optional;

/** The people who sign in: how their passwords are kept, and adding or changing one. */
final class Accounts {
  private Accounts() {}

  /** Hashes passwords: bcrypt, with the scheme stored in front so it can change later. */
  public static final org.springframework.security.crypto.password.PasswordEncoder PASSWORDS =
      org.springframework.security.crypto.factory.PasswordEncoderFactories
          .createDelegatingPasswordEncoder();

  /**
   * Adds a person who logs in to the workspace, or changes them; {@code email} is theirs, if any.
   */
  static void save(
      Careloop careloop,
      String practiceId,
      String username,
      String displayName,
      String role,
      String password,
      Optional<String> email) {
    if (password.length() < 10)
      throw new IllegalArgumentException("a password needs at least 10 characters");
    if (!username.matches("[a-z0-9._-]{2,100}"))
      throw new IllegalArgumentException(
          "a user name is 2-100 lower-case letters, digits, dots, dashes or underscores");
    careloop
        .administration()
        .savePerson(
            new org.careloop.app.Person(
                "us-" + java.util.UUID.randomUUID(),
                practiceId,
                username,
                displayName,
                PASSWORDS.encode(password),
                role,
                false,
                email),
            careloop.clock().instant());
  }
}
