package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unexpected failure is logged without any value from its messages, and answered with 500. */
class QuietErrorsTest {
  @SuppressWarnings("unchecked")
  static <T> T fake(Class<T> type, java.util.Map<String, Object> answers, List<String> calls) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              calls.add(method.getName() + (args == null ? "" : List.of(args)));
              if (answers.containsKey(method.getName())) return answers.get(method.getName());
              return method.getReturnType() == boolean.class ? false : null;
            });
  }

  @Test
  void aFailureQuotingAValue_isLoggedByItsClassesOnly_andAnswered500() throws Exception {
    var logged = new ArrayList<String>();
    var calls = new ArrayList<String>();
    var request =
        fake(
            HttpServletRequest.class,
            java.util.Map.of("getMethod", "POST", "getRequestURI", "/work/cases/12/document"),
            calls);
    var response = fake(HttpServletResponse.class, java.util.Map.of(), calls);
    FilterChain failing =
        (req, res) -> {
          throw new IllegalStateException(
              "could not store",
              new java.sql.SQLException("Value too long for column: 'Rosa Quintana 617-555-0177'"));
        };
    new QuietErrors(logged::add).doFilter(request, response, failing);
    assertThat(logged)
        .singleElement()
        .asString()
        .isEqualTo(
            "POST /work/cases/12/document failed: java.lang.IllegalStateException"
                + " <- java.sql.SQLException");
    assertThat(calls).contains("sendError[500]");
  }

  @Test
  void aRequestThatSucceeds_isLeftAlone() throws Exception {
    var logged = new ArrayList<String>();
    var calls = new ArrayList<String>();
    var request = fake(HttpServletRequest.class, java.util.Map.of(), calls);
    var response = fake(HttpServletResponse.class, java.util.Map.of(), calls);
    new QuietErrors(logged::add).doFilter(request, response, (req, res) -> {});
    assertThat(logged).isEmpty();
    assertThat(calls).doesNotContain("sendError[500]");
  }
}
