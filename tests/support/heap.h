/* The tests' view of the heap in use, for the "memory stays flat" tests:
 * glibc's arenas and mmapped blocks as mallinfo2 counts them. */
#ifndef ODOO_TEST_HEAP_H
#define ODOO_TEST_HEAP_H

#include <stddef.h>

/* Bytes of heap in use now. */
size_t test_heap_now(void);
/* 1 when test_heap_now sees this process's allocations (glibc's malloc);
 * 0 under ASan's or valgrind's allocator, which mallinfo2 does not see,
 * where a heap-growth test would measure nothing and must skip. */
int test_heap_counted(void);

#endif
