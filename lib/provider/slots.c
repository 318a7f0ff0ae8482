// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: which hash slots of a device context are taken.
 *
 * A partial SHA-256 keeps its running state in one of the device context's
 * hash slots; the bridge owns the contexts and has no room for our
 * bookkeeping, so the provider keeps one bitmap per context here, keyed by
 * the context's address.
 *
 * A freed context's address can come back as a new context.  An entry
 * lives while any bit is set, so a stream of the old context still owns
 * its slot number in the new one: its next request finds the slot empty
 * (-ENODATA) and it replays (hstream.c); nobody else got the slot.  An
 * entry with no bit set is dropped.
 */
#include <pthread.h>
#include <stdlib.h>

#include "prov.h"

struct aoff_slot_map {
	const struct aoff_ctx *dc;
	uint32_t used;
};

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct aoff_slot_map *slot_maps;
static size_t slot_nr, slot_cap;

_Static_assert(AOFF_PROV_HASH_SLOTS <= 32, "one 32-bit map per context");

static struct aoff_slot_map *slot_find(const struct aoff_ctx *dc)
{
	for (size_t i = 0; i < slot_nr; i++)
		if (slot_maps[i].dc == dc)
			return &slot_maps[i];
	return NULL;
}

int aoff_slot_get(const struct aoff_ctx *dc)
{
	struct aoff_slot_map *m;
	int slot = -1;

	pthread_mutex_lock(&slot_lock);
	m = slot_find(dc);
	if (!m) {
		if (slot_nr == slot_cap) {
			size_t cap = slot_cap ? 2 * slot_cap : 16;
			void *p = realloc(slot_maps, cap * sizeof(*slot_maps));

			if (!p)
				goto out;
			slot_maps = p;
			slot_cap = cap;
		}
		m = &slot_maps[slot_nr++];
		m->dc = dc;
		m->used = 0;
	}
	for (int i = 0; i < AOFF_PROV_HASH_SLOTS; i++) {
		if (!(m->used & (1U << i))) {
			m->used |= 1U << i;
			slot = i;
			break;
		}
	}
	if (!m->used)
		*m = slot_maps[--slot_nr];
out:
	pthread_mutex_unlock(&slot_lock);
	return slot;
}

void aoff_slot_put(const struct aoff_ctx *dc, int slot)
{
	struct aoff_slot_map *m;

	if (slot < 0)
		return;
	pthread_mutex_lock(&slot_lock);
	m = slot_find(dc);
	if (m) {
		m->used &= ~(1U << slot);
		if (!m->used)
			*m = slot_maps[--slot_nr];
	}
	pthread_mutex_unlock(&slot_lock);
}
