// Only the reentrant (_r) GEOS C API: one context per thread, never the global one.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
