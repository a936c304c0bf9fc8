#ifndef CPREFETCH_H
#define CPREFETCH_H

#include <stddef.h>
#include <stdint.h>

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

/// Marks the whole 2 MiB pages inside `p[0..<bytes]` for transparent huge pages (`madvise(MADV_HUGEPAGE)`), so
/// that pages first touched afterwards come as 2 MiB pages: for the large arrays of the store, whose random
/// accesses (string tables, caches) miss the TLB on 4 KiB pages, and whose appends fault a page every 4 KiB.
/// Does nothing for less than 2 MiB or where the system has no such advice.
void cdr_advise_huge(void *p, size_t bytes);

/// Frees a table from `cdr_table_alloc`.
void cdr_table_free(void *table, size_t mappedBytes);

/// Faults in the pages of `p[0..<bytes]` (fresh memory, as from `cdr_table_alloc`) on a thread of its own
/// (`madvise(MADV_POPULATE_WRITE)`, or a write to each page on kernels without it), so that the thread that fills
/// the memory later finds its pages present: on a virtual machine a fresh huge page can take a millisecond to
/// fault in. Returns the job (NULL when no thread could start: the pages then fault in as they are written), which
/// `cdr_populate_finish` must end before the memory is freed.
void *cdr_populate_start(void *p, size_t bytes);

/// Whether the job's pages are all present (a NULL job counts as done).
int cdr_populate_done(void *job);

/// Waits for the job's thread and frees the job (NULL: nothing).
void cdr_populate_finish(void *job);

/// Whether the splitters below use AVX2 (with POPCNT and BMI1), which they do when the CPU has them: `mode` 0
/// turns that off, 1 on where the CPU allows, −1 leaves it; returns the choice in force. For tests, which check
/// both against the CSV state machine.
int cdr_split_wide(int mode);

/// Splits the record at `p` (`p[0]` is a quote) when every field of it is quoted with no quote or newline inside
/// and the record ends with LF or CRLF within `n` bytes (FreeSWITCH writes every row so): the fields' contents
/// as pairs of offsets (plus `offset`) in `bounds`, at most `maxFields` fields; the offset after the line end in
/// `next`; the number of fields as the result. Returns 0 for any other record, which the caller reads with its
/// general scanner: a quote inside a field (doubled or not), an unquoted field, a byte after a closing quote, a
/// newline inside a field, more fields, no line end yet. Quotes, separators and newlines are found 64 bytes at a
/// time, with AVX2 where the CPU has it (``cdr_split_wide``).
intptr_t cdr_split_quoted(const unsigned char *p, intptr_t n, unsigned char delimiter, intptr_t offset,
                          intptr_t *bounds, intptr_t maxFields, intptr_t *next);

/// Splits the record at `p` when its line holds no quote (or `quoting` is 0, quotes being plain bytes) and ends with
/// LF within `n` bytes: the fields between separators as pairs of offsets (plus `offset`) in `bounds`, at most
/// `maxFields`, the last field ending before the line's CR LF or LF; the offset after the LF in `next`; the number
/// of fields as the result. Returns −1 when the line holds a quote, 0 for any other record (more fields, no line end
/// yet), which the caller reads with its general scanner. Separators, quotes and newlines are found 64 bytes at a
/// time, in one pass (where a newline search, a quote search and a separator search each went over the line).
intptr_t cdr_split_plain(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                         intptr_t *bounds, intptr_t maxFields, intptr_t *next);

/// Splits the record at `p` when it is one line ending with LF or CRLF within `n` bytes and every quote in it is
/// where RFC 4180 puts one (opening a field, closing it, or doubled inside it): the fields' contents (without
/// their quotes) as pairs of offsets (plus `offset`) in `bounds`, at most `maxFields` fields; the offset after the
/// line end in `next`; in `collapse` a bit for each field that holds a doubled quote (the caller collapses them);
/// the number of fields as the result. With `quoting` 0, quotes are plain bytes. Returns −1 for a record whose
/// quotes are elsewhere (a quote inside an unquoted field, a space before an opening quote, a byte after a closing
/// quote, a newline inside quotes, a doubled quote past the 64th field), and 0 when there is no line end yet or
/// more than `maxFields` fields; the caller reads both with its general scanner. Separators, quotes and newlines
/// are found 64 bytes at a time in one pass, and the bytes inside quotes from a prefix XOR of the quote bits.
intptr_t cdr_split_line(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                        intptr_t *bounds, intptr_t maxFields, intptr_t *next, uint64_t *collapse);

#endif
