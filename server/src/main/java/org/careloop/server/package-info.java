/** Wiring, startup and the {@code careloop} command. */
@NullMarked
package org.careloop.server;

import org.jspecify.annotations.NullMarked;
