/* test_heap_now / test_heap_counted (heap.h). */
#include <malloc.h>
#include <stdlib.h>

#include "heap.h"

size_t test_heap_now(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

int test_heap_counted(void)
{
    size_t before = test_heap_now();
    volatile char *block = malloc((size_t)4 << 20);
    if (!block)
        return 0;
    block[0] = 1;
    size_t after = test_heap_now();
    free((void *)block);
    return after >= before + ((size_t)4 << 20);
}
