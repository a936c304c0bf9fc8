#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to start loading the cache line of `p` (no fault, no wait): the string table's lookups
/// several rows ahead, so their cache misses overlap.
static inline void cdr_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Sets glibc's mmap threshold (`mallopt(M_MMAP_THRESHOLD, bytes)`): blocks of that size or more get their own
/// mapping, returned to the system when freed. Returns 0 where the C library has no such setting.
int cdr_set_mmap_threshold(int bytes);

#endif
