package org.careloop.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Where a person lands after signing in: back where they were when their session ended. A page they
 * asked for (a case, the worklist, the dashboard) opens again; a form they sent on a case after the
 * session ended (refused: its token belonged to the old session) brings them back to that case,
 * where the page puts back what they typed. Only careloop's own paths are ever a target.
 */
final class ReturnAfterSignIn implements AuthenticationSuccessHandler, AccessDeniedHandler {
  /** The session attribute that remembers the case a refused form was for. */
  static final String RETURN_TO = "careloop.return-to";

  private static final Pattern CASE = Pattern.compile("^/work/cases/(\\d+)(/[a-z]+)?$");
  private static final Pattern PAGE = Pattern.compile("^/(work|dashboard)(/[A-Za-z0-9/._-]*)?$");

  private final HttpSessionRequestCache requests = new HttpSessionRequestCache();
  private final AccessDeniedHandler refused = new AccessDeniedHandlerImpl();

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    String target = target(request, response).orElse("/work");
    requests.removeRequest(request, response);
    var session = request.getSession(false);
    if (session != null) session.removeAttribute(RETURN_TO);
    response.sendRedirect(request.getContextPath() + target);
  }

  /** The path to go back to: a refused case form's case, else a page asked for, if any. */
  private Optional<String> target(HttpServletRequest request, HttpServletResponse response) {
    var session = request.getSession(false);
    if (session != null && session.getAttribute(RETURN_TO) instanceof String path)
      return Optional.of(path);
    var saved = requests.getRequest(request, response);
    if (saved == null || !saved.getMethod().equals("GET")) return Optional.empty();
    var uri = java.net.URI.create(saved.getRedirectUrl());
    String path = uri.getRawPath();
    if (path == null || !PAGE.matcher(path).matches()) return Optional.empty();
    // The request cache marks the address it saved with a 'continue' parameter: not the page's.
    String query =
        uri.getRawQuery() == null
            ? ""
            : java.util.Arrays.stream(uri.getRawQuery().split("&"))
                .filter(p -> !p.equals("continue") && !p.startsWith("continue="))
                .collect(java.util.stream.Collectors.joining("&"));
    return Optional.of(path + (query.isEmpty() ? "" : "?" + query));
  }

  /**
   * A form refused for its token when nobody is signed in is a session that ended: sign in again,
   * then back to the case. Any other refusal is careloop's 403 page.
   */
  @Override
  public void handle(
      HttpServletRequest request,
      HttpServletResponse response,
      org.springframework.security.access.AccessDeniedException e)
      throws IOException, jakarta.servlet.ServletException {
    var who = SecurityContextHolder.getContext().getAuthentication();
    boolean signedIn =
        who != null && who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken);
    if (!(e instanceof CsrfException) || signedIn) {
      refused.handle(request, response, e);
      return;
    }
    var m = CASE.matcher(request.getRequestURI().substring(request.getContextPath().length()));
    if (m.matches()) request.getSession(true).setAttribute(RETURN_TO, "/work/cases/" + m.group(1));
    response.sendRedirect(request.getContextPath() + "/login?expired");
  }
}
