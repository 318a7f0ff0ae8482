/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libasyncoff: what the library exports is marked so (the rest is hidden
 * by -fvisibility=hidden and exports.map).  A header of its own, so that
 * the bridge, which uses the context only through the public API, need
 * not include the context's private layout (ctx_local.h).
 */
#ifndef AOFF_EXPORT_H
#define AOFF_EXPORT_H

#define AOFF_EXPORT __attribute__((visibility("default")))

#endif /* AOFF_EXPORT_H */
