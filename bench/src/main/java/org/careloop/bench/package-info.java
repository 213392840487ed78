/** The benchmark harness. */
@NullMarked
package org.careloop.bench;

import org.jspecify.annotations.NullMarked;
