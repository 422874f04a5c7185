/* A shared library that is not a gpuhost plugin: no entry symbol. */
#include "gpuhost/plugin_abi.h"

GPUHOST_PLUGIN_EXPORT int some_other_function(void) { return 42; }
