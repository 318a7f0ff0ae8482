// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: instantiates the tracepoints declared in trace.h (once, here;
 * every other file only calls them).
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
