#ifndef CPREFETCH_H
#define CPREFETCH_H

#include <stddef.h>

/// Asks the CPU to start loading the cache line of `p` (no fault, no wait): the string table's lookups
/// several rows ahead, so their cache misses overlap.
static inline void cdr_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Sets glibc's mmap threshold (`mallopt(M_MMAP_THRESHOLD, bytes)`): blocks of that size or more get their own
/// mapping, returned to the system when freed. Returns 0 where the C library has no such setting.
int cdr_set_mmap_threshold(int bytes);

/// Zeroed memory for a large hash table, on 2 MiB boundaries and marked for transparent huge pages when it is
/// at least 2 MiB: a table of random accesses larger than the caches misses the TLB on nearly every access, and
/// a page walk under virtualization costs more than the cache miss. Returns NULL when out of memory; the
/// mapped length (to free) is stored in `mappedBytes`.
void *cdr_table_alloc(size_t bytes, size_t *mappedBytes);

/// Frees a table from `cdr_table_alloc`.
void cdr_table_free(void *table, size_t mappedBytes);

#endif
