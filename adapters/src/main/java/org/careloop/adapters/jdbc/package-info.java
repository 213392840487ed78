/** Persistence on H2 or PostgreSQL with plain JDBC and one set of Flyway migrations. */
@NullMarked
package org.careloop.adapters.jdbc;

import org.jspecify.annotations.NullMarked;
