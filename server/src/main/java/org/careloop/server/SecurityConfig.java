package org.careloop.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may see what. The workspace and the JSON API need a login (form for people, HTTP Basic for
 * scripts); passwords are bcrypt hashes. What patients and Twilio call (webhooks, tracked links,
 * unsubscribe, open pixel) stays open and is checked on its own terms (signatures, signed tokens).
 * CSRF protection is on for every form; the session cookie is HTTP-only, SameSite=Lax, and Secure
 * when careloop is reached over https.
 */
@Configuration
public class SecurityConfig {

  @Bean
  PasswordEncoder passwordEncoder() {
    return Accounts.PASSWORDS;
  }

  @Bean
  UserDetailsService users(Careloop careloop) {
    return username ->
        careloop
            .administration()
            .person(username)
            .map(u ->
                User.withUsername(u.username())
                    .password(u.passwordHash())
                    .roles(u.role().toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                    .build())
            .orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }

  /** Every sign-in, by form or HTTP Basic: throttled after failures, and audited. */
  @Bean
  org.springframework.security.authentication.AuthenticationProvider signIn(
      UserDetailsService users, PasswordEncoder passwords, Careloop careloop) {
    var dao = new org.springframework.security.authentication.dao.DaoAuthenticationProvider(users);
    dao.setPasswordEncoder(passwords);
    // The backoff runs on the wall clock even where the engine runs a simulated one.
    return new ThrottledSignIn(dao, new SignInGuard(), careloop, java.time.Clock.systemUTC());
  }

  /**
   * HTTP Basic's answer to a refused sign-in: 429 with Retry-After while the account or address
   * must wait, the usual 401 challenge otherwise.
   */
  static org.springframework.security.web.AuthenticationEntryPoint basicEntryPoint() {
    var challenge =
        new org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint();
    challenge.setRealmName("careloop");
    return (request, response, e) -> {
      var minutes = ThrottledSignIn.minutes(e);
      if (minutes.isPresent()) {
        response.setHeader("Retry-After", String.valueOf(minutes.get() * 60));
        response.setContentType("text/plain;charset=UTF-8");
        response.setStatus(429);
        response
            .getWriter()
            .println("Too many failed sign-ins: try again in " + minutes.get() + " minute(s).");
        return;
      }
      challenge.commence(request, response, e);
    };
  }

  /**
   * The EHR feeds take machine credentials only: HTTP Basic on every request, never the session
   * cookie, so a page on another origin cannot import into a signed-in admin's practice (no session
   * is read or made here, so CSRF has nothing to ride on).
   */
  @Bean
  @org.springframework.core.annotation.Order(1)
  SecurityFilterChain feeds(HttpSecurity http) throws Exception {
    http.securityMatcher("/fhir", "/import/csv")
        .authorizeHttpRequests(a -> a.anyRequest().hasRole("ADMIN"))
        .httpBasic(b -> b.authenticationEntryPoint(basicEntryPoint()))
        .sessionManagement(s ->
            s.sessionCreationPolicy(
                org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
        .securityContext(c ->
            c.securityContextRepository(
                new org.springframework.security.web.context
                    .RequestAttributeSecurityContextRepository()))
        .csrf(c -> c.disable());
    return http.build();
  }

  @Bean
  @org.springframework.core.annotation.Order(2)
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a ->
            a.requestMatchers(
                    "/login",
                    "/twilio/**",
                    "/ehr/*/*/notifications",
                    "/ehr/*/*/notifications/*/*",
                    "/l/**",
                    "/u/**",
                    "/o/**",
                    "/error",
                    "/workspace.css",
                    "/.well-known/jwks.json")
                .permitAll()
                .requestMatchers(
                    "/work/audit", "/work/audit/**", "/work/reports", "/work/reports/**")
                .hasAnyRole("ADMIN", "MANAGER")
                // The dashboard: managers and providers (and admins) of the practice.
                .requestMatchers("/dashboard", "/dashboard/**", "/dashboard.csv")
                .hasAnyRole("ADMIN", "MANAGER", "PROVIDER")
                // Provider decisions are providers' to make; managers and admins may look.
                .requestMatchers(org.springframework.http.HttpMethod.POST, "/work/review/**")
                .hasRole("PROVIDER")
                .requestMatchers("/work/review")
                .hasAnyRole("PROVIDER", "MANAGER", "ADMIN")
                // The JSON API: a practice's administrators, out of their own practice.
                .requestMatchers("/api/**")
                .hasRole("ADMIN")
                .anyRequest()
                .authenticated())
        .formLogin(f ->
            f.loginPage("/login")
                .successHandler(returnAfterSignIn)
                .failureHandler((request, response, e) ->
                    response.sendRedirect(
                        request.getContextPath()
                            + (ThrottledSignIn.minutes(e).isPresent()
                                ? "/login?locked"
                                : "/login?error")))
                .permitAll())
        .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?out"))
        .httpBasic(b -> b.authenticationEntryPoint(basicEntryPoint()))
        // Machine callers sign each request themselves (Twilio's signature, a signed token);
        // every cookie-authenticated form carries a CSRF token.
        .csrf(c ->
            c.ignoringRequestMatchers(
                "/twilio/**", "/u/**", "/ehr/*/*/notifications", "/ehr/*/*/notifications/*/*"))
        .headers(h -> h.frameOptions(f -> f.deny()))
        .exceptionHandling(e -> e.accessDeniedHandler(returnAfterSignIn));
    return http.build();
  }

  private final ReturnAfterSignIn returnAfterSignIn = new ReturnAfterSignIn();
}
