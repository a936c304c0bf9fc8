#include "cprefetch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cdr_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

void *cdr_table_alloc(size_t bytes, size_t *mappedBytes) {
    const size_t huge = (size_t)2 << 20;
    if (bytes < huge) {
        // Small tables: ordinary zeroed pages.
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return NULL;
        *mappedBytes = bytes;
        return p;
    }
    // Map one huge page more than needed so that the table can start on a 2 MiB boundary.
    size_t length = (bytes + huge - 1) / huge * huge + huge;
    uint8_t *region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return NULL;
    uintptr_t start = ((uintptr_t)region + huge - 1) & ~(uintptr_t)(huge - 1);
    size_t head = start - (uintptr_t)region;
    if (head > 0) munmap(region, head);
    size_t body = length - head;
    size_t tail = body - (bytes + huge - 1) / huge * huge;
    if (tail > 0) munmap((uint8_t *)start + body - tail, tail);
    body -= tail;
#if defined(MADV_HUGEPAGE)
    madvise((void *)start, body, MADV_HUGEPAGE);
#endif
    *mappedBytes = body;
    return (void *)start;
}

void cdr_advise_huge(void *p, size_t bytes) {
#if defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (p != NULL && end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void cdr_table_free(void *table, size_t mappedBytes) {
    if (table != NULL) munmap(table, mappedBytes);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct cdr_populate {
    pthread_t thread;
    uint8_t *p;
    size_t bytes;
    int done;
};

static void *cdr_populate_run(void *arg) {
    struct cdr_populate *job = arg;
    if (madvise(job->p, job->bytes, MADV_POPULATE_WRITE) != 0) {
        // Kernels before 5.14: a write to each page faults it in (the memory is fresh, all zero, and nothing else
        // touches it until the job is done).
        for (size_t i = 0; i < job->bytes; i += 4096) ((volatile uint8_t *)job->p)[i] = 0;
    }
    __atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

void *cdr_populate_start(void *p, size_t bytes) {
    struct cdr_populate *job = calloc(1, sizeof *job);
    if (job == NULL) return NULL;
    job->p = p;
    job->bytes = bytes;
    if (pthread_create(&job->thread, NULL, cdr_populate_run, job) != 0) {
        free(job);
        return NULL;
    }
    return job;
}

int cdr_populate_done(void *job) {
    return job == NULL || __atomic_load_n(&((struct cdr_populate *)job)->done, __ATOMIC_ACQUIRE);
}

void cdr_populate_finish(void *job) {
    if (job == NULL) return;
    struct cdr_populate *j = job;
    pthread_join(j->thread, NULL);
    free(j);
}
