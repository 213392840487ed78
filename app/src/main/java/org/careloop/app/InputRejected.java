package org.careloop.app;

/**
 * Outside input that careloop will not take, with where it is wrong: file and line, field, or
 * resource path. The whole input is rejected; nothing of it is stored.
 */
public final class InputRejected extends RuntimeException {
  private final String where;

  public InputRejected(String where, String problem) {
    super(where + ": " + problem);
    this.where = where;
  }

  public InputRejected(String where, String problem, Throwable cause) {
    super(where + ": " + problem, cause);
    this.where = where;
  }

  /** The file and line, field or resource path that is wrong. */
  public String where() {
    return where;
  }
}
