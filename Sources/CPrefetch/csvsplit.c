#include "cprefetch.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// The quote bits and the newline bits of 64 bytes (two registers where it is returned).
typedef struct {
    uint64_t quotes;
    uint64_t newlines;
} cdr_bits;

/// `cdr_block` for the last bytes of the buffer, one at a time (out of line, so that the loops calling
/// `cdr_block` keep their values in registers).
__attribute__((noinline)) static cdr_bits cdr_block_tail(const unsigned char *p, intptr_t at, intptr_t n,
                                                         unsigned char delimiter, uint64_t *separators) {
    cdr_bits b = {0, 0};
    uint64_t s = 0;
    intptr_t end = at + 64 < n ? at + 64 : n;
    for (intptr_t i = at; i < end; i++) {
        if (p[i] == delimiter) s |= (uint64_t)1 << (i - at);
        if (p[i] == '"') b.quotes |= (uint64_t)1 << (i - at);
        if (p[i] == '\n') b.newlines |= (uint64_t)1 << (i - at);
    }
    if (separators != NULL) *separators = s;
    return b;
}

#if defined(__SSE2__)
/// The bits of the bytes equal to `x` among the 64 in `v`.
static inline uint64_t cdr_equal(const __m128i v[4], __m128i x) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[0], x))
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[1], x)) << 16
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[2], x)) << 32
        | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[3], x)) << 48;
}
#endif

/// Bits of the quotes and of the newlines among `p[at..<at+64]` (bytes at or past `n` give none), and of the
/// separators in `*separators` unless it is NULL.
static inline cdr_bits cdr_block_base(const unsigned char *p, intptr_t at, intptr_t n, unsigned char delimiter,
                                      uint64_t *separators) {
#if defined(__SSE2__)
    if (at + 64 <= n) {
        __m128i v[4];
        for (int k = 0; k < 4; k++) v[k] = _mm_loadu_si128((const __m128i *)(p + at + 16 * k));
        if (separators != NULL) *separators = cdr_equal(v, _mm_set1_epi8((char)delimiter));
        cdr_bits r;
        r.quotes = cdr_equal(v, _mm_set1_epi8('"'));
        r.newlines = cdr_equal(v, _mm_set1_epi8('\n'));
        return r;
    }
#endif
    return cdr_block_tail(p, at, n, delimiter, separators);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CDR_HAS_WIDE 1
/// The bits of the bytes equal to `c` among the 64 in `lo` and `hi`: 32-byte compares, two a character where
/// SSE2 takes four.
__attribute__((target("avx2"), always_inline)) static inline uint64_t cdr_equal_wide(__m256i lo, __m256i hi,
                                                                                  char c) {
    __m256i x = _mm256_set1_epi8(c);
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, x))
        | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, x)) << 32;
}

/// `cdr_block_base` with AVX2.
__attribute__((target("avx2"), always_inline)) static inline cdr_bits cdr_block_wide(const unsigned char *p,
                                                                                     intptr_t at, intptr_t n,
                                                                                     unsigned char delimiter,
                                                                                     uint64_t *separators) {
    if (at + 64 <= n) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(p + at));
        __m256i hi = _mm256_loadu_si256((const __m256i *)(p + at + 32));
        if (separators != NULL) *separators = cdr_equal_wide(lo, hi, (char)delimiter);
        cdr_bits r;
        r.quotes = cdr_equal_wide(lo, hi, '"');
        r.newlines = cdr_equal_wide(lo, hi, '\n');
        return r;
    }
    return cdr_block_tail(p, at, n, delimiter, separators);
}
#endif

/// Bits set from each quote bit up to (not including) the next: the bytes inside quotes, with the opening quote
/// and without the closing one (a prefix XOR).
static inline uint64_t cdr_inside(uint64_t quotes) {
    quotes ^= quotes << 1;
    quotes ^= quotes << 2;
    quotes ^= quotes << 4;
    quotes ^= quotes << 8;
    quotes ^= quotes << 16;
    quotes ^= quotes << 32;
    return quotes;
}

/// The bounds of the field `p[start..<at]` ending at the separator bit `bit` of its block, without its quotes
/// when it is quoted (its opening quote at `start`, its closing one right before the separator: bit `bit` of
/// `after`, the bytes right after a closing quote).
static inline void cdr_quoted_bounds(intptr_t *out, const unsigned char *p, intptr_t offset, intptr_t start,
                                     intptr_t at, uint64_t after, unsigned bit) {
    out[0] = offset + start + (p[start] == '"');
    out[1] = offset + at - (intptr_t)((after >> bit) & 1);
}

#define CDR_TARGET
#define CDR_NAME(x) x##_base
#include "csvsplit_body.h"
#undef CDR_TARGET
#undef CDR_NAME

#if defined(CDR_HAS_WIDE)
#define CDR_TARGET __attribute__((target("avx2,popcnt,bmi")))
#define CDR_NAME(x) x##_wide
#include "csvsplit_body.h"
#undef CDR_TARGET
#undef CDR_NAME
#endif

/// Whether the AVX2 splitters run (the CPU has AVX2, POPCNT and BMI1, and no test turned them off). Read
/// relaxed: set once before `main`, changed only by tests, and either value gives the same records.
static int cdr_wide = 0;

#if defined(CDR_HAS_WIDE)
/// Whether the CPU runs the AVX2 build.
static int cdr_cpu_has_wide(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
}

__attribute__((constructor)) static void cdr_choose_splitters(void) { cdr_wide = cdr_cpu_has_wide(); }
#endif

int cdr_split_wide(int mode) {
#if defined(CDR_HAS_WIDE)
    if (mode >= 0) __atomic_store_n(&cdr_wide, mode && cdr_cpu_has_wide(), __ATOMIC_RELAXED);
#else
    (void)mode;
#endif
    return __atomic_load_n(&cdr_wide, __ATOMIC_RELAXED);
}

intptr_t cdr_split_quoted(const unsigned char *p, intptr_t n, unsigned char delimiter, intptr_t offset,
                          intptr_t *bounds, intptr_t maxFields, intptr_t *next) {
#if defined(CDR_HAS_WIDE)
    if (__atomic_load_n(&cdr_wide, __ATOMIC_RELAXED)) {
        return cdr_split_quoted_wide(p, n, delimiter, offset, bounds, maxFields, next);
    }
#endif
    return cdr_split_quoted_base(p, n, delimiter, offset, bounds, maxFields, next);
}

intptr_t cdr_split_plain(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                         intptr_t *bounds, intptr_t maxFields, intptr_t *next) {
#if defined(CDR_HAS_WIDE)
    if (__atomic_load_n(&cdr_wide, __ATOMIC_RELAXED)) {
        return cdr_split_plain_wide(p, n, delimiter, quoting, offset, bounds, maxFields, next);
    }
#endif
    return cdr_split_plain_base(p, n, delimiter, quoting, offset, bounds, maxFields, next);
}

intptr_t cdr_split_line(const unsigned char *p, intptr_t n, unsigned char delimiter, int quoting, intptr_t offset,
                        intptr_t *bounds, intptr_t maxFields, intptr_t *next, uint64_t *collapse) {
#if defined(CDR_HAS_WIDE)
    if (__atomic_load_n(&cdr_wide, __ATOMIC_RELAXED)) {
        return cdr_split_line_wide(p, n, delimiter, quoting, offset, bounds, maxFields, next, collapse);
    }
#endif
    return cdr_split_line_base(p, n, delimiter, quoting, offset, bounds, maxFields, next, collapse);
}
