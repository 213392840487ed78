/** Adapters: each sub-package translates one outside thing to and from domain events. */
@NullMarked
package org.careloop.adapters;

import org.jspecify.annotations.NullMarked;
