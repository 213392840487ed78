package org.careloop.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
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
    return Careloop.PASSWORDS;
  }

  @Bean
  UserDetailsService users(Careloop careloop) {
    return username ->
        careloop
            .workspace()
            .userByUsername(username)
            .map(u ->
                User.withUsername(u.username())
                    .password(u.passwordHash())
                    .roles(u.role().toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                    .build())
            .orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }

  @Bean
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a ->
            a.requestMatchers(
                    "/login",
                    "/",
                    "/twilio/**",
                    "/l/**",
                    "/u/**",
                    "/o/**",
                    "/error",
                    "/workspace.css")
                .permitAll()
                .requestMatchers("/work/audit")
                .hasAnyRole("ADMIN", "MANAGER")
                // The JSON API and the EHR feeds: a practice's administrators (HTTP Basic for
                // scripts and interface engines), each into and out of their own practice.
                .requestMatchers("/api/**", "/fhir", "/import/csv")
                .hasRole("ADMIN")
                .anyRequest()
                .authenticated())
        .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/work", true).permitAll())
        .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?out"))
        .httpBasic(Customizer.withDefaults())
        // Machine callers sign or authenticate each request themselves; forms carry a token.
        .csrf(c -> c.ignoringRequestMatchers("/twilio/**", "/u/**", "/fhir", "/import/csv"))
        .headers(h -> h.frameOptions(f -> f.deny()));
    return http.build();
  }
}
