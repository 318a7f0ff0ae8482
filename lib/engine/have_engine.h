/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asyncoff engine: does this OpenSSL still have the ENGINE API?  OpenSSL
 * 4.0 removed it, and a 3.x built with no-engine lacks it.  The Makefile
 * preprocesses this file alone to decide whether to build the engine.
 */
#ifndef AOFF_HAVE_ENGINE_H
#define AOFF_HAVE_ENGINE_H

#include <openssl/opensslconf.h>
#include <openssl/opensslv.h>

#if defined(OPENSSL_NO_ENGINE) || OPENSSL_VERSION_MAJOR >= 4
#error "these OpenSSL headers have no ENGINE API: use the asyncoff provider"
#endif

#include <openssl/engine.h>

#endif /* AOFF_HAVE_ENGINE_H */
